"""basics: log in, look, log out, look again, in every mode."""

from __future__ import annotations

import pytest
from lesson_trace import app_statuses, carried, requests, run, step_index, verdicts


@pytest.mark.parametrize("mode", ["session", "jwt", "hybrid"])
def test_profile_works_then_fails_after_logout(mode: str) -> None:
    t = run("basics", mode)
    assert app_statuses(t, step_index(t, "login")) == [200]
    assert app_statuses(t, step_index(t, "profile", 1)) == [200]
    assert app_statuses(t, step_index(t, "logout")) == [200]
    assert 401 in app_statuses(t, step_index(t, "profile", 2))
    assert "attacker" not in t.actors


def test_what_rides_along_per_mode() -> None:
    expected = {
        "session": {("Cookie", "sid")},
        "jwt": {("Authorization", "Bearer")},
        "hybrid": {("Authorization", "Bearer")},
    }
    for mode, carries in expected.items():
        t = run("basics", mode)
        sent = requests(t, step_index(t, "profile", 1), "/api/profile")[0]
        assert carried(sent) == carries
        check = "session" if mode == "session" else "jwt"
        assert verdicts(t, step_index(t, "profile", 1), check)[0]["ok"] is True
