"""The app server: its routes, and the auth strategy of the mode being run.

A server is handed its `AuthContext` (settings, clock, randomness, users table, its
store, counters) and the CORS policy; it never reaches into the world around it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from authflow.simulator.server import csrf_double_submit as double_submit
from authflow.simulator.server.auth_base import AuthResult, Reply, Strategy
from authflow.simulator.server.auth_context import AuthContext
from authflow.simulator.server.keyring import JWKS_PATH, KeyRing
from authflow.simulator.server.users import check_password
from authflow.simulator.web.cors import CorsPolicy
from authflow.simulator.web.http import Request, Response

PASSWORD_PATH = "/account/password"
TOKEN_PATH = "/auth/token"
SESSIONS_PATH = "/account/sessions"
LOGOUT_ALL_PATH = "/auth/logout-all"
_JSON = ("Content-Type", "application/json")
_JSON_ONLY = (_JSON,)
_new_tuple = tuple.__new__


class Server:
    def __init__(
        self,
        auth: AuthContext,
        strategy: Strategy,
        cors: CorsPolicy,
        keys: KeyRing,
        csrf_secret: str = "",
    ) -> None:
        self.auth = auth
        self.name = auth.server
        self.store = auth.store
        self.strategy = strategy
        self.cors = cors
        self.keys = keys
        """The signing keys every server shares, and the JWKS they publish."""
        self.csrf_secret = csrf_secret
        """The key that signs double-submit CSRF cookies (the server's own secret)."""

    # -- request handling -----------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        path = request.path.partition("?")[0]
        reply = self._dispatch(request.method, path, request)
        cors = self.cors.response_headers(request)
        bearer_challenge = (
            reply.status == 401 and self.strategy.name != "session" and self.strategy.check != "bff"
        )
        policy = self.auth.config.text("referrer_policy")
        if policy != "unset" and path == "/":
            # The app's page sets the policy for every request the page then makes.
            cors = [*cors, ("Referrer-Policy", policy)]
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
        handler = ROUTES.get((method, path))
        if handler is None:
            return Reply(404, {"error": f"no route {method} {path}"})
        return handler(self, request)

    def authenticate(self, request: Request) -> AuthResult:
        """Check the request's credential and record the verdict."""
        auth = self.strategy.authenticate(self.auth, request)
        self.auth.verdict(auth.user is not None, self.strategy.check, auth.reason, auth.user)
        return auth

    def _csrf_refusal(self, request: Request, auth: AuthResult) -> Reply | None:
        """With a CSRF defence on, a request the browser authenticated by itself (a
        cookie) must also prove it came from the app's own pages: a token bound to the
        login, an Origin header equal to the app's, or a Sec-Fetch-Site header saying the
        same. A header credential needs none of it, since a cross-site page cannot make
        the browser send one. None: it may pass."""
        defence = self.auth.config.text("csrf_defence")
        if defence == "none" or auth.via != "cookie":
            return None
        if defence == "token":
            sent = request.header("X-CSRF-Token")
            ok = bool(sent) and sent == auth.csrf
            why = (
                "X-CSRF-Token matches the one bound to this login"
                if ok
                else ("no X-CSRF-Token header" if not sent else "X-CSRF-Token does not match")
                + ": a cross-site page cannot know the token"
            )
        elif defence == "double-submit":
            ok, why = double_submit.check(request, auth.user, self.csrf_secret)
        elif defence == "origin-check":
            origin = request.header("Origin")
            ok = origin == self.cors.app_origin
            why = (
                f"Origin {origin} is the app's own"
                if ok
                else f"Origin {origin or '(none)'} is not the app's own {self.cors.app_origin}"
            )
        else:
            site = request.header("Sec-Fetch-Site")
            # Browsers that send no Fetch Metadata (old ones, or plain http) are let through:
            # the check can only refuse what a browser says is cross-site.
            ok = site in (None, "", "same-origin", "none")
            why = (
                f"Sec-Fetch-Site is {site}"
                if site
                else "no Sec-Fetch-Site header (the browser sent no Fetch Metadata)"
            ) + ("" if ok else ": the request was started by another site")
        self.auth.verdict(ok, "csrf", why, auth.user)
        if ok:
            return None
        if defence in ("token", "double-submit"):
            return Reply(403, {"error": "CSRF token missing or wrong"})
        return Reply(403, {"error": f"cross-site request refused ({defence})"})

    def _login_csrf_refusal(self, request: Request) -> Reply | None:
        """Login CSRF: another site's form logs the browser in to an account it chose.
        No login exists yet for a token to be bound to, so only the checks that need no
        session can refuse it: the Origin header, or Sec-Fetch-Site. A login with neither
        header comes from no browser (a script, the attacker's own machine), which no
        other site can make a victim send. None: it may pass."""
        defence = self.auth.config.text("csrf_defence")
        if defence == "origin-check":
            origin = request.header("Origin")
            if not origin or origin == self.cors.app_origin:
                return None
            why = f"login with Origin {origin}, not the app's own {self.cors.app_origin}"
        elif defence == "fetch-metadata":
            site = request.header("Sec-Fetch-Site")
            if site in (None, "", "same-origin", "none"):
                return None
            why = f"login with Sec-Fetch-Site {site}: the form was sent by another site"
        else:
            return None
        self.auth.verdict(False, "csrf", why, None)
        return Reply(403, {"error": f"cross-site login refused ({defence})"})

    def _profile(self, request: Request) -> Reply:
        auth = self.authenticate(request)
        user = auth.user
        if user is None:
            return Reply(401, {"error": auth.reason})
        return Reply(200, {"user": user, "role": self.auth.users.role(user)})

    def _refresh(self, request: Request) -> Reply:
        return self.strategy.refresh(self.auth, request)

    def _logout(self, request: Request) -> Reply:
        return self.strategy.logout(self.auth, request)

    def _login(self, request: Request) -> Reply:
        refused = self._login_csrf_refusal(request)
        if refused is not None:
            return refused
        body: Any = request.body if isinstance(request.body, dict) else {}
        user = str(body.get("username", ""))
        password = str(body.get("password", ""))
        ctx = self.auth
        row = ctx.users.get(user)
        ctx.users_hop(
            "GET",
            user,
            None if row is None else "(password hash)",
            row is not None,
            f"The server looks up {user or 'the user'} in the users table to "
            "compare password hashes.",
        )
        if row is None or not check_password(password, str(row["password"])):
            ctx.verdict(False, "password", "unknown user or wrong password", None)
            return Reply(401, {"error": "invalid username or password"})
        ctx.verdict(True, "password", f"scrypt hash of the password matches {user}'s", user)
        reply = self.strategy.login(ctx, request, user, bool(body.get("remember_me", False)))
        if reply.status == 200 and ctx.config.text("csrf_defence") == "double-submit":
            line = double_submit.cookie_line(self.csrf_secret, user, ctx.entropy.token_hex(8))
            reply = reply._replace(set_cookies=[*reply.set_cookies, line])
        return reply

    def _page(self, request: Request) -> Reply:
        # The HTML page itself: in session mode (and with a JWT cookie) the server renders
        # it for the signed-in user; otherwise the page's script finds out afterwards.
        cookie_borne = (
            self.strategy.name == "session"
            or self.strategy.check == "bff"
            or (self.strategy.name == "jwt" and self.auth.config.text("token_storage") == "cookie")
        )
        if not cookie_borne:
            return Reply(200, {"page": "app", "signed_in_as": None})
        auth = self.authenticate(request)
        body: dict[str, Any] = {"page": "app", "signed_in_as": auth.user}
        if auth.ok and auth.csrf:
            body["csrf_token"] = auth.csrf
        return Reply(200, body)

    def _transfer(self, request: Request) -> Reply:
        auth = self.authenticate(request)
        if not auth.ok:
            return Reply(401, {"error": auth.reason})
        refused = self._csrf_refusal(request, auth)
        if refused is not None:
            return refused
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

    def _change_password(self, request: Request) -> Reply:
        """The signed-in user changes their password: the server ends every other login
        of the account it can reach (what it can depends on the mode and `revocation`)
        and signs this one in again with a new credential."""
        ctx = self.auth
        auth = self.authenticate(request)
        if not auth.ok or auth.user is None:
            return Reply(401, {"error": auth.reason})
        user = auth.user
        refused = self._csrf_refusal(request, auth)
        if refused is not None:
            return refused
        body: Any = request.body if isinstance(request.body, dict) else {}
        row = ctx.users.get(user)
        old = str(body.get("old_password", ""))
        if row is None or not check_password(old, str(row["password"])):
            ctx.verdict(False, "password", "the current password does not match", user)
            return Reply(403, {"error": "current password is wrong"})
        ctx.verdict(True, "password", f"current password matches {user}'s", user)
        ctx.set_password(
            user,
            str(body.get("new_password", "")),
            "(new password hash)",
            f"The server stores the scrypt hash of {user}'s new password.",
        )
        done = self.strategy.revoke_user(ctx, user, auth.claims or None, "Password changed")
        if not done:
            done.append("nothing: with no revocation a JWT cannot be ended early")
        # The user stays signed in here with a brand-new credential.
        reply = self.strategy.login(ctx, request, user, False)
        if isinstance(reply.body, dict):
            reply.body["revoked"] = done
        return reply

    def _jwks(self, request: Request) -> Reply:
        """The public keys, for anyone who verifies the tokens: public by design."""
        if self.strategy.name == "session":
            return Reply(404, {"error": "session mode signs no tokens and publishes no keys"})
        return Reply(200, self.keys.jwks())

    def _token(self, request: Request) -> Reply:
        """Single sign-on: the signed-in user asks for a token for another service (its
        `audience`); the server signs it with the same key as its own tokens."""
        auth = self.authenticate(request)
        if not auth.ok or auth.user is None:
            return Reply(401, {"error": auth.reason})
        body: Any = request.body if isinstance(request.body, dict) else {}
        audience = str(body.get("audience", ""))
        if not audience:
            return Reply(400, {"error": "no audience: which service is the token for?"})
        token = self.strategy.token_for(self.auth, auth.user, audience)
        if token is None:
            return Reply(404, {"error": "session mode signs no tokens"})
        return Reply(200, {"access_token": token, "token_type": "Bearer", "audience": audience})

    def _sessions(self, request: Request) -> Reply:
        """The signed-in user's list of logins ("where you're signed in")."""
        auth = self.authenticate(request)
        if auth.user is None:
            return Reply(401, {"error": auth.reason})
        found = self.strategy.logins(self.auth, auth.user)
        if found is None:
            return Reply(
                200,
                {
                    "user": auth.user,
                    "logins": None,
                    "note": "the server keeps no record of the tokens it issued",
                },
            )
        return Reply(200, {"user": auth.user, "logins": found})

    def _logout_all(self, request: Request) -> Reply:
        """Log out of every device: end every login of the user this server can reach
        (what it can depends on the mode and `revocation`), and clear this browser's."""
        auth = self.authenticate(request)
        if auth.user is None:
            return Reply(401, {"error": auth.reason})
        refused = self._csrf_refusal(request, auth)
        if refused is not None:
            return refused
        done = self.strategy.revoke_user(
            self.auth, auth.user, auth.claims or None, "Log out of all devices"
        )
        if not done:
            done.append("nothing: with no revocation a JWT cannot be ended early")
        return Reply(
            200,
            {"logged_out_everywhere": True, "revoked": done},
            self.strategy.clear_cookies(self.auth),
        )


def origin_of_header(request: Request) -> str | None:
    origin = request.header("Origin")
    return origin if origin else None


ROUTES: dict[tuple[str, str], Callable[[Server, Request], Reply]] = {
    ("POST", "/auth/login"): Server._login,
    ("GET", "/"): Server._page,
    ("GET", "/api/profile"): Server._profile,
    ("POST", "/api/transfer"): Server._transfer,
    ("POST", "/auth/refresh"): Server._refresh,
    ("POST", "/auth/logout"): Server._logout,
    ("POST", PASSWORD_PATH): Server._change_password,
    ("GET", JWKS_PATH): Server._jwks,
    ("POST", TOKEN_PATH): Server._token,
    ("GET", SESSIONS_PATH): Server._sessions,
    ("POST", LOGOUT_ALL_PATH): Server._logout_all,
}
"""(method, path) -> handler: every route the app server has."""
