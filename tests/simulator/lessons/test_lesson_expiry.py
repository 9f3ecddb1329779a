"""expiry: idle session timeout, JWT exp, and the hybrid page's silent refresh."""

from __future__ import annotations

from lesson_trace import app_statuses, run, step_index, verdicts


def test_session_times_out_when_idle() -> None:
    t = run("expiry", "session")
    later = step_index(t, "profile", 2)
    assert app_statuses(t, later) == [401]
    assert "no such session" in str(verdicts(t, later, "session")[0]["reason"])


def test_jwt_expires() -> None:
    t = run("expiry", "jwt")
    later = step_index(t, "profile", 2)
    assert app_statuses(t, later) == [401]
    assert str(verdicts(t, later, "jwt")[0]["reason"]).startswith("expired")


def test_hybrid_refreshes_and_retries() -> None:
    t = run("expiry", "hybrid")
    later = step_index(t, "profile", 2)
    assert app_statuses(t, later) == [401, 200, 200]
    assert [v["ok"] for v in verdicts(t, later, "refresh")] == [True]
