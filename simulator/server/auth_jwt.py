"""JWT mode: a signed token in the body, sent back as a Bearer header (or a cookie)."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from authflow.simulator.server.auth_base import AuthResult, Reply
from authflow.simulator.server.jwt_tokens import JwtIssuer
from authflow.simulator.web.cookies_out import parse_cookie_header
from authflow.simulator.web.http import Request

if TYPE_CHECKING:
    from authflow.simulator.server.auth_context import AuthContext


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
    check = "jwt"

    def __init__(self, issuer: JwtIssuer) -> None:
        self.issuer = issuer

    def _extra_claims(self, ctx: AuthContext, user: str) -> dict[str, object]:
        extra: dict[str, object] = {}
        if ctx.config.text("revocation") == "token-version":
            extra["ver"] = ctx.users.token_version(user)
        if ctx.config.flag("csrf_token"):
            extra["csrf"] = ctx.entropy.token_urlsafe(16)
        return extra

    def issue_access(
        self, ctx: AuthContext, user: str, extra: dict[str, object] | None = None
    ) -> tuple[str, dict[str, object]]:
        """A new access token and the extra claims it carries."""
        claims = self._extra_claims(ctx, user)
        claims.update(extra or {})
        token = self.issuer.issue(
            user, ctx.users.role(user), ctx.config.number("access_ttl"), ctx.now(), claims
        )
        return token, claims

    def token_for(self, ctx: AuthContext, user: str, audience: str) -> str | None:
        """A token for another service (`aud`), signed with the same key."""
        token, _claims = self.issue_access(ctx, user, {"aud": audience})
        return token

    def login(self, ctx: AuthContext, request: Request, user: str, remember_me: bool) -> Reply:
        token, claims = self.issue_access(ctx, user)
        ttl = ctx.config.number("access_ttl")
        if ctx.config.text("token_storage") == "cookie":
            # The page relies on the browser to carry the token: a cookie, with a cookie's
            # CSRF exposure.
            body: dict[str, object] = {"user": user, "expires_in": ttl}
            if "csrf" in claims:
                body["csrf_token"] = claims["csrf"]
            return Reply(200, body, [ctx.credential_cookie("access_token", token, remember_me)])
        return Reply(200, {"access_token": token, "token_type": "Bearer", "expires_in": ttl})

    def credential(self, ctx: AuthContext, request: Request) -> tuple[str | None, str]:
        token = bearer_token(request)
        if token is not None:
            return token, "header"
        cookie = parse_cookie_header(request.header("Cookie")).get(ctx.cookie_name("access_token"))
        if cookie is not None:
            return cookie, "cookie"
        return None, ""

    def authenticate(self, ctx: AuthContext, request: Request) -> AuthResult:
        token, via = self.credential(ctx, request)
        if token is None:
            return AuthResult(None, "no token (no Authorization header, no token cookie)")
        return self.check_token(ctx, token, via)

    def check_token(self, ctx: AuthContext, token: str, via: str) -> AuthResult:
        ctx.tally.signature_checks += 1
        claims, why = self.issuer.verify(token, ctx.now())
        if claims is None:
            return AuthResult(None, why, via)
        user = str(claims["sub"])
        revocation = ctx.config.text("revocation")
        if revocation == "denylist":
            if ctx.store.get(f"deny:{claims.get('jti')}") is not None:
                return AuthResult(None, "token revoked: its jti is on the denylist", via, claims)
        elif revocation == "token-version":
            current = ctx.user_token_version(user)
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
            _accepted(claims.get("role"), user) if why == "valid" else f"{user}: {why}",
            via,
            claims,
            None if csrf is None else str(csrf),
        )

    def revoke(self, ctx: AuthContext, claims: Mapping[str, object]) -> None:
        revocation = ctx.config.text("revocation")
        if revocation == "denylist":
            left = max(1, int(float(str(claims.get("exp", 0))) - ctx.clock.epoch))
            ctx.store.set(
                f"deny:{claims.get('jti')}", json.dumps({"sub": claims.get("sub")}), ttl=left
            )
        elif revocation == "token-version":
            ctx.bump_user_token_version(str(claims.get("sub")))

    def logout(self, ctx: AuthContext, request: Request) -> Reply:
        token, via = self.credential(ctx, request)
        body: dict[str, object] = {"logged_out": True}
        if token is not None:
            result = self.check_token(ctx, token, via)
            if result.ok:
                self.revoke(ctx, result.claims)
        if ctx.config.text("revocation") == "none":
            body["note"] = "no server state: the token stays valid until exp"
        cookies: list[str] = []
        if ctx.config.text("token_storage") == "cookie":
            cookies.append(ctx.clear_credential_cookie("access_token"))
        return Reply(200, body, cookies)

    def refresh(self, ctx: AuthContext, request: Request) -> Reply:
        return Reply(404, {"error": "jwt mode has no refresh endpoint; log in again"})

    def revoke_user(
        self, ctx: AuthContext, user: str, presented: Mapping[str, Any] | None, why: str
    ) -> list[str]:
        """What the revocation setting allows: raise the token version, or denylist the
        token the request presented (the server kept no record of the others)."""
        revocation = ctx.config.text("revocation")
        if revocation == "token-version":
            ctx.bump_user_token_version(user)
            return ["raised the token version"]
        if revocation == "denylist" and presented is not None:
            self.revoke(ctx, presented)
            return [f"denylisted jti {presented.get('jti')}"]
        return []

    def logins(self, ctx: AuthContext, user: str) -> list[dict[str, Any]] | None:
        # A JWT server issues tokens and forgets them: it has no list of logins to show.
        return None

    def clear_cookies(self, ctx: AuthContext) -> list[str]:
        if ctx.config.text("token_storage") == "cookie":
            return [ctx.clear_credential_cookie("access_token")]
        return []
