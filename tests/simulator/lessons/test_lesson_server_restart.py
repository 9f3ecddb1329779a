"""server-restart: the memory store forgets, the shared store keeps, JWTs need neither."""

from __future__ import annotations

from lesson_trace import app_statuses, events, run, step_index, verdicts

from authflow.simulator.trace.trace import Trace


def _after(t: Trace, action: str, nth: int = 1) -> list[int]:
    return app_statuses(t, step_index(t, action, nth))


def test_session_memory_store_loses_the_session() -> None:
    t = run("server-restart", "session")
    restart = step_index(t, "restart_server")
    note = next(e for e in events(t, restart, "note") if e.src == "server")
    assert note.detail["lost"] >= 1
    assert not any(k.startswith("sess:") for k in events(t, restart)[-1].state.stores["store"])
    assert _after(t, "profile", 1) == [200]
    assert _after(t, "profile", 2) == [401]
    assert "no such session" in str(verdicts(t, step_index(t, "profile", 2))[0]["reason"])


def test_session_shared_store_keeps_it() -> None:
    t = run("server-restart", "session", store="shared")
    assert _after(t, "profile", 2) == [200]
    assert t.events[-1].state.page.signed_in_as == "alice"


def test_jwt_survives_either_way() -> None:
    for store in ("memory", "shared"):
        t = run("server-restart", "jwt", store=store)
        assert _after(t, "profile", 2) == [200]
        assert all(s == 200 for s in _after(t, "reload"))


def test_hybrid_access_token_survives_refresh_record_does_not() -> None:
    t = run("server-restart", "hybrid")
    assert _after(t, "profile", 2) == [200]
    reload = step_index(t, "reload")
    refresh = verdicts(t, reload, "refresh")
    assert refresh
    assert refresh[-1]["ok"] is False
    assert "unknown refresh token" in str(refresh[-1]["reason"])
    assert t.events[-1].state.page.signed_in_as is None


def test_hybrid_shared_store_keeps_the_refresh_token() -> None:
    t = run("server-restart", "hybrid", store="shared")
    reload = step_index(t, "reload")
    assert [v["ok"] for v in verdicts(t, reload, "refresh")] == [True]
    assert "access_token" in t.events[-1].state.memory
