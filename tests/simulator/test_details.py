"""Typed details say exactly what the trace's JSON holds, for every event of every lesson."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

import simulator
from simulator import details
from simulator.trace import Event

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
    assert set(ACCESSORS) == set(simulator.trace.EVENT_KINDS)


@pytest.mark.parametrize("mode", simulator.MODES)
@pytest.mark.parametrize("lesson", simulator.scenario_names())
def test_a_record_writes_back_the_detail_it_was_read_from(lesson: str, mode: str) -> None:
    trace = simulator.run_scenario(lesson, mode, {"scrypt_n": "1024"}, seed=1)
    for event in trace.events:
        record = ACCESSORS[event.kind](event)
        # Same keys, same order, same values: no field is missed or made up.
        assert json.dumps(record.to_json()) == json.dumps(event.to_json()["detail"]), event.seq


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
