"""The JSON lines writer writes exactly `json.dumps` of each event's documented object.

The writer composes each line from pieces (it writes a state once for the events that
share it, and each detail without keeping it); these tests hold every line to the
plain definition, so a field added to `Event.to_json` or `State.to_json` that the
writer does not know fails here."""

from __future__ import annotations

import json
from types import MappingProxyType

import factories
import pytest

from authflow import simulator
from authflow.simulator.formats.text import to_json_lines
from authflow.simulator.trace.details import DetailView
from authflow.simulator.trace.trace import Trace


def by_definition(trace: Trace) -> list[str]:
    return [
        json.dumps({**e.to_json(), "engine": trace.engine}, ensure_ascii=False)
        for e in trace.events
    ]


@pytest.mark.parametrize("mode", simulator.MODES)
@pytest.mark.parametrize("lesson", simulator.scenario_names())
def test_every_line_is_the_event_as_documented(lesson: str, mode: str) -> None:
    trace = factories.run(lesson, mode)
    assert list(to_json_lines(trace)) == by_definition(trace)


def test_behind_a_balancer_too() -> None:
    trace = factories.run("basics", "hybrid", servers="2", store="memory")
    assert list(to_json_lines(trace)) == by_definition(trace)


def test_hand_made_events_with_odd_values_are_written_as_json_would() -> None:
    # Details as plain or read-only mappings with nested tuples, text that needs
    # escaping, an int time: what a live run or an older trace may hold.
    events = [
        factories.tevent(
            "note",
            "browser",
            "browser",
            'say "hi"\n\u2028é',
            seq=0,
            t=3,
            detail={"text": "x", "nested": MappingProxyType({"k": (1, 2.5, None)})},
        ),
        factories.tevent("request", seq=1, step=0, explain="tab\there", request_id=7),
    ]
    trace = factories.ttrace(events)
    assert list(to_json_lines(trace)) == by_definition(trace)


def test_writing_leaves_no_detail_built_on_the_events() -> None:
    trace = factories.run("basics", "jwt")
    views = [e.detail for e in trace.events if type(e.detail) is DetailView]
    assert views
    unbuilt = [v for v in views if v._record is None]
    assert unbuilt
    list(to_json_lines(trace))
    assert all(v._record is None and v._data is None for v in unbuilt)
