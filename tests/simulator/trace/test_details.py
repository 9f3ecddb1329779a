"""Typed details say exactly what the trace's JSON holds, for every event of every lesson."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import factories
import pytest

from authflow import simulator
from authflow.simulator.trace import details
from authflow.simulator.trace.details import DetailView, Marks
from authflow.simulator.trace.trace import Event

ACCESSORS: dict[str, Callable[[Event], Any]] = {
    "request": details.as_request,
    "response": details.as_response,
    "store": details.as_store,
    "verdict": details.as_verdict,
    "cookie": details.as_cookie,
    "storage": details.as_storage,
    "attack": details.as_attack,
    "note": details.as_note,
}


def test_every_kind_has_an_accessor() -> None:
    assert set(ACCESSORS) == set(simulator.trace.trace.EVENT_KINDS)


@pytest.mark.parametrize("mode", simulator.MODES)
@pytest.mark.parametrize("lesson", simulator.scenario_names())
def test_a_record_writes_back_the_detail_it_was_read_from(lesson: str, mode: str) -> None:
    trace = factories.run(lesson, mode)
    for event in trace.events:
        record = ACCESSORS[event.kind](event)
        written = json.dumps(event.to_json()["detail"])
        assert json.dumps(record.to_json()) == written, event.seq
        # Read back from the JSON alone: same keys, same order, same values, so no field
        # is missed or made up on either side.
        read = type(record).of(json.loads(written))
        assert json.dumps(read.to_json()) == written, event.seq


def test_sparse_details_read_with_defaults() -> None:
    request = details.RequestDetail.of({"method": "GET", "request_id": 9})
    assert (request.method, request.request_id, request.headers, request.carries) == (
        "GET",
        9,
        (),
        (),
    )
    assert request.context == details.RequestContext(None, "fetch", False)
    assert not request.blocked
    response = details.ResponseDetail.of({"carries": [{"name": "sid", "rejected": True}]})
    assert response.status == 0
    assert response.carries == (details.Carry("Set-Cookie", "sid", "other", True, "", False),)
    assert details.VerdictDetail.of({}) == details.VerdictDetail(False, "", "", None)


def _documented_keys() -> dict[str, set[str]]:
    """kind -> the detail keys the README's trace-format table promises."""
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `detail` |"))
    text = re.sub(r"\([^()]*\)", "", row.split("|")[2].split("—", 1)[1])
    out = {}
    for part in text.split(";"):
        kind, _, keys = part.partition(":")
        out[kind.strip()] = set(re.findall(r"`(\w+)`", keys))
    return out


def test_the_readme_documents_every_kind() -> None:
    documented = _documented_keys()
    assert set(documented) == set(simulator.trace.trace.EVENT_KINDS)
    assert documented["request"] >= {"method", "url", "headers", "carries", "context"}


@pytest.mark.parametrize("mode", simulator.MODES)
def test_every_event_has_the_documented_detail_keys(mode: str) -> None:
    documented = _documented_keys()
    for lesson in simulator.scenario_names():
        trace = factories.run(lesson, mode)
        for event in trace.events:
            missing = documented[event.kind] - set(event.to_json()["detail"])
            assert not missing, (lesson, event.seq, event.kind, missing)


@pytest.mark.parametrize("mode", simulator.MODES)
@pytest.mark.parametrize("lesson", simulator.scenario_names())
def test_the_marks_given_with_a_detail_are_its_records_marks(lesson: str, mode: str) -> None:
    # The engine says what an arrow shows before the record is built (the sequence
    # diagram sizes every row by it); it must be what the record says.
    for trace in (factories.run(lesson, mode), factories.run(lesson, mode, servers="2")):
        assert_marks_agree(trace.events)


def assert_marks_agree(events: tuple[Event, ...]) -> None:
    given = [e for e in events if type(e.detail) is DetailView and e.detail.marks is not None]
    assert any(e.kind == "request" for e in given)
    for event in given:
        assert isinstance(event.detail, DetailView)
        assert event.detail.marks == Marks.of(event.detail.record()), event.seq
