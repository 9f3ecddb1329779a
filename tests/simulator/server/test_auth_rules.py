"""What each auth strategy puts on the wire and in the store, as a browser and a store
would see it: Set-Cookie lines, response bodies, store records, verdict reasons.

Written against the trace (steps in, events out), never against the strategies'
internals, so they hold however the server is arranged inside. Many of these pin a
case a mutant of the strategy changed without any other test noticing (issue 20).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import jwt
import pytest
from factories import simulate
from itsdangerous import Signer

from authflow.simulator.trace.trace import Event, Trace

EPOCH_DELETE = "Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0"


def send(method: str, path: str, *headers: tuple[str, str], **body: Any) -> tuple[str, Any]:
    args: dict[str, Any] = {"method": method, "path": path, "headers": [list(h) for h in headers]}
    if body:
        args["body"] = body
    return "send", args


def responses(trace: Trace, step: int, to: str = "browser") -> list[Event]:
    return [e for e in trace.events if e.kind == "response" and e.dst == to and e.step == step]


def response(trace: Trace, step: int, to: str = "browser") -> Event:
    (only,) = responses(trace, step, to)
    return only


def set_cookies(event: Event) -> list[str]:
    return [str(v) for n, v in event.detail["headers"] if n == "Set-Cookie"]


def header(event: Event, name: str) -> str | None:
    return next((str(v) for n, v in event.detail["headers"] if n == name), None)


def verdict(trace: Trace, step: int, check: str) -> Event:
    (only,) = [
        e
        for e in trace.events
        if e.kind == "verdict" and e.step == step and e.detail["check"] == check
    ]
    return only


def store_at(trace: Trace, step: int) -> dict[str, Any]:
    last = [e for e in trace.events if e.step == step][-1]
    return dict(last.state.stores["store"])


def store_events(trace: Trace, step: int, command: str) -> list[Event]:
    return [
        e
        for e in trace.events
        if e.kind == "store" and e.step == step and e.detail["command"] == command
    ]


def cookie_value(trace: Trace, step: int, name: str) -> str:
    last = [e for e in trace.events if e.step == step][-1]
    return next(c.value for c in last.state.cookies if c.name == name)


# -- session ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "attributes"),
    [
        ({}, "Path=/; HttpOnly; Secure; SameSite=Lax"),
        (
            {"http_only": "false", "same_site": "Strict", "cookie_path": "/api"},
            "Path=/api; Secure; SameSite=Strict",
        ),
        (
            {"secure": "false", "scheme": "http", "max_age": "600"},
            "Path=/; Expires=Thu, 01 Jan 2026 09:10:00 GMT; Max-Age=600; HttpOnly; SameSite=Lax",
        ),
    ],
)
def test_session_login_sets_a_signed_128_bit_id_with_the_lessons_flags(
    settings: dict[str, str], attributes: str
) -> None:
    trace = simulate([("login", {})], "session", seed=11, **settings)
    answer = response(trace, 0)
    assert answer.detail["body"] == {"user": "alice"}
    (line,) = set_cookies(answer)
    value, _, rest = line.partition("; ")
    assert rest == attributes
    name, _, signed = value.partition("=")
    assert name == "sid"
    signer = Signer(trace.server["secret"], salt=trace.server["session_salt"])
    sid = signer.unsign(signed).decode()
    assert len(sid) == 32
    assert int(sid, 16) >= 0  # 128 random bits, as hex
    record = store_at(trace, 0)[f"sess:{sid}"]
    assert json.loads(record.value) == {"user": "alice", "role": "user"}
    assert record.expires == pytest.approx(1800)


def test_remember_me_keeps_the_session_cookie_for_30_days() -> None:
    trace = simulate([("login", {"remember_me": True})], "session", seed=11)
    (line,) = set_cookies(response(trace, 0))
    assert "; Max-Age=2592000; " in line


def test_a_new_login_ends_the_old_session_fixation_is_useless() -> None:
    trace = simulate(
        [("login", {}), ("login", {"user": "bob", "password": "builder"})], "session", seed=11
    )
    first = cookie_value(trace, 0, "sid").split(".")[0]
    second = cookie_value(trace, 1, "sid").split(".")[0]
    assert first != second
    (deleted,) = store_events(trace, 1, "DEL")
    assert deleted.detail["key"] == f"sess:{first}"
    assert "fixation" in deleted.explain
    sessions = [k for k in store_at(trace, 1) if k.startswith("sess:")]
    assert sessions == [f"sess:{second}"]


def test_session_logout_deletes_the_record_and_the_cookie() -> None:
    trace = simulate([("login", {}), ("logout", {})], "session", seed=11, same_site="Strict")
    sid = cookie_value(trace, 0, "sid").split(".")[0]
    answer = response(trace, 1)
    assert answer.detail["body"] == {"logged_out": True}
    assert set_cookies(answer) == [
        f"sid=; Path=/; {EPOCH_DELETE}; HttpOnly; Secure; SameSite=Strict"
    ]
    (deleted,) = store_events(trace, 1, "DEL")
    assert deleted.detail["key"] == f"sess:{sid}"
    assert "dead on every device" in deleted.explain
    assert not any(k.startswith("sess:") for k in store_at(trace, 1))


@pytest.mark.parametrize(
    ("cookie", "reason"),
    [
        (None, "no sid cookie"),
        ("sid=0123.forged", "sid cookie signature is invalid (tampered or wrong key)"),
        ("other=1", "no sid cookie"),
    ],
)
def test_session_verdicts_name_what_was_wrong(cookie: str | None, reason: str) -> None:
    headers = [("Cookie", cookie)] if cookie else []
    trace = simulate([send("GET", "/api/profile", *headers)], "session", seed=11)
    assert response(trace, 0).detail["status"] == 401
    assert response(trace, 0).detail["body"] == {"error": reason}
    assert verdict(trace, 0, "session").detail["reason"] == reason
    assert header(response(trace, 0), "WWW-Authenticate") is None


def test_a_signed_id_the_store_does_not_know_is_refused() -> None:
    trace = simulate([("login", {}), ("logout", {})], "session", seed=11)
    old = cookie_value(trace, 0, "sid")
    replay = simulate(
        [("login", {}), ("logout", {}), send("GET", "/api/profile", ("Cookie", f"sid={old}"))],
        "session",
        seed=11,
    )
    assert response(replay, 2).detail["status"] == 401
    reason = verdict(replay, 2, "session").detail["reason"]
    assert reason == "no such session in the store (logged out, expired or lost)"


def test_session_profile_names_the_user_and_session() -> None:
    trace = simulate([("login", {}), ("profile", {})], "session", seed=11)
    sid = cookie_value(trace, 0, "sid").split(".")[0]
    assert response(trace, 1).detail["body"] == {"user": "alice", "role": "user"}
    accepted = verdict(trace, 1, "session").detail
    assert accepted["ok"]
    assert accepted["reason"] == f"session {sid[:8]}… belongs to alice"
    assert accepted["user"] == "alice"


@pytest.mark.parametrize(
    ("mode", "error"),
    [
        ("session", "session mode has no refresh endpoint"),
        ("jwt", "jwt mode has no refresh endpoint; log in again"),
    ],
)
def test_only_hybrid_has_a_refresh_endpoint(mode: str, error: str) -> None:
    trace = simulate([send("POST", "/auth/refresh")], mode, seed=11)
    assert response(trace, 0).detail["status"] == 404
    assert response(trace, 0).detail["body"] == {"error": error}


# -- jwt ----------------------------------------------------------------------------------


def claims_of(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


def test_jwt_login_returns_a_signed_token_with_the_standard_claims() -> None:
    trace = simulate([("wait", {"seconds": 30}), ("login", {})], "jwt", seed=11, access_ttl="600")
    body = response(trace, 1).detail["body"]
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert (body["token_type"], body["expires_in"]) == ("Bearer", 600)
    assert set_cookies(response(trace, 1)) == []
    claims = jwt.decode(
        body["access_token"],
        trace.server["secret"],
        algorithms=["HS256"],
        options={"verify_exp": False},
        audience="https://app.example/api",
        issuer="https://app.example",
    )
    assert jwt.get_unverified_header(body["access_token"])["kid"] == "key-1"
    now = trace.start_epoch + 30
    assert (claims["sub"], claims["role"], claims["iat"], claims["exp"]) == (
        "alice",
        "user",
        now,
        now + 600,
    )
    assert len(claims["jti"]) == 16
    assert "ver" not in claims
    assert "csrf" not in claims


def test_a_jwt_in_a_cookie_is_set_like_a_session_cookie() -> None:
    trace = simulate(
        [("login", {}), ("logout", {})], "jwt", seed=11, token_storage="cookie", csrf_token="true"
    )
    answer = response(trace, 0)
    body = answer.detail["body"]
    assert set(body) == {"user", "expires_in", "csrf_token"}
    (line,) = set_cookies(answer)
    token = line.split(";")[0].removeprefix("access_token=")
    assert line == f"access_token={token}; Path=/; HttpOnly; Secure; SameSite=Lax"
    assert claims_of(token)["csrf"] == body["csrf_token"]
    assert set_cookies(response(trace, 1)) == [
        f"access_token=; Path=/; {EPOCH_DELETE}; HttpOnly; Secure; SameSite=Lax"
    ]


@pytest.mark.parametrize(
    ("scheme", "accepted"),
    [
        ("Bearer {}", True),
        ("bearer {}", True),
        ("  BEARER   {}  ", True),
        ("Basic {}", False),
        ("{}", False),
    ],
)
def test_the_bearer_scheme_is_read_case_insensitively(scheme: str, accepted: bool) -> None:
    token = response(simulate([("login", {})], "jwt", seed=11), 0).detail["body"]["access_token"]
    trace = simulate(
        [("login", {}), send("GET", "/api/profile", ("Authorization", scheme.format(token)))],
        "jwt",
        seed=11,
    )
    answer = response(trace, 1)
    assert (answer.detail["status"] == 200) is accepted
    reason = verdict(trace, 1, "jwt").detail["reason"]
    if accepted:
        assert reason == "signature valid, user alice, not expired"
        assert answer.detail["body"] == {"user": "alice", "role": "user"}
    else:
        assert reason == "no token (no Authorization header, no token cookie)"
        assert header(answer, "WWW-Authenticate") == 'Bearer realm="app"'


def test_denylist_logout_lists_the_jti_until_the_token_would_expire() -> None:
    steps = [
        ("login", {}),
        ("steal", {}),
        ("wait", {"seconds": 100}),
        ("logout", {}),
        ("replay", {}),
    ]
    trace = simulate(steps, "jwt", seed=11, revocation="denylist")
    token = response(trace, 0).detail["body"]["access_token"]
    jti = claims_of(token)["jti"]
    assert response(trace, 3).detail["body"] == {"logged_out": True}
    (listed,) = store_events(trace, 3, "SET")
    assert listed.detail["key"] == f"deny:{jti}"
    assert listed.detail["ttl"] == 800
    assert json.loads(listed.detail["value"]) == {"sub": "alice"}
    refused = verdict(trace, 4, "jwt").detail
    assert refused["reason"] == "token revoked: its jti is on the denylist"
    assert response(trace, 4, to="attacker").detail["status"] == 401


def test_denylist_logout_with_an_expired_token_lists_nothing() -> None:
    trace = simulate(
        [("login", {}), ("wait", {"seconds": 1000}), ("logout", {})],
        "jwt",
        seed=11,
        revocation="denylist",
    )
    assert store_events(trace, 2, "SET") == []
    assert response(trace, 2).detail["body"] == {"logged_out": True}


def test_token_version_logout_ends_every_older_token() -> None:
    trace = simulate(
        [("login", {}), ("steal", {}), ("logout", {}), ("replay", {})],
        "jwt",
        seed=11,
        revocation="token-version",
    )
    token = response(trace, 0).detail["body"]["access_token"]
    assert claims_of(token)["ver"] == 0
    (bumped,) = [e for e in store_events(trace, 2, "SET") if e.detail["key"] == "user:alice"]
    assert bumped.detail["value"] == "token_version=1"
    refused = verdict(trace, 3, "jwt").detail
    assert refused["reason"] == "token revoked: version 0 is not the user's current 1"
    reads = [e for e in store_events(trace, 3, "GET") if e.detail["key"] == "user:alice"]
    assert [e.detail["value"] for e in reads] == ["token_version=1"]


def test_jwt_logout_without_revocation_says_the_token_lives_on() -> None:
    trace = simulate([("login", {}), ("logout", {})], "jwt", seed=11)
    assert response(trace, 1).detail["body"] == {
        "logged_out": True,
        "note": "no server state: the token stays valid until exp",
    }
    assert store_events(trace, 1, "SET") == []


# -- hybrid -------------------------------------------------------------------------------


def refresh_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:32]


def test_hybrid_login_gives_a_memory_token_and_a_strict_refresh_cookie() -> None:
    trace = simulate([("login", {})], "hybrid", seed=11, refresh_ttl="86400", csrf_token="true")
    answer = response(trace, 0)
    body = answer.detail["body"]
    assert set(body) == {"access_token", "token_type", "expires_in", "csrf_token"}
    assert (body["token_type"], body["expires_in"]) == ("Bearer", 900)
    claims = claims_of(body["access_token"])
    assert claims["csrf"] == body["csrf_token"]
    (line,) = set_cookies(answer)
    refresh = line.split(";")[0].removeprefix("refresh=")
    assert line == (
        f"refresh={refresh}; Path=/auth/refresh; Expires=Fri, 02 Jan 2026 09:00:00 GMT; "
        "Max-Age=86400; HttpOnly; Secure; SameSite=Strict"
    )
    store = store_at(trace, 0)
    record = store[f"refresh:{refresh_hash(refresh)}"]
    assert json.loads(record.value) == {"user": "alice", "family": claims["fam"], "used": False}
    assert record.expires == pytest.approx(86400)
    family = store[f"family:{claims['fam']}"]
    assert json.loads(family.value) == {"user": "alice", "revoked": False}
    assert family.expires == pytest.approx(86400)


def test_each_refresh_rotates_the_token_and_marks_the_old_one_used() -> None:
    trace = simulate([("login", {}), ("wait", {"seconds": 60}), ("refresh", {})], "hybrid", seed=11)
    first = cookie_value(trace, 0, "refresh")
    second = cookie_value(trace, 2, "refresh")
    assert first != second
    family = claims_of(response(trace, 0).detail["body"]["access_token"])["fam"]
    assert claims_of(response(trace, 2).detail["body"]["access_token"])["fam"] == family
    rotated = verdict(trace, 2, "refresh").detail
    assert rotated["reason"] == "refresh token valid and unused; rotating it for alice"
    assert (rotated["ok"], rotated["user"]) == (True, "alice")
    store = store_at(trace, 2)
    old = store[f"refresh:{refresh_hash(first)}"]
    assert json.loads(old.value)["used"] is True
    assert old.expires == pytest.approx(60 + 604800)
    assert json.loads(store[f"refresh:{refresh_hash(second)}"].value)["used"] is False


def test_reuse_revokes_the_family_and_the_victims_next_refresh_fails() -> None:
    trace = simulate(
        [("login", {}), ("steal", {}), ("refresh", {}), ("refresh_reuse", {}), ("refresh", {})],
        "hybrid",
        seed=11,
    )
    family = claims_of(response(trace, 0).detail["body"]["access_token"])["fam"]
    clear = f"refresh=; Path=/auth/refresh; {EPOCH_DELETE}; HttpOnly; Secure; SameSite=Strict"
    reuse = response(trace, 3, to="attacker")
    assert reuse.detail["status"] == 401
    assert reuse.detail["body"] == {"error": "refresh token reuse detected"}
    assert set_cookies(reuse) == [clear]
    assert verdict(trace, 3, "refresh").detail["reason"] == (
        f"reuse of an already-used refresh token: the whole family {family} is revoked"
    )
    revoked = json.loads(store_at(trace, 3)[f"family:{family}"].value)
    assert revoked == {"user": "alice", "revoked": True}
    reused = verdict(trace, 3, "refresh").detail
    assert (reused["ok"], reused["user"]) == (False, "alice")
    (revoking,) = [
        e for e in store_events(trace, 3, "SET") if e.detail["key"] == f"family:{family}"
    ]
    assert "revokes the whole family" in revoking.explain
    assert store_at(trace, 3)[f"family:{family}"].expires == pytest.approx(604800)
    victim = responses(trace, 4)[0]
    assert victim.detail["body"] == {"error": "refresh token revoked"}
    assert set_cookies(victim) == [clear]
    refused = verdict(trace, 4, "refresh").detail
    assert refused["reason"] == f"token family {family} is revoked"
    assert (refused["ok"], refused["user"]) == (False, "alice")
    rotation = [e for e in store_events(trace, 2, "SET") if e.detail["key"].startswith("refresh:")]
    assert "someone kept a copy" in rotation[0].explain


def test_a_refresh_family_ends_refresh_ttl_after_the_login_rotation_or_not() -> None:
    # Rotation gives each new refresh token a full lifetime, but the family (the login)
    # keeps the one it got at login: once it is gone, no token of it refreshes.
    trace = simulate(
        [
            ("login", {}),
            ("wait", {"seconds": 600}),
            ("refresh", {}),
            ("wait", {"seconds": 600}),
            ("refresh", {}),
        ],
        "hybrid",
        seed=11,
        refresh_ttl="1000",
    )
    assert responses(trace, 2)[0].detail["status"] == 200
    family = claims_of(response(trace, 0).detail["body"]["access_token"])["fam"]
    late = responses(trace, 4)[0]
    assert late.detail["status"] == 401
    assert late.detail["body"] == {"error": "refresh token family expired"}
    refused = verdict(trace, 4, "refresh").detail
    assert refused["reason"].startswith(f"token family {family} is gone: its fixed lifetime")
    assert (refused["ok"], refused["user"]) == (False, "alice")


def test_hybrid_logout_revokes_the_family_for_the_rest_of_its_life() -> None:
    trace = simulate([("login", {}), ("wait", {"seconds": 100}), ("logout", {})], "hybrid", seed=11)
    family = claims_of(response(trace, 0).detail["body"]["access_token"])["fam"]
    answer = response(trace, 2)
    assert answer.detail["body"] == {"logged_out": True}
    assert set_cookies(answer) == [
        f"refresh=; Path=/auth/refresh; {EPOCH_DELETE}; HttpOnly; Secure; SameSite=Strict"
    ]
    record = store_at(trace, 2)[f"family:{family}"]
    assert json.loads(record.value) == {"user": "alice", "revoked": True}
    assert record.expires == pytest.approx(100 + 604800)
    (revoking,) = [
        e for e in store_events(trace, 2, "SET") if e.detail["key"] == f"family:{family}"
    ]
    assert "no refresh token of it will work again" in revoking.explain


@pytest.mark.parametrize("token", ["garbage", "a.b.c", ""])
def test_hybrid_logout_with_a_token_that_is_not_one_still_logs_out(token: str) -> None:
    trace = simulate(
        [send("POST", "/auth/logout", ("Authorization", f"Bearer {token}"))], "hybrid", seed=11
    )
    assert response(trace, 0).detail["status"] == 200
    assert response(trace, 0).detail["body"] == {"logged_out": True}
    assert store_events(trace, 0, "SET") == []


def test_hybrid_logout_with_a_denylist_also_ends_the_access_token() -> None:
    trace = simulate(
        [("login", {}), ("steal", {}), ("logout", {}), ("replay", {})],
        "hybrid",
        seed=11,
        revocation="denylist",
    )
    refused = verdict(trace, 3, "jwt").detail
    assert refused["reason"] == "token revoked: its jti is on the denylist"


@pytest.mark.parametrize(
    ("cookie", "error", "reason", "cleared"),
    [
        (None, "no refresh token", "no refresh cookie on the request", False),
        (
            "refresh=made-up",
            "invalid refresh token",
            "unknown refresh token (expired, revoked or forged)",
            True,
        ),
    ],
)
def test_a_missing_or_unknown_refresh_token_is_refused(
    cookie: str | None, error: str, reason: str, cleared: bool
) -> None:
    headers = [("Cookie", cookie)] if cookie else []
    trace = simulate([("login", {}), send("POST", "/auth/refresh", *headers)], "hybrid", seed=11)
    answer = response(trace, 1)
    assert answer.detail["status"] == 401
    assert answer.detail["body"] == {"error": error}
    refused = verdict(trace, 1, "refresh").detail
    assert (refused["ok"], refused["reason"], refused["user"]) == (False, reason, None)
    assert bool(set_cookies(answer)) is cleared


# -- the server's routes ------------------------------------------------------------------


def test_unknown_routes_and_preflights() -> None:
    trace = simulate([send("GET", "/nope"), send("OPTIONS", "/api/profile")], "session", seed=11)
    assert response(trace, 0).detail["status"] == 404
    assert response(trace, 0).detail["body"] == {"error": "no route GET /nope"}
    assert response(trace, 1).detail["status"] == 204


@pytest.mark.parametrize(
    ("user", "password", "ok"),
    [("alice", "wonderland", True), ("alice", "wrong", False), ("nobody", "wonderland", False)],
)
def test_login_checks_the_password_hash(user: str, password: str, ok: bool) -> None:
    trace = simulate([("login", {"user": user, "password": password})], "session", seed=11)
    answer = response(trace, 0)
    checked = verdict(trace, 0, "password").detail
    assert checked["ok"] is ok
    assert checked["user"] == ("alice" if ok else None)
    if ok:
        assert answer.detail["status"] == 200
        assert checked["reason"] == "scrypt hash of the password matches alice's"
    else:
        assert answer.detail["status"] == 401
        assert answer.detail["body"] == {"error": "invalid username or password"}
        assert checked["reason"] == "unknown user or wrong password"
        assert set_cookies(answer) == []
    (lookup,) = store_events(trace, 0, "GET")
    assert lookup.detail["key"] == f"user:{user}"
    assert lookup.detail["hit"] is (user == "alice")
    assert lookup.detail["value"] == ("(password hash)" if user == "alice" else None)
    assert f"looks up {user} in the users table to compare password hashes" in lookup.explain


@pytest.mark.parametrize("body", [None, {"password": "wonderland"}, {"username": "alice"}])
def test_a_login_without_a_name_or_password_is_refused_not_a_crash(
    body: dict[str, str] | None,
) -> None:
    step = send("POST", "/auth/login", **(body or {}))
    trace = simulate([step], "session", seed=11)
    answer = response(trace, 0)
    assert answer.detail["status"] == 401
    assert answer.detail["body"] == {"error": "invalid username or password"}
    (lookup,) = store_events(trace, 0, "GET")
    user = (body or {}).get("username", "")
    assert lookup.detail["key"] == f"user:{user}"
    assert f"looks up {user or 'the user'} in the users table" in lookup.explain


def test_a_transfer_answers_what_was_moved_and_from_where() -> None:
    trace = simulate(
        [("login", {}), ("transfer", {"amount": 42, "to": "carol"})], "session", seed=11
    )
    assert response(trace, 1).detail["body"] == {
        "transferred": 42,
        "to": "carol",
        "from": "alice",
        "origin": "https://app.example",
    }
    sid = cookie_value(trace, 0, "sid")
    hand_made = simulate(
        [("login", {}), send("POST", "/api/transfer", ("Cookie", f"sid={sid}"), amount=7)],
        "session",
        seed=11,
    )
    assert response(hand_made, 1).detail["body"] == {
        "transferred": 7,
        "to": None,
        "from": "alice",
        "origin": None,  # no Origin header was sent
    }
    odd = simulate(
        [
            ("login", {}),
            send("POST", "/api/transfer", ("Cookie", f"sid={sid}"), ("Origin", "")),
            send("POST", "/api/transfer"),
        ],
        "session",
        seed=11,
    )
    assert response(odd, 1).detail["body"] == {
        "transferred": None,
        "to": None,
        "from": "alice",
        "origin": None,  # an empty Origin names no origin
    }
    assert response(odd, 2).detail["status"] == 401
    assert response(odd, 2).detail["body"] == {"error": "no sid cookie"}


def test_each_verdict_is_the_deciding_servers_own() -> None:
    trace = simulate(
        [("login", {}), ("profile", {}), ("profile", {})],
        "session",
        seed=11,
        servers="2",
        store="shared",
    )
    handled = {
        e.detail["request_id"]: e.dst for e in trace.events if e.kind == "request" and e.src == "lb"
    }
    assert sorted(set(handled.values())) == ["server-1", "server-2"]
    request_id = None
    for e in trace.events:
        if e.kind == "request":
            request_id = e.detail["request_id"]
        if e.kind == "verdict":
            assert e.src == e.dst == handled[request_id]


def test_token_version_reads_count_as_hits() -> None:
    trace = simulate(
        [("login", {}), ("profile", {}), ("logout", {})], "jwt", seed=11, revocation="token-version"
    )
    (read,) = [e for e in store_events(trace, 1, "GET") if e.detail["key"] == "user:alice"]
    assert (read.detail["value"], read.detail["hit"], read.detail["ttl"]) == (
        "token_version=0",
        True,
        None,
    )
    assert "alice's current token version (0)" in read.explain
    assert "a store read on every request" in read.explain
    (bump,) = [e for e in store_events(trace, 2, "SET") if e.detail["key"] == "user:alice"]
    assert "raises alice's token version to 1" in bump.explain
    assert "every token issued before now stops working" in bump.explain


@pytest.mark.parametrize(
    ("mode", "settings", "signed_in"),
    [
        ("session", {}, "alice"),
        ("jwt", {"token_storage": "cookie"}, "alice"),
        ("jwt", {}, None),
        ("hybrid", {}, None),
        ("hybrid", {"token_storage": "cookie"}, None),  # a jwt-mode setting only
    ],
)
def test_the_page_is_rendered_for_the_user_only_with_a_cookie_credential(
    mode: str, settings: dict[str, str], signed_in: str | None
) -> None:
    trace = simulate([("login", {}), ("reload", {})], mode, seed=11, **settings)
    pages = [e for e in responses(trace, 1) if e.detail["body"].get("page") == "app"]
    # No CSRF token in the page unless the lesson turned them on.
    assert [p.detail["body"] for p in pages] == [{"page": "app", "signed_in_as": signed_in}]
    assert [p.detail["status"] for p in pages] == [200]
    # Only a cookie-borne credential is checked on the page's own request.
    (page,) = pages
    rid = page.detail["request_id"]
    sent = next(
        e.seq for e in trace.events if e.kind == "request" and e.detail["request_id"] == rid
    )
    checked = [e for e in trace.events[sent : page.seq] if e.kind == "verdict"]
    assert bool(checked) is bool(signed_in)


@pytest.mark.parametrize("mode", ["session", "jwt"])
def test_the_page_hands_its_script_the_csrf_token_of_the_login(mode: str) -> None:
    settings = {"csrf_token": "true", "token_storage": "cookie"}
    trace = simulate([("login", {}), ("reload", {})], mode, seed=11, **settings)
    token = response(trace, 0).detail["body"]["csrf_token"]
    pages = [e for e in responses(trace, 1) if e.detail["body"].get("page") == "app"]
    assert [p.detail["body"] for p in pages] == [
        {"page": "app", "signed_in_as": "alice", "csrf_token": token}
    ]


def test_a_token_revoked_in_its_last_second_stays_listed_for_that_second() -> None:
    trace = simulate(
        [("login", {}), ("wait", {"seconds": 599}), ("logout", {})],
        "jwt",
        seed=11,
        revocation="denylist",
        access_ttl="600",
    )
    (listed,) = store_events(trace, 2, "SET")
    assert listed.detail["ttl"] == 1


@pytest.mark.parametrize("mode", ["session", "jwt"])
def test_logout_deletes_the_cookie_it_set_whatever_its_path_and_flags(mode: str) -> None:
    # A deletion matches only with the same name, domain and path: a logout that wrote
    # Path=/ for a cookie set on /api would leave the credential in the jar.
    settings = {
        "cookie_path": "/api",
        "http_only": "false",
        "secure": "false",
        "scheme": "http",
        "same_site": "Strict",
    }
    if mode == "jwt":
        settings["token_storage"] = "cookie"
    name = "sid" if mode == "session" else "access_token"
    trace = simulate([("login", {}), ("logout", {})], mode, seed=11, **settings)
    assert set_cookies(response(trace, 1)) == [
        f"{name}=; Path=/api; {EPOCH_DELETE}; SameSite=Strict"
    ]
    assert [c.name for c in trace.events[-1].state.cookies] == []


def names(event: Event) -> list[str]:
    """The header names of a response, the body's Content-Length aside (where a trace
    records one, it follows from the body, not from the rule under test)."""
    return [str(n) for n, _ in event.detail["headers"] if str(n) != "Content-Length"]


def test_response_headers_are_what_each_answer_needs() -> None:
    trace = simulate([("login", {}), ("profile", {})], "session", seed=11)
    assert names(response(trace, 0)) == ["Content-Type", "Set-Cookie"]
    assert names(response(trace, 1)) == ["Content-Type"]
    assert header(response(trace, 1), "Content-Type") == "application/json"
    jwt_trace = simulate([("profile", {})], "jwt", seed=11)
    assert names(response(jwt_trace, 0)) == ["Content-Type", "WWW-Authenticate"]
    hybrid = simulate([send("POST", "/auth/refresh", ("Cookie", "refresh=x"))], "hybrid", seed=11)
    assert names(response(hybrid, 0)) == ["Content-Type", "Set-Cookie", "WWW-Authenticate"]


def test_a_cross_origin_answer_carries_the_cors_headers_first() -> None:
    trace = simulate(
        [("login", {}), send("GET", "/api/profile", ("Origin", "https://evil.example"))],
        "session",
        seed=11,
        cors="any-with-credentials",
    )
    assert names(response(trace, 1)) == [
        "Content-Type",
        "Access-Control-Allow-Origin",
        "Access-Control-Allow-Credentials",
        "Vary",
    ]


def test_a_query_string_does_not_change_the_route() -> None:
    trace = simulate([("login", {}), send("GET", "/api/profile?tab=1")], "session", seed=11)
    assert response(trace, 1).detail["status"] == 401  # the route answered, not a 404
    assert response(trace, 1).detail["body"] == {"error": "no sid cookie"}


def test_each_hybrid_login_starts_its_own_refresh_family() -> None:
    trace = simulate([("login", {}), ("login", {})], "hybrid", seed=11)
    families = [
        claims_of(response(trace, step).detail["body"]["access_token"])["fam"] for step in (0, 1)
    ]
    assert families[0] != families[1]
    assert all(len(f) == 12 and int(f, 16) >= 0 for f in families)
    assert {k for k in store_at(trace, 1) if k.startswith("family:")} == {
        f"family:{f}" for f in families
    }
