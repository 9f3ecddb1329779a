"""What the app page's JavaScript does in each mode: log in, keep the token, call the API.

This is the simulated front end, so its choices (where a token lives, when to refresh)
are part of the simulation, not of the app that draws it.
"""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any, Protocol

from authflow.simulator.trace.details import NoteDetail
from authflow.simulator.web.cookies_out import parse_cookie_header
from authflow.simulator.web.http import Response

if TYPE_CHECKING:
    from authflow.simulator.browser.browser import Browser
    from authflow.simulator.config.settings import Config
    from authflow.simulator.trace.recorder import Recorder

TOKEN_KEY = "access_token"
CSRF_KEY = "csrf_token"


class PageWorld(Protocol):
    """What the page's script runs in: the browser, the mode and settings, the recorder."""

    mode: str
    config: Config
    recorder: Recorder

    @property
    def browser(self) -> Browser: ...


class PageScript:
    def __init__(self, world: PageWorld, browser: Browser | None = None) -> None:
        self.world = world
        self.browser = world.browser if browser is None else browser
        """The browser this page is open in: the user's own, unless another is given."""
        # A world's mode and settings are fixed for its life; read on every request.
        self.mode = world.mode
        self.storage = "memory" if self.mode == "hybrid" else world.config.text("token_storage")
        """Where the page keeps the access token: localStorage, memory or cookie."""
        self.bff = self.mode != "session" and world.config.flag("bff")
        """A backend-for-frontend keeps the tokens: the page holds none and never refreshes."""
        self._auth_token = ""
        self._auth_header = ("Authorization", "Bearer ")
        self.double_submit = world.config.text("csrf_defence") == "double-submit"
        """The server wants the csrf cookie echoed in X-CSRF-Token (signed double-submit)."""

    # -- the token ------------------------------------------------------------------------
    def token(self) -> str | None:
        if self.mode == "session" or self.storage == "cookie" or self.bff:
            return None
        if self.storage == "localStorage":
            return self.browser.local_storage.get(self.browser.app_origin, {}).get(TOKEN_KEY)
        return self.browser.page.memory.get(TOKEN_KEY)

    def keep_token(self, token: str) -> None:
        if self.storage == "localStorage":
            self.browser.set_local(
                TOKEN_KEY,
                token,
                "The page's script saves the token in "
                "localStorage: it survives reloads and restarts, and any "
                "script on this origin can read it.",
            )
        else:
            self.browser.set_memory(
                TOKEN_KEY,
                token,
                "The page's script keeps the token in a "
                "JavaScript variable: gone on reload, but readable by any "
                "script running in the page while it is open.",
            )

    def drop_token(self, why: str) -> None:
        if self.storage == "localStorage":
            self.browser.remove_local(TOKEN_KEY, why)
        elif self.browser.page.memory:
            self.browser.forget_memory(why)

    def accept_credentials(self, body: Any) -> None:
        """Keep what a login-like answer hands the page: a CSRF token, an access token."""
        if not isinstance(body, dict):
            return
        if CSRF_KEY in body:
            self.browser.set_memory(
                CSRF_KEY,
                str(body[CSRF_KEY]),
                "The page keeps the CSRF token "
                "in memory to send it in a header; a cross-site page "
                "cannot read it.",
            )
        if TOKEN_KEY in body:
            self.keep_token(str(body[TOKEN_KEY]))

    def _signed_in(self, user: str | None) -> None:
        if self.browser.page.signed_in_as != user:
            self.browser.page.signed_in_as = user
            self.browser.changed()
            # Its own event, so the page's new look is in the trace at the moment it
            # changes rather than only from the next hop on.
            shown = f"Signed in as {user}" if user else "the login form"
            self.world.recorder.emit(
                "note",
                self.browser.name,
                self.browser.name,
                f"page shows {shown}",
                f"The page now shows {shown}.",
                NoteDetail(f"page shows {shown}", extra={"signed_in_as": user}),
            )

    # -- requests the page makes ----------------------------------------------------------
    def fetch(self, method: str, path: str, body: Any = None, why: str = "") -> Response | None:
        headers: list[tuple[str, str]] = []
        token = self.token()
        if token is not None:
            headers.append(self._authorization(token))
        csrf = self.browser.page.memory.get(CSRF_KEY)
        if csrf is None and self.double_submit and method not in ("GET", "HEAD"):
            # The signed double-submit cookie: the page reads it and echoes it.
            visible = self.browser.jar.script_visible(
                self.browser.app_origin + "/", now=self.world.recorder.clock.t
            )
            csrf = parse_cookie_header(visible).get("csrf")
        if csrf is not None and method not in ("GET", "HEAD"):
            headers.append(("X-CSRF-Token", csrf))
        return self.browser.send(
            method,
            self.browser.app_origin + path,
            initiator=self.browser.app_origin,
            kind="fetch",
            headers=headers,
            body=body,
            why=why,
        )

    def _authorization(self, token: str) -> tuple[str, str]:
        # The same token goes out on request after request: one header for all of them
        # (each request's headers stay in the trace for the rest of the run).
        if token != self._auth_token:
            self._auth_token = token
            self._auth_header = ("Authorization", f"Bearer {token}")
        return self._auth_header

    def login(self, user: str, password: str, remember_me: bool) -> None:
        body: dict[str, Any] = {"username": user, "password": password}
        if remember_me:
            body["remember_me"] = True
        response = self.browser.send(
            "POST",
            self.browser.app_origin + "/auth/login",
            initiator=self.browser.app_origin,
            kind="fetch",
            body=body,
            why=f"The page posts {user}'s username and password to /auth/login over "
            f"{self.world.config.text('scheme')}.",
        )
        if response is not None and response.status == 200:
            self.accept_credentials(response.body)
            self._signed_in(user)
        elif response is not None:
            self._signed_in(None)

    def _cookie_rides(self, name: str, path: str) -> bool:
        """Whether the browser would attach cookie `name` to the page's own POST `path`."""
        b = self.browser
        header, _ = b.jar.cookie_header(
            b.app_origin + path, self.world.recorder.clock.t, b.app_origin, "fetch", "POST", False
        )
        return any(part.split("=", 1)[0].strip() == name for part in header.split(";"))

    def refresh(self) -> bool:
        """Hybrid: ask for a new access token with the refresh cookie. True on success."""
        why = (
            "The page asks /auth/refresh for a new access token; the browser adds the refresh "
            "cookie itself, because its Path is /auth/refresh."
            if self._cookie_rides("refresh", "/auth/refresh")
            else "The page asks /auth/refresh for a new access token, but the browser holds "
            "no refresh cookie to attach."
        )
        response = self.fetch("POST", "/auth/refresh", why=why)
        return self._took_refresh(response)

    def _took_refresh(self, response: Response | None) -> bool:
        """Keep what a refresh answer hands this page; True when it was a success."""
        if response is not None and response.status == 200 and isinstance(response.body, dict):
            self.accept_credentials(response.body)
            user = self._user_of(response.body)
            self._signed_in(user)
            return True
        if self.mode == "hybrid":
            self.drop_token("The refresh failed, so the page forgets its access token.")
            self._signed_in(None)
        return False

    def refresh_in_two_tabs(self, lock: bool) -> tuple[Response | None, Response | None]:
        """Two tabs of the app ask /auth/refresh for a new access token at the same
        moment. Without a lock both requests are built before either answer arrives, so
        both carry the refresh cookie the jar holds now; with one (Web Locks), the second
        tab waits for the first and sends the cookie its answer left in the jar. This
        page is tab 1; tab 2's answers are recorded, not kept."""
        b = self.browser
        url = b.app_origin + "/auth/refresh"
        first_why = (
            "Tab 1 asks /auth/refresh for a new access token; the browser adds the cookies "
            "scoped to that path."
        )
        if lock:
            first = b.send("POST", url, initiator=b.app_origin, kind="fetch", why=first_why)
            self._took_refresh(first)
            second = b.send(
                "POST",
                url,
                initiator=b.app_origin,
                kind="fetch",
                why="Tab 2 waited for tab 1 to release the refresh lock, then sends its own "
                "refresh with the refresh cookie the jar holds now.",
            )
            return first, second
        ready_1 = b.prepare("POST", url, initiator=b.app_origin, kind="fetch")
        ready_2 = b.prepare("POST", url, initiator=b.app_origin, kind="fetch")
        first = None if ready_1 is None else b.dispatch(ready_1, first_why)
        second = None
        if ready_2 is not None:
            second = b.dispatch(
                ready_2,
                "Tab 2 sent its refresh at the same moment, before tab 1's answer came "
                "back: it carries the very cookies tab 1's request carried.",
            )
        self._took_refresh(first)
        return first, second

    def _user_of(self, body: dict[str, Any]) -> str | None:
        token = body.get(TOKEN_KEY)
        if not isinstance(token, str):
            return self.browser.page.signed_in_as
        try:
            # The page reads `sub` from the payload to greet the user; anyone can, since
            # a JWT is signed, not encrypted.
            segment = token.split(".")[1]
            payload = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
            return str(payload.get("sub"))
        except (IndexError, ValueError):
            return None

    def api(self, method: str, path: str, body: Any = None) -> Response | None:
        refreshes = self.mode == "hybrid" and not self.bff
        if refreshes and self.token() is None and self.browser.page.signed_in_as:
            self.refresh()
        response = self.fetch(method, path, body)
        retry = response is not None and response.status == 401 and refreshes
        # The usual SPA interceptor: on 401, refresh once and retry.
        if retry and self.refresh():
            response = self.fetch(method, path, body)
        if response is None:
            return None
        if response.status == 200 and isinstance(response.body, dict) and "user" in response.body:
            self._signed_in(str(response.body["user"]))
        elif response.status == 401:
            if self.mode == "jwt" and self.token() is not None:
                self.drop_token("The server refused the token, so the page throws it away.")
            self._signed_in(None)
        return response

    def logout(self) -> None:
        self.fetch("POST", "/auth/logout", why=self._logout_why())
        self._forget_login()

    def logout_everywhere(self) -> Response | None:
        """ "Log out of all devices": the server ends what it can; this page forgets its own."""
        response = self.fetch(
            "POST",
            "/auth/logout-all",
            why="The page asks the server to end every login of this account, on every device, "
            "with the credential this page holds.",
        )
        self._forget_login()
        return response

    def _forget_login(self) -> None:
        if self.mode != "session":
            self.drop_token(
                "Logging out, the page forgets the token. Any copy of it elsewhere is untouched."
            )
        if self.browser.page.memory:
            self.browser.forget_memory("The page clears what it kept in memory.")
        self._signed_in(None)

    def _logout_why(self) -> str:
        revocation = self.world.config.text("revocation")
        if self.mode == "session":
            if self._cookie_rides("sid", "/auth/logout"):
                return (
                    "The page posts to /auth/logout; the sid cookie rides along so the server "
                    "knows which session to end."
                )
            return (
                "The page posts to /auth/logout, but no sid cookie rides along, so the server "
                "cannot tell which session to end."
            )
        if self.token() is None:
            return "The page posts to /auth/logout with no token to show the server."
        if self.mode == "jwt":
            return {
                "none": "The page posts to /auth/logout, but with no revocation the server keeps "
                "no state to change: the token itself stays valid until exp.",
                "denylist": "The page posts to /auth/logout with its token, so the server can put "
                "its jti on the denylist.",
                "token-version": "The page posts to /auth/logout with its token, so the server "
                "can raise the user's token version.",
            }[revocation]
        ending = {
            "none": "the access token itself stays valid until its short exp",
            "denylist": "the access token's jti goes on the denylist",
            "token-version": "the user's token version goes up",
        }[revocation]
        return (
            "The page posts to /auth/logout with its access token, so the server can revoke the "
            f"refresh token family it belongs to; {ending}."
        )

    def load_page(self, why: str, path: str = "/") -> Response | None:
        """A top-level navigation to the app (at `path`, query included), then what the
        page's script does on load; the navigation's answer."""
        b = self.browser
        response = b.send("GET", b.app_origin + path, initiator=None, kind="navigate", why=why)
        user = None
        if response is not None and isinstance(response.body, dict):
            user = response.body.get("signed_in_as")
            if response.body.get(CSRF_KEY):
                b.set_memory(
                    CSRF_KEY,
                    str(response.body[CSRF_KEY]),
                    "The page keeps the CSRF token the server rendered into it.",
                )
        self._signed_in(None if user is None else str(user))
        if self.mode == "jwt" and self.storage == "localStorage" and self.token() is not None:
            self.api("GET", "/api/profile")
        elif self.mode == "hybrid" and not self.bff:
            # Page memory is empty after a load: a silent refresh gets a new access token
            # if the refresh cookie is still there.
            self.refresh()
        return response
