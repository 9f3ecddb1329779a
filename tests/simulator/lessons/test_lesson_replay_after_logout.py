"""replay-after-logout: a stolen copy before and after the victim logs out."""

from __future__ import annotations

import pytest
from lesson_trace import attack, header, requests, run, step_index

from authflow.simulator.trace.trace import Trace


def _replays(trace: Trace) -> list[dict[str, object]]:
    return [dict(attack(trace, i)) for i, s in enumerate(trace.steps) if s.action == "replay"]


def test_session_copy_dies_at_logout() -> None:
    t = run("replay-after-logout", "session")
    stolen = attack(t, step_index(t, "steal"))["stolen"]
    assert set(stolen) == {"sid"}
    before, after, later = _replays(t)
    assert before["status"] == 200
    assert before["success"] is True
    assert after["status"] == 401
    assert "no such session" in str(after["reason"])
    assert later["status"] == 401
    # The replay really carried the stolen cookie, from the attacker's machine.
    sent = requests(t, step_index(t, "replay", 2))[0]
    assert sent.src == "attacker"
    assert sent.detail["origin_actor"] == "attacker"
    assert header(sent, "Cookie") == f"sid={stolen['sid']}"


def test_jwt_without_revocation_lives_until_exp() -> None:
    t = run("replay-after-logout", "jwt")
    stolen = attack(t, step_index(t, "steal"))["stolen"]
    assert set(stolen) == {"access_token"}
    before, after, later = _replays(t)
    assert (before["status"], after["status"]) == (200, 200)
    assert later["status"] == 401
    assert "expired" in str(later["reason"])
    sent = requests(t, step_index(t, "replay", 2))[0]
    assert header(sent, "Authorization") == f"Bearer {stolen['access_token']}"


@pytest.mark.parametrize(
    ("revocation", "needle"),
    [("denylist", "denylist"), ("token-version", "version 0 is not the user's current 1")],
)
def test_jwt_with_revocation_refuses_after_logout(revocation: str, needle: str) -> None:
    t = run("replay-after-logout", "jwt", revocation=revocation)
    before, after, _ = _replays(t)
    assert before["status"] == 200
    assert after["status"] == 401
    assert needle in str(after["reason"])


def test_hybrid_access_token_outlives_logout_refresh_token_does_not() -> None:
    t = run("replay-after-logout", "hybrid")
    stolen = attack(t, step_index(t, "steal"))["stolen"]
    assert {"access_token", "refresh"} <= set(stolen)
    before, after, later = _replays(t)
    assert (before["status"], after["status"]) == (200, 200)
    refresh = attack(t, step_index(t, "refresh_reuse"))
    assert refresh["status"] == 401
    assert "revoked" in str(refresh["reason"])
    assert refresh["stolen"] == {}
    assert later["status"] == 401
    assert "expired" in str(later["reason"])


def test_attacker_is_an_actor() -> None:
    for mode in ("session", "jwt", "hybrid"):
        assert "attacker" in run("replay-after-logout", mode).actors
