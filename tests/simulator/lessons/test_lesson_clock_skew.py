"""clock-skew: each server judges a token's times by its own clock; leeway forgives it."""

from __future__ import annotations

import jwt
import pytest
from lesson_trace import app_statuses, requests, run, servers_answering, step_index, verdicts

from authflow.simulator.trace.trace import Trace


def _profile(t: Trace, nth: int) -> int:
    return step_index(t, "profile", nth)


def _issued_iat(t: Trace, nth_login: int) -> int:
    i = step_index(t, "login", nth_login)
    (response,) = [
        e for e in t.events if e.step == i and e.kind == "response" and e.dst == "browser"
    ]
    token = str(response.detail["body"]["access_token"])
    return int(jwt.decode(token, options={"verify_signature": False})["iat"])


@pytest.mark.parametrize("mode", ["jwt", "hybrid"])
def test_a_fresh_token_from_server_1_is_not_yet_valid_on_server_2(mode: str) -> None:
    t = run("clock-skew", mode)
    assert _issued_iat(t, 1) == t.start_epoch  # stamped by server-1, the run's clock
    first = _profile(t, 1)
    refusal = verdicts(t, first, "jwt")[0]
    assert servers_answering(t, first)[0] == "server-2"
    assert refusal["ok"] is False
    assert refusal["reason"] == "not yet valid: iat is 20 s ahead of this server's clock"
    assert app_statuses(t, first)[0] == 401


@pytest.mark.parametrize("mode", ["jwt", "hybrid"])
def test_a_token_from_server_2_expires_early_on_server_1(mode: str) -> None:
    t = run("clock-skew", mode)
    assert _issued_iat(t, 2) == t.start_epoch - 20  # stamped by server-2, 20 s behind
    late = _profile(t, 2)
    refusal = verdicts(t, late, "jwt")[0]
    assert servers_answering(t, late)[0] == "server-1"
    assert refusal["ok"] is False
    assert refusal["reason"] == "expired 10 s ago"
    if mode == "jwt":
        assert app_statuses(t, late) == [401]
    else:
        # The refresh lands on server-2; its new token is fine on server-1 as well.
        assert app_statuses(t, late) == [401, 200, 200]
        assert [r.detail["path"] for r in requests(t, late)][1] == "/auth/refresh"


@pytest.mark.parametrize("mode", ["jwt", "hybrid"])
def test_leeway_forgives_the_difference_and_says_so(mode: str) -> None:
    t = run("clock-skew", mode, leeway="30")
    first, late = _profile(t, 1), _profile(t, 2)
    assert app_statuses(t, first) == app_statuses(t, late) == [200]
    assert verdicts(t, first, "jwt")[0]["reason"] == (
        "alice: not yet valid: iat is 20 s ahead of this server's clock, within the 30 s leeway"
    )
    # The price: server-1 takes a token 10 s after its exp.
    assert verdicts(t, late, "jwt")[0]["reason"] == (
        "alice: expired 10 s ago, within the 30 s leeway"
    )


def test_a_leeway_smaller_than_the_skew_is_not_enough() -> None:
    t = run("clock-skew", "jwt", leeway="19")
    assert app_statuses(t, _profile(t, 1)) == [401]
    assert verdicts(t, _profile(t, 1), "jwt")[0]["reason"] == (
        "not yet valid: iat is 20 s ahead of this server's clock, beyond the 19 s leeway"
    )


def test_with_clocks_in_step_every_request_succeeds() -> None:
    t = run("clock-skew", "jwt", clock_skew="0")
    assert app_statuses(t, _profile(t, 1)) == app_statuses(t, _profile(t, 2)) == [200]


def test_sessions_do_not_depend_on_the_servers_clocks() -> None:
    t = run("clock-skew", "session")
    assert servers_answering(t, _profile(t, 1))[0] == "server-2"
    assert app_statuses(t, _profile(t, 1)) == app_statuses(t, _profile(t, 2)) == [200]
