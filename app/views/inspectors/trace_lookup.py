"""Finding what an inspector shows for event `index`: the state it compares with, the
step's events, the run's clock; which request and response belong to it is the
simulator's rule (simulator/trace/exchanges.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from authflow.simulator.trace.clock import START_EPOCH
from authflow.simulator.trace.trace import Event, State, Trace


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
