"""Rules at their edges: the exact second a token expires, a wrong CSRF token, a session
kept alive by use, a logout sent with an expired access token.

Each test drives the simulator as a user would (steps in, trace out) and reads only
what a real browser or server would show: statuses, verdicts, cookies and the store.
Each was seen to fail with the bug it names planted in the rule (issue 20).
"""

from __future__ import annotations

import json
from typing import Any

import jwt
import pytest

from authflow import simulator
from authflow.simulator.trace.trace import Event, Step, Trace

FAST = {"scrypt_n": "1024"}


def run(mode: str, steps: list[tuple[str, dict[str, Any]]], **settings: str) -> Trace:
    return simulator.simulate(
        [Step(action, args, "") for action, args in steps], mode, {**FAST, **settings}, seed=3
    )


def answers(trace: Trace, step: int, to: str = "browser") -> list[tuple[str, int]]:
    """(request label, status) of every answer `to` got during `step` (0-based)."""
    labels = {e.detail["request_id"]: e.label for e in trace.events if e.kind == "request"}
    return [
        (labels[e.detail["request_id"]], e.detail["status"])
        for e in trace.events
        if e.kind == "response" and e.dst == to and e.step == step
    ]


def verdicts(trace: Trace, step: int, check: str) -> list[Event]:
    return [
        e
        for e in trace.events
        if e.kind == "verdict" and e.step == step and e.detail["check"] == check
    ]


def login_body(trace: Trace) -> dict[str, Any]:
    response = next(e for e in trace.events if e.kind == "response" and e.dst == "browser")
    assert response.detail["status"] == 200
    body: dict[str, Any] = response.detail["body"]
    return body


# -- a JWT's exp: expired at exactly exp (RFC 7519 4.1.4: "on or after") -------------------


