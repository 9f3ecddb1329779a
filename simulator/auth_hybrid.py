"""Hybrid: a short access JWT in page memory plus a rotating refresh token in a cookie.

The refresh token is stored hashed, in a family; every refresh marks the presented token
used and issues the next one. Presenting a used token means a copy exists somewhere, so
the whole family is revoked (OAuth 2.0 Security BCP, RFC 9700 section 4.14.2).
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from simulator.auth_base import AuthResult, Reply
from simulator.auth_jwt import JwtStrategy
from simulator.cookies_out import clear_cookie_line, parse_cookie_header, set_cookie_line
from simulator.http import Request

if TYPE_CHECKING:
    from simulator.server import Server

REFRESH_PATH = "/auth/refresh"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()[:32]


class HybridStrategy:
    name = "hybrid"

    def __init__(self, access: JwtStrategy) -> None:
        self.access = access

    def _refresh_cookie(self, server: Server, token: str) -> str:
        # Fixed flags: HttpOnly, Secure, SameSite=Strict, scoped to the refresh path, alive
        # as long as the token. The lesson's cookie settings apply to sid/access_token.
        w = server.world
        return set_cookie_line(
            "refresh",
            token,
            clock=w.clock,
            path=REFRESH_PATH,
            http_only=True,
            secure=True,
            same_site="Strict",
            max_age=w.config.number("refresh_ttl"),
        )

    def _new_refresh(self, server: Server, user: str, family: str) -> str:
        w = server.world
        token = w.entropy.token_urlsafe(32)
        ttl = w.config.number("refresh_ttl")
        record = {"user": user, "family": family, "used": False}
        server.store.set(f"refresh:{token_hash(token)}", json.dumps(record), ttl=ttl)
        return token

    def _grant(self, server: Server, user: str, family: str) -> Reply:
        token, claims = self.access.issue_access(server, user, {"fam": family})
        refresh = self._new_refresh(server, user, family)
        body: dict[str, object] = {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": server.world.config.number("access_ttl"),
        }
        if "csrf" in claims:
            body["csrf_token"] = claims["csrf"]
        return Reply(200, body, [self._refresh_cookie(server, refresh)])

    def login(self, server: Server, request: Request, user: str, remember_me: bool) -> Reply:
        w = server.world
        family = w.entropy.token_hex(6)
        server.store.set(
            f"family:{family}",
            json.dumps({"user": user, "revoked": False}),
            ttl=w.config.number("refresh_ttl"),
        )
        return self._grant(server, user, family)

    def authenticate(self, server: Server, request: Request) -> AuthResult:
        return self.access.authenticate(server, request)

    def refresh(self, server: Server, request: Request) -> Reply:
        token = parse_cookie_header(request.header("Cookie")).get("refresh")
        if token is None:
            server.verdict(False, "refresh", "no refresh cookie on the request", None)
            return Reply(401, {"error": "no refresh token"})
        key = f"refresh:{token_hash(token)}"
        raw = server.store.get(key)
        if raw is None:
            server.verdict(
                False, "refresh", "unknown refresh token (expired, revoked or forged)", None
            )
            return Reply(401, {"error": "invalid refresh token"}, [self._clear(server)])
        record = json.loads(raw)
        family_key = f"family:{record['family']}"
        family_raw = server.store.get(family_key)
        family = json.loads(family_raw) if family_raw else {"revoked": True}
        if family["revoked"]:
            server.verdict(
                False, "refresh", f"token family {record['family']} is revoked", record["user"]
            )
            return Reply(401, {"error": "refresh token revoked"}, [self._clear(server)])
        if record["used"]:
            # A used token came back: either the attacker or the victim holds a copy.
            family["revoked"] = True
            server.store.set(
                family_key,
                json.dumps(family),
                ttl=server.world.config.number("refresh_ttl"),
                why="A used refresh token came back, so a copy exists: the server "
                "revokes the whole family, the thief's token and the victim's alike.",
            )
            server.verdict(
                False,
                "refresh",
                "reuse of an already-used refresh token: the whole "
                f"family {record['family']} is revoked",
                record["user"],
            )
            return Reply(401, {"error": "refresh token reuse detected"}, [self._clear(server)])
        record["used"] = True
        server.store.set(
            key,
            json.dumps(record),
            ttl=server.world.config.number("refresh_ttl"),
            why="The server marks the presented refresh token used; if it ever "
            "comes back, someone kept a copy.",
        )
        server.verdict(
            True,
            "refresh",
            f"refresh token valid and unused; rotating it for {record['user']}",
            record["user"],
        )
        return self._grant(server, record["user"], record["family"])

    def _clear(self, server: Server) -> str:
        return clear_cookie_line(
            "refresh", clock=server.world.clock, path=REFRESH_PATH, same_site="Strict"
        )

    def logout(self, server: Server, request: Request) -> Reply:
        token, _via = self.access.credential(request)
        if token is not None:
            # An expired access token still names the family to end: check its signature,
            # not its age.
            claims, _ = self.access.issuer.verify(token, allow_expired=True)
            server.world.recorder.tally.signature_checks += 1
            if claims is not None and "fam" in claims:
                family_key = f"family:{claims['fam']}"
                server.store.set(
                    family_key,
                    json.dumps({"user": claims["sub"], "revoked": True}),
                    ttl=server.world.config.number("refresh_ttl"),
                    why="The server marks this login's refresh token family "
                    "revoked: no refresh token of it will work again.",
                )
                self.access.revoke(server, claims)
        return Reply(200, {"logged_out": True}, [self._clear(server)])


__all__ = ["REFRESH_PATH", "AuthResult", "HybridStrategy", "token_hash"]
