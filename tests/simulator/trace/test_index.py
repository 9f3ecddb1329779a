"""The trace index answers what a scan from the first event answers, at every event."""

from __future__ import annotations

import gc

import factories
import pytest

from authflow import simulator
from authflow.simulator.trace.exchanges import request_for, response_to
from authflow.simulator.trace.index import _INDEXES, index_of
from authflow.simulator.trace.trace import Event, State, Trace


def scanned_baseline(trace: Trace, index: int) -> State:
    """The state before `index`'s step began, found by walking from event 0."""
    step = trace.events[index].step
    previous = trace.events[0].state
    for event in trace.events[: index + 1]:
        if event.step == step:
            return previous
        previous = event.state
    return previous


def scanned_step_events(trace: Trace, index: int) -> tuple[Event, ...]:
    step = trace.events[index].step
    return tuple(e for e in trace.events[: index + 1] if e.step == step)


def agree_everywhere(trace: Trace) -> None:
    found = index_of(trace)
    for i in range(len(trace.events)):
        assert found.baseline(i) is scanned_baseline(trace, i), i
        assert found.step_events(i) == scanned_step_events(trace, i), i
        request = request_for(trace.events, i)
        assert found.request_for(i) is request, i
        if request is not None:
            assert found.response_to(i, request) is response_to(trace.events, i, request), i


@pytest.mark.parametrize("mode", simulator.MODES)
@pytest.mark.parametrize("lesson", ["basics", "csrf", "refresh-reuse", "scale-out"])
def test_the_index_agrees_with_a_scan_at_every_event(lesson: str, mode: str) -> None:
    agree_everywhere(factories.run(lesson, mode))


def test_behind_a_balancer_the_index_pairs_each_hop_with_its_own_answer() -> None:
    agree_everywhere(factories.run("basics", "session", servers="2", store="shared"))


def test_a_step_whose_events_are_not_in_one_run_is_still_answered() -> None:
    # Hand-made (or joined live) traces need not keep a step's events together.
    events = [
        factories.tevent("note", "browser", "browser", seq=0, step=0),
        factories.tevent("request", seq=1, step=0, request_id=1),
        factories.tevent("note", "browser", "browser", seq=2, step=1),
        factories.tevent("response", "server", "browser", seq=3, step=0, request_id=1),
        factories.tevent("store", "server", "store", seq=4, step=1),
    ]
    trace = factories.ttrace(events)
    agree_everywhere(trace)
    assert index_of(trace).step_events(3) == (events[0], events[1], events[3])
    assert index_of(trace).baseline(4) is events[1].state


def test_outside_the_trace_there_is_nothing_to_show() -> None:
    trace = factories.run("basics", "jwt")
    found = index_of(trace)
    assert found.baseline(-1) is None
    assert found.baseline(len(trace.events)) is None
    assert found.step_events(len(trace.events)) == ()


def test_one_index_per_trace_kept_only_while_the_trace_lives() -> None:
    trace = factories.run("basics", "session")
    assert index_of(trace) is index_of(trace)
    key = id(trace)
    assert key in _INDEXES
    del trace
    gc.collect()
    assert key not in _INDEXES
