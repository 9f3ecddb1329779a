"""Where each lesson step's events are in a trace, found in one pass and kept per trace.

The inspectors ask on every step for the state before the current step began, the
step's events so far, and the request and response of the current exchange. Each of
those used to scan from the trace's first event, so a step at the end of a long run
cost a scan of the whole run (305 ms at event 400,000). `index_of(trace)` reads every
event's step once (not its detail) and answers each of them from the step's span;
which response answers which request is still exchanges.py's rule, applied to the
responses of the step (the engine runs each action to its end, so a request's answers
are in its own step, and request ids are unique within a run).
"""

from __future__ import annotations

import weakref
from array import array
from bisect import bisect_right
from collections.abc import Iterator

from authflow.simulator.trace.details import as_request, as_response
from authflow.simulator.trace.exchanges import answer_among, request_for
from authflow.simulator.trace.trace import Event, State, Trace


class TraceIndex:
    """One trace's step spans; built once (see `index_of`), never changed after.

    A step's events are one run in every trace the engine makes; the index keeps where
    each run starts (compactly: a long run has 100,000 steps) and, for the rare step
    spread over several runs (a hand-made or joined trace), where it first appears."""

    __slots__ = ("_events", "_repeated", "_starts")

    def __init__(self, events: tuple[Event, ...]) -> None:
        self._events = events
        starts = array("q")
        first_seen: dict[int, int] = {}  # only while building
        repeated: dict[int, int] = {}
        previous: int | None = None
        for i, event in enumerate(events):
            step = event.step
            if step != previous:
                starts.append(i)
                if step in first_seen:
                    repeated[step] = first_seen[step]
                else:
                    first_seen[step] = i
                previous = step
        self._starts = starts
        self._repeated = repeated

    def _span(self, index: int) -> tuple[int, bool]:
        """The first event of `index`'s step, and whether the step's events are one run."""
        step = self._events[index].step
        first = self._repeated.get(step)
        if first is not None:
            return first, False
        return self._starts[bisect_right(self._starts, index) - 1], True

    def baseline(self, index: int) -> State | None:
        """The state just before the step of event `index` began (the first event's own
        state when the run's first step is asked for)."""
        if not 0 <= index < len(self._events):
            return None
        first, _ = self._span(index)
        return self._events[max(0, first - 1)].state

    def step_events(self, index: int) -> tuple[Event, ...]:
        """The events of `index`'s step up to and including `index`."""
        if not 0 <= index < len(self._events):
            return ()
        first, in_one_run = self._span(index)
        if in_one_run:
            return self._events[first : index + 1]
        step = self._events[index].step
        return tuple(e for e in self._events[first : index + 1] if e.step == step)

    def request_for(self, index: int) -> Event | None:
        """exchanges.request_for: it walks back within the step, so it needs no index."""
        return request_for(self._events, index)

    def response_to(self, index: int, request: Event) -> Event | None:
        """exchanges.response_to, looking only at the request's own step up to `index`."""
        if not 0 <= index < len(self._events):
            return None
        first, _ = self._span(index)
        request_id = as_request(request).request_id
        candidates: Iterator[Event] = (
            e
            for e in self._events[first : index + 1]
            if e.kind == "response" and as_response(e).request_id == request_id
        )
        return answer_among(candidates, request)


_INDEXES: dict[int, TraceIndex] = {}
"""id(trace) -> its index, while the trace lives (a finalizer drops the entry)."""


def index_of(trace: Trace) -> TraceIndex:
    """The index of `trace`, built on first use and kept as long as the trace lives."""
    key = id(trace)
    found = _INDEXES.get(key)
    if found is None or found._events is not trace.events:
        found = _INDEXES[key] = TraceIndex(trace.events)
        weakref.finalize(trace, _INDEXES.pop, key, None)
    return found
