"""scale-out: two servers, round-robin or sticky, memory or shared stores."""

from __future__ import annotations

import pytest
from lesson_trace import app_statuses, run, servers_answering, step_index, verdicts

from authflow.simulator.trace.trace import Trace


def _profiles(t: Trace) -> list[int]:
    return [app_statuses(t, i)[0] for i, s in enumerate(t.steps) if s.action == "profile"]


def _profile_servers(t: Trace) -> list[str]:
    return [servers_answering(t, i)[0] for i, s in enumerate(t.steps) if s.action == "profile"]


def test_round_robin_memory_breaks_sessions() -> None:
    t = run("scale-out", "session")
    assert t.actors[:4] == ("browser", "lb", "server-1", "server-2")
    assert {"store-1", "store-2"} <= set(t.actors)
    assert servers_answering(t, step_index(t, "login")) == ["server-1"]
    assert _profile_servers(t) == ["server-2", "server-1", "server-2"]
    assert _profiles(t) == [401, 200, 401]
    assert "no such session" in str(verdicts(t, step_index(t, "profile"))[0]["reason"])


@pytest.mark.parametrize("override", [{"sticky": "true"}, {"store": "shared"}])
def test_sticky_or_shared_store_fixes_sessions(override: dict[str, str]) -> None:
    t = run("scale-out", "session", **override)
    assert _profiles(t) == [200, 200, 200]
    if "sticky" in override:
        assert set(_profile_servers(t)) == {"server-1"}
    else:
        assert _profile_servers(t) == ["server-2", "server-1", "server-2"]


def test_jwt_verifies_on_any_server() -> None:
    t = run("scale-out", "jwt")
    assert _profile_servers(t) == ["server-2", "server-1", "server-2"]
    assert _profiles(t) == [200, 200, 200]


def test_hybrid_refresh_lands_on_the_wrong_server() -> None:
    t = run("scale-out", "hybrid")
    assert _profiles(t) == [200, 200, 200]
    reload = step_index(t, "reload")
    refresh = verdicts(t, reload, "refresh")
    assert refresh[-1]["ok"] is False
    assert "unknown refresh token" in str(refresh[-1]["reason"])
    assert servers_answering(t, reload)[-1] == "server-2"


@pytest.mark.parametrize("override", [{"sticky": "true"}, {"store": "shared"}])
def test_hybrid_sticky_or_shared_refreshes(override: dict[str, str]) -> None:
    t = run("scale-out", "hybrid", **override)
    assert [v["ok"] for v in verdicts(t, step_index(t, "reload"), "refresh")] == [True]
