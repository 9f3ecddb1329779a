"""samesite-default: a cookie with no SameSite attribute is Lax in Chromium, except on a
cross-site top-level POST within two minutes of its creation (Lax+POST)."""

from __future__ import annotations

import pytest
from lesson_trace import attack, carried, events, left_out, requests, run, step_index

from authflow.simulator.trace.details import as_response
from authflow.simulator.trace.trace import Trace

COOKIE = {"session": "sid", "jwt": "access_token"}


def _forged(t: Trace, nth: int) -> tuple[set[tuple[str, str]], dict[str, str], int]:
    i = step_index(t, "csrf", nth)
    sent = requests(t, i, "/api/transfer")[0]
    return carried(sent), left_out(sent), int(attack(t, i)["status"])


@pytest.mark.parametrize("mode", ["session", "jwt"])
def test_unset_rides_for_two_minutes_then_stays_home(mode: str) -> None:
    t = run("samesite-default", mode)
    name = COOKIE[mode]
    (login,) = [e for e in events(t, step_index(t, "login"), "response") if e.dst == "browser"]
    line = next(v for n, v in as_response(login).headers if n == "Set-Cookie")
    assert line.startswith(f"{name}=")
    assert "samesite" not in line.lower()
    (row,) = [c for c in t.events[-1].state.cookies if c.name == name]
    assert (row.same_site, row.same_site_defaulted) == ("Lax", True)
    rode, _, status = _forged(t, 1)
    assert ("Cookie", name) in rode
    assert status == 200
    rode, kept, status = _forged(t, 2)
    assert ("Cookie", name) not in rode
    assert kept[name] == "SameSite=Lax: cross-site POST (Lax by default, older than 2 minutes)"
    assert status == 401


def test_explicit_lax_has_no_two_minute_window() -> None:
    t = run("samesite-default", "session", same_site="Lax")
    for nth in (1, 2):
        _, kept, status = _forged(t, nth)
        assert kept["sid"] == "SameSite=Lax: cross-site POST"
        assert status == 401


def test_none_rides_every_time_unless_the_server_checks() -> None:
    t = run("samesite-default", "session", same_site="None")
    assert [_forged(t, nth)[2] for nth in (1, 2)] == [200, 200]
    t = run("samesite-default", "session", same_site="None", csrf_defence="origin-check")
    assert [_forged(t, nth)[2] for nth in (1, 2)] == [403, 403]


def test_a_new_value_restarts_the_window() -> None:
    # Chromium keeps a cookie's creation time only when an overwrite keeps its value: a
    # fresh login (a new session id) gets two more minutes of Lax+POST.
    from factories import simulate

    from authflow.simulator.trace.trace import Step

    steps = (
        Step("login", {}, ""),
        Step("wait", {"seconds": 180}, ""),
        Step("login", {}, ""),
        Step("csrf", {}, ""),
    )
    t = simulate(steps, "session", same_site="unset")
    assert attack(t, 3)["status"] == 200
