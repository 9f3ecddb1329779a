"""The app server: its routes, and the auth strategy of the mode being run."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from simulator.auth_base import AuthResult, Reply, Strategy
from simulator.cookies_out import set_cookie_line
from simulator.http import Request, Response
from simulator.sites import origin_of
from simulator.store import Store
from simulator.users import check_password

if TYPE_CHECKING:
    from simulator.engine import World

REMEMBER_ME_SECONDS = 30 * 86400
_JSON = ("Content-Type", "application/json")
_JSON_ONLY = (_JSON,)
_new_tuple = tuple.__new__

EXTRA_ROUTES: dict[tuple[str, str], Callable[[Server, Request], Reply]] = {}
"""(method, path) -> handler, for routes other modules add (e.g. /account/password)."""


@functools.lru_cache(maxsize=1024)
def _verdict_words(
    ok: bool, check: str, reason: str, user: str | None
) -> tuple[str, str, Mapping[str, Any]]:
    # The same check with the same outcome comes back on every request: one label, one
    # sentence and one (read-only, so shareable) detail for all of them.
    label = f"✓ {check}: {user}" if ok and user else (f"✓ {check}" if ok else f"✗ {check}")
    verb = "accepts" if ok else "refuses"
    detail = MappingProxyType({"ok": ok, "check": check, "reason": reason, "user": user})
    return label, f"The server {verb} the {check} check: {reason}.", detail


class Server:
    def __init__(self, world: World, name: str, store: Store, strategy: Strategy) -> None:
        self.world = world
        self.name = name
        self.store = store
        self.strategy = strategy
        self._check = "session" if strategy.name == "session" else "jwt"
        """What the verdict of a request's authentication is called."""

    # -- helpers the strategies call ------------------------------------------------------
    def credential_cookie(self, name: str, value: str, remember_me: bool) -> str:
        c = self.world.config
        max_age = REMEMBER_ME_SECONDS if remember_me else c.max_age()
        same_site = c.text("same_site")
        return set_cookie_line(
            name,
            value,
            clock=self.world.clock,
            path=c.text("cookie_path"),
            http_only=c.flag("http_only"),
            secure=c.flag("secure"),
            same_site=same_site,
            max_age=max_age,
        )

    def verdict(self, ok: bool, check: str, reason: str, user: str | None) -> None:
        label, explain, detail = _verdict_words(ok, check, reason, user)
        self.world.recorder.emit("verdict", self.name, self.name, label, explain, detail)

    def read_user_token_version(self, user: str) -> int:
        w = self.world
        w.recorder.tally.store_reads += 1
        version = w.users.token_version(user)
        w.store_event(
            self,
            "GET",
            f"user:{user}",
            f"token_version={version}",
            version >= 0,
            None,
            explain=f"The server reads {user}'s current token version ({version}) from "
            "the users table: a store read on every request.",
        )
        return version

    def bump_user_token_version(self, user: str) -> None:
        w = self.world
        version = w.users.bump_token_version(user)
        w.store_event(
            self,
            "SET",
            f"user:{user}",
            f"token_version={version}",
            None,
            None,
            explain=f"The server raises {user}'s token version to {version}: every "
            "token issued before now stops working.",
        )

    # -- request handling -----------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        reply = self._dispatch(request.method, request.path.partition("?")[0], request)
        cors = self.world.cors.response_headers(request)
        bearer_challenge = reply.status == 401 and self.strategy.name != "session"
        if cors or reply.set_cookies or bearer_challenge:
            headers: list[tuple[str, str]] = [_JSON, *cors]
            for line in reply.set_cookies:
                headers.append(("Set-Cookie", line))
            if bearer_challenge:
                headers.append(("WWW-Authenticate", 'Bearer realm="app"'))
            return _new_tuple(Response, (reply.status, tuple(headers), reply.body, ""))
        # Most answers carry only the content type (built with tuple.__new__, see World).
        return _new_tuple(Response, (reply.status, _JSON_ONLY, reply.body, ""))

    def _dispatch(self, method: str, path: str, request: Request) -> Reply:
        if method == "OPTIONS":
            return Reply(204)
        handler = ROUTES.get((method, path)) or EXTRA_ROUTES.get((method, path))
        if handler is None:
            return Reply(404, {"error": f"no route {method} {path}"})
        return handler(self, request)

    def _profile(self, request: Request) -> Reply:
        auth = self._authenticate(request)
        user = auth.user
        if user is None:
            return Reply(401, {"error": auth.reason})
        return Reply(200, {"user": user, "role": self.world.users.role(user)})

    def _refresh(self, request: Request) -> Reply:
        return self.strategy.refresh(self, request)

    def _logout(self, request: Request) -> Reply:
        return self.strategy.logout(self, request)

    def _authenticate(self, request: Request) -> AuthResult:
        auth = self.strategy.authenticate(self, request)
        self.verdict(auth.user is not None, self._check, auth.reason, auth.user)
        return auth

    def _login(self, request: Request) -> Reply:
        body: Any = request.body if isinstance(request.body, dict) else {}
        user = str(body.get("username", ""))
        password = str(body.get("password", ""))
        w = self.world
        row = w.users.get(user)
        w.store_event(
            self,
            "GET",
            f"user:{user}",
            None if row is None else "(password hash)",
            row is not None,
            None,
            explain=f"The server looks up {user or 'the user'} in the users table to "
            "compare password hashes.",
        )
        if row is None or not check_password(password, str(row["password"])):
            self.verdict(False, "password", "unknown user or wrong password", None)
            return Reply(401, {"error": "invalid username or password"})
        self.verdict(True, "password", f"scrypt hash of the password matches {user}'s", user)
        return self.strategy.login(self, request, user, bool(body.get("remember_me", False)))

    def _page(self, request: Request) -> Reply:
        # The HTML page itself: in session mode (and with a JWT cookie) the server renders
        # it for the signed-in user; otherwise the page's script finds out afterwards.
        w = self.world
        cookie_borne = self.strategy.name == "session" or (
            self.strategy.name == "jwt" and w.config.text("token_storage") == "cookie"
        )
        if not cookie_borne:
            return Reply(200, {"page": "app", "signed_in_as": None})
        auth = self._authenticate(request)
        body: dict[str, Any] = {"page": "app", "signed_in_as": auth.user}
        if auth.ok and auth.csrf:
            body["csrf_token"] = auth.csrf
        return Reply(200, body)

    def _transfer(self, request: Request) -> Reply:
        auth = self._authenticate(request)
        if not auth.ok:
            return Reply(401, {"error": auth.reason})
        w = self.world
        if w.config.flag("csrf_token") and auth.via == "cookie":
            sent = request.header("X-CSRF-Token")
            if not sent or sent != auth.csrf:
                why = "no X-CSRF-Token header" if not sent else "X-CSRF-Token does not match"
                self.verdict(
                    False, "csrf", f"{why}: a cross-site page cannot know the token", auth.user
                )
                return Reply(403, {"error": "CSRF token missing or wrong"})
            self.verdict(
                True, "csrf", "X-CSRF-Token matches the one bound to this login", auth.user
            )
        body: Any = request.body if isinstance(request.body, dict) else {}
        return Reply(
            200,
            {
                "transferred": body.get("amount"),
                "to": body.get("to"),
                "from": auth.user,
                "origin": origin_of_header(request),
            },
        )


def origin_of_header(request: Request) -> str | None:
    origin = request.header("Origin")
    return origin if origin else None


__all__ = ["EXTRA_ROUTES", "REMEMBER_ME_SECONDS", "Server", "origin_of"]


ROUTES: dict[tuple[str, str], Callable[[Server, Request], Reply]] = {
    ("POST", "/auth/login"): Server._login,
    ("GET", "/"): Server._page,
    ("GET", "/api/profile"): Server._profile,
    ("POST", "/api/transfer"): Server._transfer,
    ("POST", "/auth/refresh"): Server._refresh,
    ("POST", "/auth/logout"): Server._logout,
}
