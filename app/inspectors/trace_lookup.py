"""Finding what an inspector shows for event `index`: its request, response and baseline."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simulator.clock import START_EPOCH
from simulator.trace import Event, State, Trace


def current_request(trace: Trace, index: int) -> Event | None:
    """The request of the current hop: the one a response at `index` answers, else the
    latest request event at or before `index` within the same user step.

    Behind a load balancer one request makes two hops (browser → lb → server) sharing a
    request id; a response on its way back to the browser answers the browser's hop."""
    if not 0 <= index < len(trace.events):
        return None
    current = trace.events[index]
    step = current.step
    latest: Event | None = None
    for i in range(index, -1, -1):
        event: Event = trace.events[i]
        if event.step != step:
            break
        if event.kind != "request":
            continue
        if current.kind != "response":
            return event
        latest = latest or event
        same_id = event.detail.get("request_id") == current.detail.get("request_id")
        if same_id and (event.src, event.dst) == (current.dst, current.src):
            return event
    return latest


def response_to(trace: Trace, index: int, request: Event) -> Event | None:
    """The response to `request` if it has already happened by event `index`: the one
    coming back over the same hop, else the first with its request id."""
    request_id = request.detail.get("request_id")
    first: Event | None = None
    for event in trace.events[: index + 1]:
        if event.kind == "response" and event.detail.get("request_id") == request_id:
            if (event.src, event.dst) == (request.dst, request.src):
                return event
            first = first or event
    return first


def baseline(trace: Trace, index: int) -> State | None:
    """The state just before the current user step began.

    Inspectors highlight what changed since then: what this user action has done so far.
    The run's first step compares with its first event (a request changes no state), so
    what the first action stores is highlighted too.
    """
    if not 0 <= index < len(trace.events):
        return None
    step = trace.events[index].step
    previous = trace.events[0].state
    for event in trace.events[: index + 1]:
        if event.step == step:
            return previous
        previous = event.state
    return previous


def step_events(trace: Trace, index: int) -> tuple[Event, ...]:
    """The events of the current user step up to and including `index`."""
    if not 0 <= index < len(trace.events):
        return ()
    step = trace.events[index].step
    return tuple(e for e in trace.events[: index + 1] if e.step == step)


def start_epoch(trace: Trace) -> float:
    """Unix time of t = 0 (JWT claims are absolute; the inspectors show simulated time)."""
    value: Any = getattr(trace, "start_epoch", START_EPOCH)
    try:
        return float(value)
    except (TypeError, ValueError):
        return float(START_EPOCH)


def header_value(headers: Any, name: str) -> str | None:
    """The first header called `name` (case-insensitive) in a [[name, value], ...] list."""
    lname = name.lower()
    for pair in headers or ():
        if len(pair) == 2 and str(pair[0]).lower() == lname:
            return str(pair[1])
    return None


def plain(value: Any) -> Any:
    """Read-only mappings and tuples back into dicts and lists (for JSON and editing)."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value
