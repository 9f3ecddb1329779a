"""A small hand-made trace for the inspector tests: plain data, fixed times, a known secret."""

from __future__ import annotations

from typing import Any

import jwt
from factories import tevent, tstate, ttrace
from itsdangerous import Signer

from authflow.simulator.server.auth_session import SESSION_SALT
from authflow.simulator.trace.clock import START_EPOCH
from authflow.simulator.trace.trace import CookieRow, Event, State, Step, StoreEntry, Trace

SECRET = "fixture-secret-0123456789abcdef-0123"
SID = "3f2a9c"
SIGNED_SID = Signer(SECRET, salt=SESSION_SALT).sign(SID).decode()
CLAIMS = {"sub": "alice", "role": "user", "iat": START_EPOCH, "exp": START_EPOCH + 900, "jti": "j1"}
TOKEN = jwt.encode(CLAIMS, SECRET, algorithm="HS256")
APP = "https://app.example"


def sid_cookie(value: str = SIGNED_SID, same_site: str = "Strict") -> CookieRow:
    return CookieRow(
        name="sid",
        value=value,
        domain="app.example",
        path="/",
        expires=None,
        http_only=True,
        secure=True,
        same_site=same_site,
        size=3 + len(value),
    )


def theme_cookie() -> CookieRow:
    return CookieRow(
        name="theme",
        value="dark",
        domain="app.example",
        path="/",
        expires=3600.0,
        http_only=False,
        secure=True,
        same_site="Lax",
        same_site_defaulted=True,
        size=9,
    )


def state(
    cookies: tuple[CookieRow, ...] = (),
    store: dict[str, StoreEntry] | None = None,
    local: dict[str, dict[str, str]] | None = None,
    memory: dict[str, str] | None = None,
    attacker: dict[str, str] | None = None,
) -> State:
    return tstate(cookies=cookies, store=store, local=local, memory=memory, attacker=attacker)


def event(
    seq: int,
    t: float,
    kind: str,
    src: str,
    dst: str,
    label: str,
    detail: dict[str, Any],
    st: State,
    step: int,
) -> Event:
    return tevent(kind, src, dst, label, seq=seq, t=t, step=step, state=st, detail=detail)


def fixture_trace() -> Trace:
    """Login (session cookie + JWT in localStorage), then a cross-site POST leaves sid out."""
    users = {"user:alice": StoreEntry('{"role": "user"}', None)}
    session = {**users, f"sess:{SID}": StoreEntry('{"user": "alice"}', 1800.0)}
    s0 = state(store=users, cookies=(theme_cookie(),))
    s1 = state(store=session, cookies=(theme_cookie(),))
    s2 = state(store=session, cookies=(theme_cookie(), sid_cookie()))
    s3 = state(
        store=session,
        cookies=(sid_cookie(),),
        local={APP: {"token": TOKEN}},
        memory={"user": "alice"},
    )
    login = {
        "method": "POST",
        "url": f"{APP}/auth/login",
        "path": "/auth/login",
        "headers": [["Content-Type", "application/json"], ["Cookie", "theme=dark"]],
        "body": {"user": "alice", "password": "wonderland"},
        "request_id": 1,
        "origin_actor": "browser",
        "context": {"initiator": APP, "kind": "fetch", "cross_site": False},
        "carries": [],
        "left_out": [],
        "blocked": False,
        "block_reason": "",
    }
    login_response = {
        "status": 200,
        "reason": "OK",
        "request_id": 1,
        "headers": [
            ["Set-Cookie", f"sid={SIGNED_SID}; Path=/; HttpOnly; Secure; SameSite=Strict"],
            ["Content-Type", "application/json"],
        ],
        "body": {"user": "alice", "access_token": TOKEN},
        "carries": [
            {
                "header": "Set-Cookie",
                "name": "sid",
                "role": "session",
                "rejected": False,
                "reason": "",
            }
        ],
    }
    transfer = {
        "method": "POST",
        "url": f"{APP}/api/transfer",
        "path": "/api/transfer",
        "headers": [
            ["Content-Type", "application/x-www-form-urlencoded"],
            ["Authorization", f"Bearer {TOKEN}"],
        ],
        "body": {"amount": 100, "to": "mallory"},
        "request_id": 2,
        "origin_actor": "browser",
        "context": {"initiator": "https://evil.example", "kind": "form", "cross_site": True},
        "carries": [{"header": "Authorization", "name": "", "role": "access"}],
        "left_out": [{"name": "sid", "reason": "SameSite=Strict: cross-site request"}],
        "blocked": False,
        "block_reason": "",
    }
    events = (
        event(0, 0.0, "request", "browser", "server", "POST /auth/login", login, s0, 0),
        event(
            1,
            0.1,
            "store",
            "server",
            "store",
            f"SET sess:{SID}",
            {
                "command": "SET",
                "key": f"sess:{SID}",
                "value": '{"user": "alice"}',
                "hit": None,
                "ttl": 1800.0,
            },
            s1,
            0,
        ),
        event(2, 0.2, "response", "server", "browser", "200 OK", login_response, s2, 0),
        event(
            3,
            0.3,
            "storage",
            "browser",
            "browser",
            "localStorage token",
            {"area": "localStorage", "action": "set", "key": "token", "value": TOKEN},
            s3,
            0,
        ),
        event(4, 300.0, "request", "browser", "server", "POST /api/transfer", transfer, s3, 1),
        event(
            5,
            300.1,
            "store",
            "server",
            "store",
            f"GET sess:{SID}",
            {"command": "GET", "key": f"sess:{SID}", "value": None, "hit": True, "ttl": None},
            s3,
            1,
        ),
        event(
            6,
            300.2,
            "response",
            "server",
            "browser",
            "401 Unauthorized",
            {
                "status": 401,
                "reason": "Unauthorized",
                "request_id": 2,
                "headers": [],
                "body": {"error": "not signed in"},
                "carries": [],
            },
            s3,
            1,
        ),
    )
    steps = (
        Step("login", {"user": "alice"}, "Alice logs in."),
        Step("csrf", {}, "evil.example posts a form."),
    )
    return ttrace(events, steps=steps, settings={"algorithm": "HS256", "secret": SECRET})
