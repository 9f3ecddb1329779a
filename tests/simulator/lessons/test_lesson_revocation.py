"""revocation: password change and admin ban under every revocation strategy."""

from __future__ import annotations

import factories
import pytest
from lesson_trace import app_statuses, attack, events, run, step_index

from authflow.simulator.trace.trace import Trace


def _replay(t: Trace) -> dict[str, object]:
    return dict(attack(t, step_index(t, "replay")))


def _after_ban(t: Trace) -> list[int]:
    return app_statuses(t, step_index(t, "profile"))


def test_session_destroy_ends_every_copy() -> None:
    t = run("revocation", "session")
    change = step_index(t, "change_password")
    deleted = [e for e in events(t, change, "store") if e.detail["command"] == "DEL"]
    assert deleted, "the server deleted alice's sessions"
    # ...and gave her a fresh session id.
    assert any(c["name"] == "sid" for c in events(t, change, "response")[-1].detail["carries"])
    replay = _replay(t)
    assert replay["status"] == 401
    assert "no such session" in str(replay["reason"])
    assert _after_ban(t) == [401]


@pytest.mark.parametrize("mode", ["jwt", "hybrid"])
def test_token_version_ends_old_tokens(mode: str) -> None:
    t = run("revocation", mode)
    replay = _replay(t)
    assert replay["status"] == 401
    assert "version 0 is not the user's current 1" in str(replay["reason"])
    assert _after_ban(t)[0] == 401
    users = t.events[-1].state.stores["users"]
    assert '"token_version": 2' in users["user:alice"].value


def test_jwt_without_revocation_cannot_end_anything() -> None:
    t = run("revocation", "jwt", revocation="none")
    assert _replay(t)["status"] == 200
    assert _after_ban(t) == [200]
    ban_notes = [e for e in events(t, step_index(t, "ban"), "note") if e.src == "server"]
    assert "stays valid until exp" in ban_notes[-1].explain


def test_jwt_denylist_ends_the_presented_token_only() -> None:
    t = run("revocation", "jwt", revocation="denylist")
    replay = _replay(t)
    assert replay["status"] == 401
    assert "denylist" in str(replay["reason"])
    # The ban has no jti to list: the token issued at the password change lives on.
    assert _after_ban(t) == [200]


def test_hybrid_without_access_revocation_still_kills_refresh() -> None:
    t = run("revocation", "hybrid", revocation="none")
    assert _replay(t)["status"] == 200  # the stolen access token until exp
    profile = step_index(t, "profile")
    assert app_statuses(t, profile) == [200]
    ban = step_index(t, "ban")
    families = {
        k: v.value
        for k, v in events(t, ban)[-1].state.stores["store"].items()
        if k.startswith("family:")
    }
    assert families
    assert all('"revoked": true' in v for v in families.values())


def test_banned_user_cannot_log_in_again() -> None:
    from authflow.simulator.trace.trace import Step

    steps = [Step("login", {}, ""), Step("ban", {"user": "alice"}, ""), Step("login", {}, "")]
    t = factories.simulate(steps, "session")
    assert app_statuses(t, 2) == [401]
