"""Finding what an inspector shows for event `index`: the state it compares with, the
step's events, the run's clock; which request and response belong to it is the
simulator's rule (simulator/trace/exchanges.py). Each is answered from the trace's
index (simulator/trace/index.py), built once per trace: a step at the end of a long run
costs what one at its start does."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from authflow.simulator.trace.clock import START_EPOCH
from authflow.simulator.trace.index import index_of
from authflow.simulator.trace.trace import Event, State, Trace


def baseline(trace: Trace, index: int) -> State | None:
    """The state just before the current user step began.

    Inspectors highlight what changed since then: what this user action has done so far.
    The run's first step compares with its first event (a request changes no state), so
    what the first action stores is highlighted too.
    """
    return index_of(trace).baseline(index)


def step_events(trace: Trace, index: int) -> tuple[Event, ...]:
    """The events of the current user step up to and including `index`."""
    return index_of(trace).step_events(index)


def request_for(trace: Trace, index: int) -> Event | None:
    """The request event `index` belongs to (simulator/trace/exchanges.py's rule)."""
    return index_of(trace).request_for(index)


def response_to(trace: Trace, index: int, request: Event) -> Event | None:
    """The response to `request` if it has arrived by event `index` (the same rule)."""
    return index_of(trace).response_to(index, request)


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
