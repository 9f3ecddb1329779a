"""The Player: index bounds, stepping, playing to the end, speed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from authflow.app.session.player import BASE_INTERVAL_MS, SPEEDS, Player
from authflow.simulator.trace.trace import Trace


def test_set_trace_jump_and_bounds(qtbot: Any, make_trace: Callable[..., Trace]) -> None:
    player = Player()
    trace = make_trace()
    with qtbot.waitSignal(player.trace_changed):
        player.set_trace(trace, -1)
    assert player.index == -1
    assert player.current_event is None
    player.jump(999)
    assert player.index == len(trace.events) - 1
    player.jump(-5)
    assert player.index == 0
    assert not player.step_back()
    assert player.step_forward()
    assert player.current_event is trace.events[1]


def test_step_changed_is_not_emitted_for_a_no_op_jump(
    qtbot: Any, make_trace: Callable[..., Trace]
) -> None:
    player = Player()
    player.set_trace(make_trace(), 3)
    with qtbot.assertNotEmitted(player.step_changed):
        player.jump(3)


def test_play_runs_to_the_end_and_stops(qtbot: Any, make_trace: Callable[..., Trace]) -> None:
    player = Player()
    trace = make_trace()
    player.set_trace(trace, len(trace.events) - 3)
    player.set_speed(4.0)
    player._timer.setInterval(1)  # the timer's pace is not what this test is about
    with qtbot.waitSignal(
        player.playing_changed, check_params_cb=lambda p: p is False, timeout=3000
    ):
        player.play()
    assert player.index == len(trace.events) - 1
    assert not player.playing


def test_play_at_the_end_starts_over(qtbot: Any, make_trace: Callable[..., Trace]) -> None:
    player = Player()
    trace = make_trace()
    player.set_trace(trace)
    player.play()
    assert player.index == 0
    assert player.playing
    player.pause()
    assert not player.playing


def test_speed_is_clamped_and_sets_the_interval(qtbot: Any) -> None:
    player = Player()
    with qtbot.waitSignal(player.speed_changed):
        player.set_speed(100)
    assert player.speed == SPEEDS[-1]
    assert player.interval_ms == round(BASE_INTERVAL_MS / SPEEDS[-1])
    player.set_speed(0.01)
    assert player.speed == SPEEDS[0]
