"""Cookie sessions: a random id in a signed cookie, the record in the store."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from itsdangerous import BadSignature, Signer

from authflow.simulator.server.auth_base import AuthResult, Reply
from authflow.simulator.web.cookies_out import parse_cookie_header
from authflow.simulator.web.http import Request

if TYPE_CHECKING:
    from authflow.simulator.server.auth_context import AuthContext

SESSION_SALT = "authflow.session"


def session_signer(secret: str) -> Signer:
    return Signer(secret, salt=SESSION_SALT)


# The same record is read on every request of a session: parse it once.
@functools.lru_cache(maxsize=256)
def _session_record(raw: str) -> Mapping[str, str]:
    record: dict[str, str] = json.loads(raw)
    return MappingProxyType(record)


class SessionStrategy:
    name = "session"
    check = "session"

    def __init__(self, secret: str) -> None:
        self.signer = session_signer(secret)

    def _cookie_id(self, ctx: AuthContext, request: Request) -> tuple[str | None, str]:
        name = ctx.cookie_name("sid")
        raw = parse_cookie_header(request.header("Cookie")).get(name)
        if raw is None:
            return None, f"no {name} cookie"
        ctx.tally.signature_checks += 1
        try:
            return self.signer.unsign(raw).decode("ascii", "replace"), "signature valid"
        except BadSignature:
            return None, "sid cookie signature is invalid (tampered or wrong key)"

    def login(self, ctx: AuthContext, request: Request, user: str, remember_me: bool) -> Reply:
        store = ctx.store
        old, _ = self._cookie_id(ctx, request)
        rotate = ctx.config.flag("rotate_session_on_login")
        if old is not None and rotate:
            # A new id at every login: an id planted before login (fixation) dies here.
            store.delete(
                f"sess:{old}",
                why="A login starts a new session id (rotate_session_on_login): the old "
                "one is deleted, so an id planted before login (fixation) is useless.",
            )
        # Without rotation the server keeps whatever validly signed id the browser
        # presented, as servers that "upgrade" the visitor's session at login do: whoever
        # planted that id shares the session from now on.
        kept = old is not None and not rotate
        sid = old if old is not None and kept else ctx.entropy.token_hex(16)
        record: dict[str, str] = {"user": user, "role": ctx.users.role(user)}
        if ctx.config.number("session_max_age"):
            # When the login began, for the absolute limit no activity extends.
            record["created"] = str(ctx.clock.epoch)
        if ctx.config.flag("csrf_token"):
            record["csrf"] = ctx.entropy.token_urlsafe(16)
        store.set(
            f"sess:{sid}",
            json.dumps(record),
            ttl=ctx.config.number("session_ttl"),
            why=(
                f"rotate_session_on_login is false: the server keeps the session id the "
                f"browser presented and writes {user}'s login into it, so anyone else "
                "holding this id is now signed in as them too."
            )
            if kept
            else "",
        )
        body: dict[str, str] = {"user": user}
        if "csrf" in record:
            body["csrf_token"] = record["csrf"]
        return Reply(
            200, body, [ctx.credential_cookie("sid", self.signer.sign(sid).decode(), remember_me)]
        )

    def authenticate(self, ctx: AuthContext, request: Request) -> AuthResult:
        sid, why = self._cookie_id(ctx, request)
        if sid is None:
            return AuthResult(None, why, "" if why.startswith("no ") else "cookie")
        raw = ctx.store.get(f"sess:{sid}")
        if raw is None:
            return AuthResult(
                None, "no such session in the store (logged out, expired or lost)", "cookie"
            )
        record = _session_record(raw)
        max_age = ctx.config.number("session_max_age")
        if (
            max_age
            and "created" in record
            and ctx.clock.epoch - float(record["created"]) >= max_age
        ):
            ctx.store.delete(
                f"sess:{sid}",
                why="The session has reached its absolute lifetime (session_max_age): the "
                "server ends it, however active its user has been.",
            )
            return AuthResult(
                None,
                f"session older than its absolute lifetime of {max_age} s (session_max_age)",
                "cookie",
            )
        # Sliding (idle) expiry: every use renews the record's time to live.
        ctx.store.expire(f"sess:{sid}", ctx.config.number("session_ttl"))
        return AuthResult(
            record["user"],
            f"session {sid[:8]}… belongs to {record['user']}",
            "cookie",
            csrf=record.get("csrf"),
        )

    def logout(self, ctx: AuthContext, request: Request) -> Reply:
        sid, _ = self._cookie_id(ctx, request)
        if sid is not None:
            ctx.store.delete(
                f"sess:{sid}",
                why="The server deletes the session record: this id "
                "is now dead on every device and for every copy of the cookie.",
            )
        return Reply(200, {"logged_out": True}, [ctx.clear_credential_cookie("sid")])

    def token_for(self, ctx: AuthContext, user: str, audience: str) -> str | None:
        return None  # session mode signs no tokens

    def refresh(self, ctx: AuthContext, request: Request) -> Reply:
        return Reply(404, {"error": "session mode has no refresh endpoint"})

    def revoke_user(
        self, ctx: AuthContext, user: str, presented: Mapping[str, Any] | None, why: str
    ) -> list[str]:
        """Destroy every session of `user` in this server's store."""
        done: list[str] = []
        store = ctx.store
        for key in store.keys("sess:"):
            raw = store.get(key, why=f"{why}: the server looks for {user}'s sessions.")
            if raw is not None and json.loads(raw).get("user") == user:
                store.delete(key, why=f"{why}: the server destroys one of {user}'s sessions.")
                done.append(f"destroyed session {key[5:13]}…")
        return done

    def logins(self, ctx: AuthContext, user: str) -> list[dict[str, Any]] | None:
        found: list[dict[str, Any]] = []
        store = ctx.store
        for key in store.keys("sess:"):
            raw = store.get(key, why=f"The server looks for {user}'s sessions to list them.")
            if raw is not None and json.loads(raw).get("user") == user:
                found.append({"session": key[5:13] + "…"})
        return found

    def clear_cookies(self, ctx: AuthContext) -> list[str]:
        return [ctx.clear_credential_cookie("sid")]