def _exp_of_login(mode: str, **settings: str) -> tuple[int, float]:
    """The access token's exp and the epoch of t = 0."""
    trace = run(mode, [("login", {})], **settings)
    token = login_body(trace)["access_token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    return int(claims["exp"]), trace.start_epoch


@pytest.mark.parametrize("mode", ["jwt", "hybrid"])
def test_access_token_is_refused_at_exactly_exp_and_accepted_a_second_before(mode: str) -> None:
    exp, epoch = _exp_of_login(mode, access_ttl="600")
    # Logging in takes no simulated time: the token was issued at t = 0.
    until_exp = int(exp - epoch)
    assert until_exp == 600

    before = run(
        mode,
        [("login", {}), ("wait", {"seconds": until_exp - 1}), ("profile", {})],
        access_ttl="600",
    )
    assert answers(before, 2)[0] == ("GET /api/profile", 200)

    at_exp = run(
        mode,
        [("login", {}), ("wait", {"seconds": until_exp}), ("profile", {})],
        access_ttl="600",
    )
    refused = verdicts(at_exp, 2, "jwt")[0]
    assert not refused.detail["ok"]
    assert refused.detail["reason"].startswith("expired")
    assert answers(at_exp, 2)[0] == ("GET /api/profile", 401)


# -- CSRF token: only the one bound to this login opens the door -------------------------


def _cookie_and_csrf(trace: Trace, name: str) -> tuple[str, str]:
    jar = next(e for e in reversed(trace.events) if e.step == 0).state.cookies
    cookie = next(c for c in jar if c.name == name)
    return f"{name}={cookie.value}", str(login_body(trace)["csrf_token"])


@pytest.mark.parametrize(
    ("mode", "cookie", "settings"),
    [
        ("session", "sid", {}),
        ("jwt", "access_token", {"token_storage": "cookie"}),
    ],
)
def test_transfer_needs_the_csrf_token_bound_to_the_login(
    mode: str, cookie: str, settings: dict[str, str]
) -> None:
    settings = {**settings, "csrf_token": "true"}
    logged_in = run(mode, [("login", {})], **settings)
    credential, token = _cookie_and_csrf(logged_in, cookie)
    assert len(token) > 8

    def send(csrf: str) -> tuple[str, dict[str, Any]]:
        headers = [["Cookie", credential]] + ([["X-CSRF-Token", csrf]] if csrf else [])
        return (
            "send",
            {
                "method": "POST",
                "path": "/api/transfer",
                "headers": headers,
                "body": {"amount": 5, "to": "bob"},
            },
        )

    wrong = token[:-1] + ("A" if token[-1] != "A" else "B")
    # Same seed, same login: the hand-made requests carry this login's real cookie.
    trace = run(
        mode,
        [("login", {}), send(wrong), send("x"), send(""), send(token), ("transfer", {})],
        **settings,
    )
    for step in (1, 2, 3):
        assert answers(trace, step) == [("POST /api/transfer", 403)], step
        (csrf,) = verdicts(trace, step, "csrf")
        assert not csrf.detail["ok"]
    assert verdicts(trace, 1, "csrf")[0].detail["reason"] == (
        "X-CSRF-Token does not match: a cross-site page cannot know the token"
    )
    assert verdicts(trace, 1, "csrf")[0].detail["user"] == "alice"
    assert verdicts(trace, 3, "csrf")[0].detail["reason"] == (
        "no X-CSRF-Token header: a cross-site page cannot know the token"
    )
    refused = next(e for e in trace.events if e.kind == "response" and e.step == 1)
    assert refused.detail["body"] == {"error": "CSRF token missing or wrong"}
    assert answers(trace, 4) == [("POST /api/transfer", 200)]
    accepted = verdicts(trace, 4, "csrf")[0].detail
    assert accepted["ok"]
    assert accepted["reason"] == "X-CSRF-Token matches the one bound to this login"
    assert accepted["user"] == "alice"
    # The app's own page sends the token it was given at login.
    assert answers(trace, 5) == [("POST /api/transfer", 200)]


# -- a session slides: each use renews its idle lifetime ---------------------------------


def test_each_use_renews_the_session_and_idleness_ends_it() -> None:
    ttl = 600
    trace = run(
        "session",
        [
            ("login", {}),
            ("wait", {"seconds": 500}),
            ("profile", {}),  # t=500: renews until t=1100
            ("wait", {"seconds": 500}),
            ("profile", {}),  # t=1000: 1000 s after login, 500 s after the last use
            ("wait", {"seconds": ttl}),
            ("profile", {}),  # t=1600: idle for exactly the ttl
        ],
        session_ttl=str(ttl),
    )
    assert answers(trace, 2) == [("GET /api/profile", 200)]
    assert answers(trace, 4) == [("GET /api/profile", 200)]
    assert answers(trace, 6) == [("GET /api/profile", 401)]

    def session_expires_after(step: int) -> float:
        last = [e for e in trace.events if e.step == step][-1]
        ((key, entry),) = [
            (k, v) for k, v in last.state.stores["store"].items() if k[:5] == "sess:"
        ]
        assert entry.expires is not None, key
        return float(entry.expires)

    assert session_expires_after(0) == pytest.approx(ttl)
    assert session_expires_after(2) == pytest.approx(500 + ttl)
    assert session_expires_after(4) == pytest.approx(1000 + ttl)


# -- hybrid logout: an expired access token still ends its refresh family ----------------


def test_logout_with_an_expired_access_token_revokes_the_refresh_family() -> None:
    trace = run(
        "hybrid",
        [
            ("login", {}),
            ("steal", {}),  # malware copies the refresh cookie
            ("wait", {"seconds": 1200}),  # the 15-minute access token has expired
            ("logout", {}),
            ("refresh_reuse", {}),  # the thief tries the copied refresh token
        ],
    )
    assert answers(trace, 3) == [("POST /auth/logout", 200)]
    families = {
        key: json.loads(entry.value)
        for key, entry in trace.events[-1].state.stores["store"].items()
        if key.startswith("family:")
    }
    assert len(families) == 1
    assert all(f["revoked"] for f in families.values())
    assert answers(trace, 4, to="attacker") == [("POST /auth/refresh", 401)]
    attack = next(e for e in trace.events if e.kind == "attack" and e.step == 4)
    assert not attack.detail["success"]


# -- a time claim that is not a (finite) number makes the token malformed (LESSONS.md) ----
# NaN and Infinity were accepted as "not expired" until issue 20: a token forged with a
# cracked secret could live for ever.


@pytest.mark.parametrize("exp", ["tomorrow", [1], float("nan"), float("inf")])
def test_a_token_whose_exp_is_not_a_number_is_refused(exp: object) -> None:
    secret = "a-lesson-secret-long-enough-for-hs256"
    trace = run("jwt", [("login", {})], secret=secret)
    claims = jwt.decode(login_body(trace)["access_token"], options={"verify_signature": False})
    forged = jwt.encode({**claims, "exp": exp}, secret, algorithm="HS256")
    sent = run(
        "jwt",
        [
            ("login", {}),
            (
                "send",
                {
                    "method": "GET",
                    "path": "/api/profile",
                    "headers": [["Authorization", f"Bearer {forged}"]],
                },
            ),
        ],
        secret=secret,
    )
    assert answers(sent, 1) == [("GET /api/profile", 401)]
    (verdict,) = verdicts(sent, 1, "jwt")
    assert verdict.detail["reason"] == "invalid token: exp is not a number"


@pytest.mark.parametrize("claim", ["iat", "nbf"])
@pytest.mark.parametrize("value", ["yesterday", float("nan"), float("inf"), True])
def test_every_time_claim_that_is_not_a_number_makes_the_token_malformed(
    claim: str, value: object
) -> None:
    """iat and nbf are NumericDates too (RFC 7519 4.1.5-4.1.6): PyJWT's own checks are
    off (the simulated clock judges time), so the server checks them itself."""
    secret = "a-lesson-secret-long-enough-for-hs256"
    trace = run("jwt", [("login", {})], secret=secret)
    claims = jwt.decode(login_body(trace)["access_token"], options={"verify_signature": False})
    forged = jwt.encode({**claims, claim: value}, secret, algorithm="HS256")
    bearer = [["Authorization", f"Bearer {forged}"]]
    sent = run(
        "jwt",
        [
            ("login", {}),
            ("send", {"method": "GET", "path": "/api/profile", "headers": bearer}),
            ("send", {"method": "POST", "path": "/auth/logout", "headers": bearer}),
        ],
        secret=secret,
        revocation="denylist",
    )
    assert answers(sent, 1) == [("GET /api/profile", 401)]
    (verdict,) = verdicts(sent, 1, "jwt")
    assert verdict.detail["reason"] == f"invalid token: {claim} is not a number"
    # Logging out with such a token (denylist on) neither raises nor lists anything.
    assert answers(sent, 2) == [("POST /auth/logout", 200)]
    assert not any(k.startswith("deny:") for k in sent.events[-1].state.stores["store"])


def test_a_token_not_valid_yet_is_refused_until_its_nbf() -> None:
    secret = "a-lesson-secret-long-enough-for-hs256"
    trace = run("jwt", [("login", {})], secret=secret)
    claims = jwt.decode(login_body(trace)["access_token"], options={"verify_signature": False})
    forged = jwt.encode({**claims, "nbf": claims["iat"] + 60}, secret, algorithm="HS256")
    send = (
        "send",
        {
            "method": "GET",
            "path": "/api/profile",
            "headers": [["Authorization", f"Bearer {forged}"]],
        },
    )
    sent = run("jwt", [("login", {}), send, ("wait", {"seconds": 61}), send], secret=secret)
    assert answers(sent, 1) == [("GET /api/profile", 401)]
    assert answers(sent, 3) == [("GET /api/profile", 200)]
