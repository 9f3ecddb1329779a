"""browser-restart: reload loses page memory; restart also loses session cookies."""

from __future__ import annotations

from lesson_trace import app_statuses, events, run, step_index, verdicts


def test_session_cookie_is_cleared_on_restart() -> None:
    t = run("browser-restart", "session")
    reload = step_index(t, "reload")
    assert [v["ok"] for v in verdicts(t, reload, "session")] == [True]
    restart = step_index(t, "restart_browser")
    cleared = [e for e in events(t, restart, "cookie") if e.detail["action"] == "cleared"]
    assert [e.detail["name"] for e in cleared] == ["sid"]
    assert not events(t, restart)[-1].state.cookies
    assert app_statuses(t, step_index(t, "profile")) == [401]


def test_jwt_in_local_storage_survives_both() -> None:
    t = run("browser-restart", "jwt")
    assert app_statuses(t, step_index(t, "profile")) == [200]
    assert "access_token" in t.events[-1].state.local_storage["https://app.example"]


def test_jwt_in_memory_is_lost_on_reload() -> None:
    t = run("browser-restart", "jwt", token_storage="memory")
    reload = step_index(t, "reload")
    assert not events(t, reload)[-1].state.memory
    assert app_statuses(t, step_index(t, "profile")) == [401]


def test_hybrid_refreshes_silently_after_reload_and_restart() -> None:
    t = run("browser-restart", "hybrid")
    for action in ("reload", "restart_browser"):
        i = step_index(t, action)
        assert [v["ok"] for v in verdicts(t, i, "refresh")] == [True]
        assert "access_token" in events(t, i)[-1].state.memory
    rows = {c.name: c for c in t.events[-1].state.cookies}
    assert rows["refresh"].expires is not None, "the refresh cookie is persistent"
    assert app_statuses(t, step_index(t, "profile")) == [200]
