"""Cookie sessions: a random id in a signed cookie, the record in the store."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from itsdangerous import BadSignature, Signer

from simulator.auth_base import AuthResult, Reply
from simulator.cookies_out import clear_cookie_line, parse_cookie_header, set_cookie_line
from simulator.http import Request

if TYPE_CHECKING:
    from simulator.server import Server

SESSION_SALT = "authflow.session"
REMEMBER_ME_SECONDS = 30 * 86400


def session_signer(secret: str) -> Signer:
    return Signer(secret, salt=SESSION_SALT)


# The same record is read on every request of a session: parse it once.
@functools.lru_cache(maxsize=256)
def _session_record(raw: str) -> Mapping[str, str]:
    record: dict[str, str] = json.loads(raw)
    return MappingProxyType(record)


class SessionStrategy:
    name = "session"

    def __init__(self, secret: str) -> None:
        self.signer = session_signer(secret)

    def _cookie_id(self, server: Server, request: Request) -> tuple[str | None, str]:
        raw = parse_cookie_header(request.header("Cookie")).get("sid")
        if raw is None:
            return None, "no sid cookie"
        server.world.recorder.tally.signature_checks += 1
        try:
            return self.signer.unsign(raw).decode("ascii", "replace"), "signature valid"
        except BadSignature:
            return None, "sid cookie signature is invalid (tampered or wrong key)"

    def login(self, server: Server, request: Request, user: str, remember_me: bool) -> Reply:
        w = server.world
        store = server.store
        old, _ = self._cookie_id(server, request)
        if old is not None:
            # A new id at every login: an id planted before login (fixation) dies here.
            store.delete(
                f"sess:{old}",
                why="A login always starts a new session id: the old "
                "one is deleted, so an id planted before login (fixation) is useless.",
            )
        sid = w.entropy.token_hex(16)
        record: dict[str, str] = {"user": user, "role": w.users.role(user)}
        if w.config.flag("csrf_token"):
            record["csrf"] = w.entropy.token_urlsafe(16)
        store.set(f"sess:{sid}", json.dumps(record), ttl=w.config.number("session_ttl"))
        body: dict[str, str] = {"user": user}
        if "csrf" in record:
            body["csrf_token"] = record["csrf"]
        return Reply(
            200,
            body,
            [server.credential_cookie("sid", self.signer.sign(sid).decode(), remember_me)],
        )

    def authenticate(self, server: Server, request: Request) -> AuthResult:
        sid, why = self._cookie_id(server, request)
        if sid is None:
            return AuthResult(None, why, "cookie" if why != "no sid cookie" else "")
        raw = server.store.get(f"sess:{sid}")
        if raw is None:
            return AuthResult(
                None, "no such session in the store (logged out, expired or lost)", "cookie"
            )
        record = _session_record(raw)
        server.store.expire(f"sess:{sid}", server.world.config.number("session_ttl"))
        return AuthResult(
            record["user"],
            f"session {sid[:8]}… belongs to {record['user']}",
            "cookie",
            csrf=record.get("csrf"),
        )

    def logout(self, server: Server, request: Request) -> Reply:
        sid, _ = self._cookie_id(server, request)
        if sid is not None:
            server.store.delete(
                f"sess:{sid}",
                why="The server deletes the session record: this id "
                "is now dead on every device and for every copy of the cookie.",
            )
        c = server.world.config
        clear = clear_cookie_line(
            "sid",
            clock=server.world.clock,
            path=c.text("cookie_path"),
            secure=c.flag("secure"),
            http_only=c.flag("http_only"),
            same_site=c.text("same_site"),
        )
        return Reply(200, {"logged_out": True}, [clear])

    def refresh(self, server: Server, request: Request) -> Reply:
        return Reply(404, {"error": "session mode has no refresh endpoint"})


__all__ = ["REMEMBER_ME_SECONDS", "SessionStrategy", "session_signer", "set_cookie_line"]
