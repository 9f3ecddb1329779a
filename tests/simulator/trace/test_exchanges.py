"""Pairing requests and responses: the same hop back, also behind a load balancer."""

from __future__ import annotations

import factories
import pytest

from authflow.simulator.trace.exchanges import request_for, response_to
from authflow.simulator.trace.trace import Trace


def _balanced(sticky: str) -> Trace:
    return factories.run("basics", "session", servers="2", store="shared", sticky=sticky)


@pytest.mark.parametrize("sticky", ["true", "false"])
def test_behind_a_balancer_each_answer_pairs_with_its_own_hop(sticky: str) -> None:
    trace = _balanced(sticky)
    events = trace.events
    responses = [i for i, e in enumerate(events) if e.kind == "response"]
    assert {(events[i].src, events[i].dst) for i in responses} >= {("lb", "browser")}
    for i in responses:
        answer = events[i]
        request = request_for(events, i)
        assert request is not None
        assert request.detail["request_id"] == answer.detail["request_id"]
        # browser → lb is answered lb → browser; lb → server-N is answered server-N → lb.
        assert (request.src, request.dst) == (answer.dst, answer.src)
        assert response_to(events, i, request) is answer


def test_a_request_finds_its_answer_once_it_has_arrived_its_own_hop_first() -> None:
    events = _balanced("true").events
    first = next(i for i, e in enumerate(events) if e.kind == "request" and e.src == "browser")
    forwarded = next(i for i, e in enumerate(events) if e.kind == "response" and e.dst == "lb")
    answer = next(i for i, e in enumerate(events) if e.kind == "response" and e.dst == "browser")
    assert first < forwarded < answer
    assert response_to(events, forwarded - 1, events[first]) is None
    # The server has answered the balancer: that is the answer so far...
    assert response_to(events, forwarded, events[first]) is events[forwarded]
    # ...until the balancer's answer reaches the browser over the browser's own hop.
    assert response_to(events, answer, events[first]) is events[answer]


def test_other_events_belong_to_the_latest_request_of_their_step_only() -> None:
    events = factories.run("basics", "session").events
    verdict = next(i for i, e in enumerate(events) if e.kind == "verdict")
    request = request_for(events, verdict)
    assert request is not None
    assert request is max((e for e in events[:verdict] if e.kind == "request"), key=lambda e: e.seq)
    # A step's opening note comes before its first request: none of the last step's.
    second_step = next(i for i, e in enumerate(events) if e.step == 1)
    assert events[second_step].kind == "note"
    assert request_for(events, second_step) is None
