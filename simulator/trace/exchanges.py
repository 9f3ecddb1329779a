"""Which request an event belongs to, and which response answers a request.

One rule for every reader of a trace (the inspectors, the exports, the comparisons):
a response answers the request with its request id that went over the same hop the
other way. Behind a load balancer one request makes two hops (browser → lb → server)
that share an id, and so do their two answers; the answer arriving at the browser
answers the browser's hop, the one arriving at the balancer answers the forwarded hop.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from authflow.simulator.trace.details import as_request, as_response
from authflow.simulator.trace.trace import Event


def request_for(events: Sequence[Event], index: int) -> Event | None:
    """The request the event at `index` belongs to, within its lesson step: the event
    itself if it is a request; for a response, the request it answers (else the latest
    one before it); for any other event, the latest request at or before it."""
    if not 0 <= index < len(events):
        return None
    current = events[index]
    step = current.step
    wanted = as_response(current).request_id if current.kind == "response" else None
    latest: Event | None = None
    for i in range(index, -1, -1):
        event = events[i]
        if event.step != step:
            break
        if event.kind != "request":
            continue
        if current.kind != "response":
            return event
        latest = latest or event
        if as_request(event).request_id == wanted and (event.src, event.dst) == (
            current.dst,
            current.src,
        ):
            return event
    return latest


def response_to(events: Sequence[Event], index: int, request: Event) -> Event | None:
    """The response to `request` if it has arrived by event `index`: the one coming
    back over the same hop, else the first with its request id."""
    request_id = as_request(request).request_id
    return answer_among(
        (
            e
            for e in events[: index + 1]
            if e.kind == "response" and as_response(e).request_id == request_id
        ),
        request,
    )


def answer_among(responses: Iterable[Event], request: Event) -> Event | None:
    """Of `responses` (in order, all carrying the request's id), the answer to `request`:
    the first coming back over its hop, else the first."""
    first: Event | None = None
    for event in responses:
        if (event.src, event.dst) == (request.dst, request.src):
            return event
        first = first or event
    return first


def answers(events: Sequence[Event]) -> dict[int, Event]:
    """Every request's response by the request's index: `response_to` at the end of the
    run, for all requests in one pass (an export of a long run pairs them all)."""
    over_hop: dict[tuple[object, str, str], Event] = {}
    first: dict[object, Event] = {}
    for event in events:
        if event.kind == "response":
            request_id = as_response(event).request_id
            over_hop.setdefault((request_id, event.dst, event.src), event)
            first.setdefault(request_id, event)
    found: dict[int, Event] = {}
    for i, event in enumerate(events):
        if event.kind == "request":
            request_id = as_request(event).request_id
            answer = over_hop.get((request_id, event.src, event.dst)) or first.get(request_id)
            if answer is not None:
                found[i] = answer
    return found
