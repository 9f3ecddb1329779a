"""Hybrid: a short access JWT in page memory plus a rotating refresh token in a cookie.

The refresh token is stored hashed, in a family; every refresh marks the presented token
used and issues the next one. Presenting a used token means a copy exists somewhere, so
the whole family is revoked (OAuth 2.0 Security BCP, RFC 9700 section 4.14.2).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from authflow.simulator.server.auth_base import AuthResult, Reply
from authflow.simulator.server.auth_jwt import JwtStrategy
from authflow.simulator.web.cookies_out import (
    clear_cookie_line,
    parse_cookie_header,
    set_cookie_line,
)
from authflow.simulator.web.http import Request

if TYPE_CHECKING:
    from authflow.simulator.server.auth_context import AuthContext

REFRESH_PATH = "/auth/refresh"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()[:32]


class HybridStrategy:
    name = "hybrid"
    check = "jwt"

    def __init__(self, access: JwtStrategy) -> None:
        self.access = access

    def _refresh_cookie(self, ctx: AuthContext, token: str) -> str:
        # Fixed flags: HttpOnly, Secure, SameSite=Strict, scoped to the refresh path, alive
        # as long as the token. The lesson's cookie settings apply to sid/access_token.
        return set_cookie_line(
            "refresh",
            token,
            clock=ctx.clock,
            path=REFRESH_PATH,
            http_only=True,
            secure=True,
            same_site="Strict",
            max_age=ctx.config.number("refresh_ttl"),
        )

    def _clear(self, ctx: AuthContext) -> str:
        return clear_cookie_line("refresh", clock=ctx.clock, path=REFRESH_PATH, same_site="Strict")

    def _new_refresh(self, ctx: AuthContext, user: str, family: str) -> str:
        token = ctx.entropy.token_urlsafe(32)
        ttl = ctx.config.number("refresh_ttl")
        record = {"user": user, "family": family, "used": False}
        ctx.store.set(f"refresh:{token_hash(token)}", json.dumps(record), ttl=ttl)
        return token

    def _access_body(self, ctx: AuthContext, user: str, family: str) -> dict[str, object]:
        """A new access token of `family`, as the answer's body hands it to the page."""
        token, claims = self.access.issue_access(ctx, user, {"fam": family})
        body: dict[str, object] = {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": ctx.config.number("access_ttl"),
        }
        if "csrf" in claims:
            body["csrf_token"] = claims["csrf"]
        return body

    def _grant(self, ctx: AuthContext, user: str, family: str) -> Reply:
        body = self._access_body(ctx, user, family)
        refresh = self._new_refresh(ctx, user, family)
        return Reply(200, body, [self._refresh_cookie(ctx, refresh)])

    def login(self, ctx: AuthContext, request: Request, user: str, remember_me: bool) -> Reply:
        family = ctx.entropy.token_hex(6)
        # The family's life is fixed at login and no refresh extends it: the absolute
        # limit of the login (session_max_age), else the refresh token's own lifetime.
        ctx.store.set(
            f"family:{family}",
            json.dumps({"user": user, "revoked": False}),
            ttl=ctx.config.number("session_max_age") or ctx.config.number("refresh_ttl"),
        )
        return self._grant(ctx, user, family)

    def authenticate(self, ctx: AuthContext, request: Request) -> AuthResult:
        return self.access.authenticate(ctx, request)

    def token_for(self, ctx: AuthContext, user: str, audience: str) -> str | None:
        return self.access.token_for(ctx, user, audience)

    def refresh(self, ctx: AuthContext, request: Request) -> Reply:
        token = parse_cookie_header(request.header("Cookie")).get("refresh")
        if token is None:
            ctx.verdict(False, "refresh", "no refresh cookie on the request", None)
            return Reply(401, {"error": "no refresh token"})
        key = f"refresh:{token_hash(token)}"
        raw = ctx.store.get(key)
        if raw is None:
            ctx.verdict(
                False, "refresh", "unknown refresh token (expired, revoked or forged)", None
            )
            return Reply(401, {"error": "invalid refresh token"}, [self._clear(ctx)])
        record = json.loads(raw)
        family_key = f"family:{record['family']}"
        family_raw = ctx.store.get(family_key)
        if family_raw is None:
            ctx.verdict(
                False,
                "refresh",
                f"token family {record['family']} is gone: its fixed lifetime from login is "
                "over (session_max_age, else refresh_ttl), or the store lost it",
                record["user"],
            )
            return Reply(401, {"error": "refresh token family expired"}, [self._clear(ctx)])
        family = json.loads(family_raw)
        if family["revoked"]:
            ctx.verdict(
                False, "refresh", f"token family {record['family']} is revoked", record["user"]
            )
            return Reply(401, {"error": "refresh token revoked"}, [self._clear(ctx)])
        if record["used"]:
            grace = ctx.config.number("refresh_grace")
            since = ctx.clock.epoch - float(record.get("used_at", ctx.clock.epoch))
            if since < grace:
                return self._within_grace(ctx, record, since, grace)
            # A used token came back: either the attacker or the victim holds a copy.
            family["revoked"] = True
            ctx.store.set(
                family_key,
                json.dumps(family),
                ttl=ctx.config.number("refresh_ttl"),
                why="A used refresh token came back, so a copy exists: the server "
                "revokes the whole family, the thief's token and the victim's alike.",
            )
            ctx.verdict(
                False,
                "refresh",
                "reuse of an already-used refresh token: the whole "
                f"family {record['family']} is revoked",
                record["user"],
            )
            return Reply(401, {"error": "refresh token reuse detected"}, [self._clear(ctx)])
        record["used"] = True
        record["used_at"] = ctx.clock.epoch
        ctx.store.set(
            key,
            json.dumps(record),
            ttl=ctx.config.number("refresh_ttl"),
            why="The server marks the presented refresh token used; if it ever "
            "comes back, someone kept a copy.",
        )
        ctx.verdict(
            True,
            "refresh",
            f"refresh token valid and unused; rotating it for {record['user']}",
            record["user"],
        )
        return self._grant(ctx, record["user"], record["family"])

    def _within_grace(
        self, ctx: AuthContext, record: dict[str, Any], since: float, grace: int
    ) -> Reply:
        """A used token back within the grace period: taken for a second tab or a retry
        of the same refresh (as Auth0's reuse interval and Okta's grace period do). It
        gets a new access token; no new refresh token, so the family stays one chain,
        and no reuse alarm, which is exactly what a thief replaying it in time gets too."""
        ctx.verdict(
            True,
            "refresh",
            f"refresh token already used {since:.0f} s ago, within the {grace} s grace "
            "period: a new access token, no new refresh token, no reuse alarm",
            record["user"],
        )
        return Reply(200, self._access_body(ctx, record["user"], record["family"]))

    def logout(self, ctx: AuthContext, request: Request) -> Reply:
        token, _via = self.access.credential(ctx, request)
        if token is not None:
            # An expired access token still names the family to end: check its signature,
            # not its age.
            claims, _ = self.access.issuer.verify(token, ctx.now(), allow_expired=True)
            ctx.tally.signature_checks += 1
            if claims is not None and "fam" in claims:
                ctx.store.set(
                    f"family:{claims['fam']}",
                    json.dumps({"user": claims["sub"], "revoked": True}),
                    ttl=ctx.config.number("refresh_ttl"),
                    why="The server marks this login's refresh token family "
                    "revoked: no refresh token of it will work again.",
                )
                self.access.revoke(ctx, claims)
        return Reply(200, {"logged_out": True}, [self._clear(ctx)])

    def revoke_user(
        self, ctx: AuthContext, user: str, presented: Mapping[str, Any] | None, why: str
    ) -> list[str]:
        """Revoke every refresh token family of `user`, then what the access token's
        revocation setting allows."""
        done: list[str] = []
        store = ctx.store
        for key in store.keys("family:"):
            raw = store.get(key, why=f"{why}: the server looks for {user}'s refresh tokens.")
            if raw is None:
                continue
            family = json.loads(raw)
            if family.get("user") == user and not family.get("revoked"):
                family["revoked"] = True
                store.set(
                    key,
                    json.dumps(family),
                    ttl=ctx.config.number("refresh_ttl"),
                    why=f"{why}: the server revokes one of {user}'s refresh token families.",
                )
                done.append(f"revoked refresh family {key[7:]}")
        return done + self.access.revoke_user(ctx, user, presented, why)

    def logins(self, ctx: AuthContext, user: str) -> list[dict[str, Any]] | None:
        """Each live refresh token family is one login (one device or browser)."""
        found: list[dict[str, Any]] = []
        store = ctx.store
        for key in store.keys("family:"):
            raw = store.get(key, why=f"The server looks for {user}'s refresh token families.")
            if raw is None:
                continue
            family = json.loads(raw)
            if family.get("user") == user and not family.get("revoked"):
                found.append({"refresh_family": key[7:]})
        return found

    def clear_cookies(self, ctx: AuthContext) -> list[str]:
        return [self._clear(ctx)]
