"""refresh-race: two tabs present one refresh token; strict rotation takes the second for
reuse, a grace period or a refresh lock avoids it, and the grace period is a window a
thief can use too."""

from __future__ import annotations

import pytest
from lesson_trace import (
    app_statuses,
    attack,
    carried,
    events,
    header,
    requests,
    run,
    step_index,
    verdicts,
)

from authflow.simulator.trace.trace import Trace


def _race(t: Trace) -> int:
    return step_index(t, "refresh_race")


def _refresh_cookies(t: Trace, step: int) -> list[str | None]:
    return [header(r, "Cookie") for r in requests(t, step, "/auth/refresh")]


def _tab_2_note(t: Trace) -> str:
    (note,) = [e for e in events(t, _race(t), "note") if e.detail.get("tab") == 2]
    return note.label


def test_strict_rotation_takes_the_second_tab_for_a_thief() -> None:
    t = run("refresh-race", "hybrid")
    i = _race(t)
    first, second = _refresh_cookies(t, i)
    assert first is not None
    assert first == second, "both tabs sent the refresh cookie the jar held before"
    assert app_statuses(t, i) == [200, 401]
    refused = verdicts(t, i, "refresh")[-1]
    assert refused["ok"] is False
    assert "reuse" in str(refused["reason"])
    assert _tab_2_note(t) == "tab 2 shows the login form"
    # The false alarm revoked the family and cleared the cookie: once tab 1's access
    # token expires, its refresh fails and Alice is signed out.
    later = step_index(t, "profile")
    assert app_statuses(t, later) == [401, 401]
    assert events(t, later)[-1].state.page.signed_in_as is None


@pytest.mark.parametrize("setting", [{"refresh_grace": "10"}, {"refresh_lock": "true"}])
def test_a_grace_period_or_a_lock_keeps_both_tabs_signed_in(setting: dict[str, str]) -> None:
    t = run("refresh-race", "hybrid", **setting)
    i = _race(t)
    assert app_statuses(t, i) == [200, 200]
    assert all(v["ok"] for v in verdicts(t, i, "refresh"))
    assert _tab_2_note(t) == "tab 2 got a new access token"
    later = step_index(t, "profile")
    assert app_statuses(t, later) == [401, 200, 200], "expired, refreshed, retried"
    assert events(t, later)[-1].state.page.signed_in_as == "alice"


def test_the_lock_makes_the_second_tab_send_the_rotated_token() -> None:
    t = run("refresh-race", "hybrid", refresh_lock="true")
    first, second = _refresh_cookies(t, _race(t))
    assert first is not None
    assert second is not None
    assert first != second
    assert "grace" not in str(verdicts(t, _race(t), "refresh")[-1]["reason"])


def test_within_the_grace_the_second_tab_gets_no_new_refresh_token() -> None:
    t = run("refresh-race", "hybrid", refresh_grace="10")
    i = _race(t)
    answers = [e for e in events(t, i, "response") if e.dst == "browser"]
    assert carried(answers[0]) == {("Set-Cookie", "refresh")}
    assert carried(answers[1]) == set()
    assert "grace" in str(verdicts(t, i, "refresh")[-1]["reason"])


def test_a_thief_replaying_within_the_grace_gets_an_access_token() -> None:
    t = run("refresh-race", "hybrid")
    strict = attack(t, step_index(t, "refresh_reuse"))
    assert strict["status"] == 401
    assert "reuse" in str(strict["reason"])
    t = run("refresh-race", "hybrid", refresh_grace="10")
    lenient = attack(t, step_index(t, "refresh_reuse"))
    assert lenient["status"] == 200
    assert lenient["success"] is True
    assert set(lenient["stolen"]) == {"access_token"}, "an access token, no refresh token"
    # The grace is a window, not a pass: three seconds late is reuse again.
    t = run("refresh-race", "hybrid", refresh_grace="2")
    late = attack(t, step_index(t, "refresh_reuse"))
    assert late["status"] == 401
    assert "reuse" in str(late["reason"])
