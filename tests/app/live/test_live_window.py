"""The window's Simulated / Live / Both switch, driven as a user would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def test_live_plays_the_real_run_on_the_same_stage(make_window: Callable[..., Any]) -> None:
    win = make_window(scenario="csrf", mode="session")
    win.controller.overrides["scrypt_n"] = "1024"
    win.start()
    firsts: list[float] = []
    win.parts.engine.first_live_event.connect(firsts.append)
    win.findChild(type(win.parts.engine.actions["live"]), "engine_live").trigger()
    trace = win.player.trace
    assert trace.engine == "live"
    assert win.windowTitle().endswith("live, in a real Chromium")
    assert win.parts.engine.actions["live"].isChecked()
    assert len(firsts) == 1
    assert firsts[0] > 0
    labels = [e.label for e in trace.events if e.kind == "request"]
    assert "POST /api/transfer" in labels
    # Stepping plays the real run's events on the stage.
    win.player.jump(len(trace.events) - 1)
    assert win.player.current_event is trace.events[-1]
    # Switching back shows the simulator's run again.
    win.parts.engine.actions["simulated"].trigger()
    assert win.player.trace.engine == "simulated"


def test_both_plays_csrf_side_by_side_in_step(make_window: Callable[..., Any]) -> None:
    win = make_window(scenario="csrf", mode="session")
    win.controller.overrides["scrypt_n"] = "1024"
    win.start()
    win.parts.engine.actions["both"].trigger()
    both = win.parts.engine.both
    assert both is not None
    simulated, live = both.traces()
    assert (simulated.engine, live.engine) == ("simulated", "live")
    assert both.summary.text().startswith("The real Chromium agrees")
    both.playback.step_forward()
    both.playback.step_forward()
    shown = [pane.player.current_event for pane in both.panes]
    assert shown[0] is not None
    assert shown[1] is not None
    assert shown[0].label == shown[1].label == "POST /auth/login"
    assert all(p.difference.text().startswith("=") for p in both.panes)
    both.close()


def test_both_marks_the_event_where_the_runs_differ(make_window: Callable[..., Any]) -> None:
    from authflow.app.live.both import BothWindow
    from authflow.app.views.palette import LIGHT
    from authflow.simulator import run_scenario
    from authflow.simulator.live.agreement import compare_runs

    lax = run_scenario("csrf", "session", {"scrypt_n": "1024"}, seed=1)
    none = run_scenario("csrf", "session", {"scrypt_n": "1024", "same_site": "None"}, seed=1)
    both = BothWindow(compare_runs(lax, none), LIGHT)
    post = next(
        i
        for i, e in enumerate(none.events)
        if e.kind == "request" and e.label == "POST /api/transfer"
    )
    position = both.timeline.position_of(1, post)
    both.playback.jump(position)
    assert both.panes[1].differs
    assert "Cookie header carried no cookie simulated, sid live" in both.panes[1].difference.text()
    both.playback.jump(0)
    assert not both.panes[1].differs
    both.close()
    both.deleteLater()
