"""The backend-for-frontend pattern: the app's own backend keeps the tokens in its
store and hands the browser only a cookie; the page holds no token at all.

It wraps the mode's token strategy (jwt or hybrid): login gets the tokens from it and
stores them under a new random id, which becomes the `bff` cookie (with the lesson's
credential-cookie settings: HttpOnly, SameSite ...). Each request's cookie finds the
tokens, and the access token is checked as the API would check a Bearer header; in
hybrid mode the backend refreshes an expired one itself. (OAuth 2.0 for Browser-Based
Apps, the "Backend For Frontend" architecture.)
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from authflow.simulator.server.auth_base import AuthResult, Reply
from authflow.simulator.server.auth_hybrid import HybridStrategy
from authflow.simulator.server.auth_jwt import JwtStrategy
from authflow.simulator.web.cookies_out import parse_cookie_header
from authflow.simulator.web.http import Request

if TYPE_CHECKING:
    from authflow.simulator.server.auth_context import AuthContext

COOKIE = "bff"


def _tokens_of(reply: Reply) -> dict[str, str]:
    """The tokens a login or refresh answer hands out: the body's access token and the
    refresh cookie's value."""
    found: dict[str, str] = {}
    if isinstance(reply.body, dict) and isinstance(reply.body.get("access_token"), str):
        found["access_token"] = reply.body["access_token"]
    for line in reply.set_cookies:
        name, _, rest = line.partition("=")
        value = rest.split(";", 1)[0].strip()
        if value and "Max-Age=0" not in line:
            found[name.strip()] = value
    return found


class BffStrategy:
    check = "bff"

    def __init__(self, inner: JwtStrategy | HybridStrategy) -> None:
        self.inner = inner
        self.name = inner.name
        self.access = inner if isinstance(inner, JwtStrategy) else inner.access

    def _record(self, ctx: AuthContext, request: Request) -> tuple[str | None, dict[str, Any]]:
        sid = parse_cookie_header(request.header("Cookie")).get(COOKIE)
        if sid is None:
            return None, {}
        raw = ctx.store.get(f"bff:{sid}")
        return sid, ({} if raw is None else json.loads(raw))

    def _keep(self, ctx: AuthContext, sid: str, record: dict[str, Any], why: str) -> None:
        ctx.store.set(
            f"bff:{sid}", json.dumps(record), ttl=ctx.config.number("session_ttl"), why=why
        )

    def login(self, ctx: AuthContext, request: Request, user: str, remember_me: bool) -> Reply:
        tokens = _tokens_of(self.inner.login(ctx, request, user, remember_me))
        sid = ctx.entropy.token_hex(16)
        record: dict[str, Any] = {"user": user, **tokens}
        body: dict[str, str] = {"user": user}
        if ctx.config.flag("csrf_token"):
            record["csrf"] = body["csrf_token"] = ctx.entropy.token_urlsafe(16)
        self._keep(
            ctx,
            sid,
            record,
            "The backend keeps the tokens in its own store under a new random id: the "
            "browser gets only that id, in a cookie, and never sees a token.",
        )
        return Reply(200, body, [ctx.credential_cookie(COOKIE, sid, remember_me)])

    def authenticate(self, ctx: AuthContext, request: Request) -> AuthResult:
        sid, record = self._record(ctx, request)
        if sid is None:
            return AuthResult(None, "no bff cookie")
        if not record:
            return AuthResult(
                None, "no such backend session (logged out, expired or lost)", "cookie"
            )
        ctx.store.expire(f"bff:{sid}", ctx.config.number("session_ttl"))
        result = self.access.check_token(ctx, str(record.get("access_token", "")), "cookie")
        if not result.ok and "refresh" in record and isinstance(self.inner, HybridStrategy):
            # The backend refreshes for the page, with the refresh token it keeps.
            answer = self.inner.refresh(
                ctx, Request("POST", request.url, (("Cookie", f"refresh={record['refresh']}"),))
            )
            if answer.status != 200:
                return AuthResult(None, "the backend's refresh was refused", "cookie")
            record.update(_tokens_of(answer))
            self._keep(ctx, sid, record, "The backend stores the rotated tokens it just got.")
            result = self.access.check_token(ctx, str(record["access_token"]), "cookie")
        csrf = record.get("csrf")
        return result._replace(csrf=None if csrf is None else str(csrf))

    def logout(self, ctx: AuthContext, request: Request) -> Reply:
        sid, record = self._record(ctx, request)
        if sid is not None and record:
            token = str(record.get("access_token", ""))
            self.inner.logout(
                ctx, Request("POST", request.url, (("Authorization", f"Bearer {token}"),))
            )
            ctx.store.delete(
                f"bff:{sid}",
                why="The backend deletes the session and the tokens it kept for it.",
            )
        return Reply(200, {"logged_out": True}, self.clear_cookies(ctx))

    def refresh(self, ctx: AuthContext, request: Request) -> Reply:
        return Reply(
            404, {"error": "with a backend-for-frontend the backend refreshes, not the page"}
        )

    def token_for(self, ctx: AuthContext, user: str, audience: str) -> str | None:
        """Single sign-on goes through the backend too: it signs as the mode's issuer."""
        return self.inner.token_for(ctx, user, audience)

    def revoke_user(
        self, ctx: AuthContext, user: str, presented: Mapping[str, Any] | None, why: str
    ) -> list[str]:
        done: list[str] = []
        for key in ctx.store.keys("bff:"):
            raw = ctx.store.get(key, why=f"{why}: the backend looks for {user}'s sessions.")
            if raw is not None and json.loads(raw).get("user") == user:
                ctx.store.delete(key, why=f"{why}: the backend deletes one of {user}'s sessions.")
                done.append(f"deleted backend session {key[4:12]}…")
        return done + self.inner.revoke_user(ctx, user, presented, why)

    def logins(self, ctx: AuthContext, user: str) -> list[dict[str, Any]] | None:
        found: list[dict[str, Any]] = []
        for key in ctx.store.keys("bff:"):
            raw = ctx.store.get(key, why=f"The backend looks for {user}'s sessions to list them.")
            if raw is not None and json.loads(raw).get("user") == user:
                found.append({"session": key[4:12] + "…"})
        return found

    def clear_cookies(self, ctx: AuthContext) -> list[str]:
        return [ctx.clear_credential_cookie(COOKIE)]
