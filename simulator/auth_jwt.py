"""JWT mode: a signed token in the body, sent back as a Bearer header (or a cookie)."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

from simulator.auth_base import AuthResult, Reply
from simulator.cookies_out import clear_cookie_line, parse_cookie_header
from simulator.http import Request
from simulator.jwt_tokens import JwtIssuer

if TYPE_CHECKING:
    from simulator.server import Server


def bearer_token(request: Request) -> str | None:
    value = request.header("Authorization")
    return None if value is None else _bearer(value)


# The page sends the same Authorization header on every request until the token changes.
@functools.lru_cache(maxsize=64)
def _bearer(value: str) -> str | None:
    scheme, _, token = value.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


@functools.lru_cache(maxsize=256)
def _accepted(role: object, user: str) -> str:
    return f"signature valid, {role} {user}, not expired"


class JwtStrategy:
    name = "jwt"

    def __init__(self, issuer: JwtIssuer) -> None:
        self.issuer = issuer

    def _extra_claims(self, server: Server, user: str) -> dict[str, object]:
        w = server.world
        extra: dict[str, object] = {}
        if w.config.text("revocation") == "token-version":
            extra["ver"] = w.users.token_version(user)
        if w.config.flag("csrf_token"):
            extra["csrf"] = w.entropy.token_urlsafe(16)
        return extra

    def issue_access(
        self, server: Server, user: str, extra: dict[str, object] | None = None
    ) -> tuple[str, dict[str, object]]:
        """A new access token and the extra claims it carries."""
        w = server.world
        claims = self._extra_claims(server, user)
        claims.update(extra or {})
        token = self.issuer.issue(user, w.users.role(user), w.config.number("access_ttl"), claims)
        return token, claims

    def login(self, server: Server, request: Request, user: str, remember_me: bool) -> Reply:
        w = server.world
        token, claims = self.issue_access(server, user)
        ttl = w.config.number("access_ttl")
        if w.config.text("token_storage") == "cookie":
            # The page relies on the browser to carry the token: a cookie, with a cookie's
            # CSRF exposure.
            body: dict[str, object] = {"user": user, "expires_in": ttl}
            if "csrf" in claims:
                body["csrf_token"] = claims["csrf"]
            return Reply(200, body, [server.credential_cookie("access_token", token, remember_me)])
        return Reply(200, {"access_token": token, "token_type": "Bearer", "expires_in": ttl})

    def credential(self, request: Request) -> tuple[str | None, str]:
        token = bearer_token(request)
        if token is not None:
            return token, "header"
        cookie = parse_cookie_header(request.header("Cookie")).get("access_token")
        if cookie is not None:
            return cookie, "cookie"
        return None, ""

    def authenticate(self, server: Server, request: Request) -> AuthResult:
        token, via = self.credential(request)
        if token is None:
            return AuthResult(None, "no token (no Authorization header, no token cookie)")
        return self.check_token(server, token, via)

    def check_token(self, server: Server, token: str, via: str) -> AuthResult:
        w = server.world
        w.recorder.tally.signature_checks += 1
        claims, why = self.issuer.verify(token)
        if claims is None:
            return AuthResult(None, why, via)
        user = str(claims["sub"])
        revocation = w.config.text("revocation")
        if revocation == "denylist":
            if server.store.get(f"deny:{claims.get('jti')}") is not None:
                return AuthResult(None, "token revoked: its jti is on the denylist", via, claims)
        elif revocation == "token-version":
            current = server.read_user_token_version(user)
            if claims.get("ver") != current:
                return AuthResult(
                    None,
                    f"token revoked: version {claims.get('ver')} is not the user's current "
                    f"{current}",
                    via,
                    claims,
                )
        csrf = claims.get("csrf")
        return AuthResult(
            user,
            _accepted(claims.get("role"), user),
            via,
            claims,
            None if csrf is None else str(csrf),
        )

    def revoke(self, server: Server, claims: Mapping[str, object]) -> None:
        w = server.world
        revocation = w.config.text("revocation")
        if revocation == "denylist":
            left = max(1, int(float(str(claims.get("exp", 0))) - w.clock.epoch))
            server.store.set(
                f"deny:{claims.get('jti')}", json.dumps({"sub": claims.get("sub")}), ttl=left
            )
        elif revocation == "token-version":
            server.bump_user_token_version(str(claims.get("sub")))

    def logout(self, server: Server, request: Request) -> Reply:
        token, via = self.credential(request)
        body: dict[str, object] = {"logged_out": True}
        if token is not None:
            result = self.check_token(server, token, via)
            if result.ok:
                self.revoke(server, result.claims)
        if server.world.config.text("revocation") == "none":
            body["note"] = "no server state: the token stays valid until exp"
        cookies: list[str] = []
        if server.world.config.text("token_storage") == "cookie":
            c = server.world.config
            cookies.append(
                clear_cookie_line(
                    "access_token",
                    clock=server.world.clock,
                    path=c.text("cookie_path"),
                    secure=c.flag("secure"),
                    http_only=c.flag("http_only"),
                    same_site=c.text("same_site"),
                )
            )
        return Reply(200, body, cookies)

    def refresh(self, server: Server, request: Request) -> Reply:
        return Reply(404, {"error": "jwt mode has no refresh endpoint; log in again"})
