"""Turns what the actors do into trace events, each carrying the state after it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from authflow.simulator.trace.clock import Clock
from authflow.simulator.trace.details import Detail, DetailView
from authflow.simulator.trace.trace import EMPTY, Counters, Event, EventKind, PageState, State

_new_tuple = tuple.__new__


class Changes:
    """Counts every change to what a State shows (cookies, storage, page, stores, users,
    attacker). Actors bump it; the recorder rebuilds a snapshot only when it moved, which
    makes the check on every hop one comparison."""

    __slots__ = ("count",)

    def __init__(self) -> None:
        self.count = 0


@dataclass(slots=True)
class Tally:
    """Mutable running counters; `Recorder.emit` freezes them into `Counters`."""

    requests: int = 0
    credential_bytes: int = 0
    cookie_bytes: int = 0
    authorization_bytes: int = 0
    store_reads: int = 0
    store_writes: int = 0
    signature_checks: int = 0


class Recorder:
    """Collects events. `snapshot` is supplied by the world and returns the current State."""

    def __init__(
        self, clock: Clock, changes: Changes, snapshot: Callable[[Counters], State]
    ) -> None:
        self.clock = clock
        self.changes = changes
        self.events: list[Event] = []
        self.tally = Tally()
        self.step = 0
        self._snapshot = snapshot
        self._counters = Counters()
        self._t_raw = -1.0
        self._t = 0.0
        self._state = State((), EMPTY, EMPTY, PageState("", None), EMPTY, self._counters, EMPTY)
        self._state_change = -1
        """changes.count when `_state` was taken; -1 asks the world for a new one."""

    def emit(
        self,
        kind: EventKind,
        src: str,
        dst: str,
        label: str,
        explain: str,
        detail: Detail | Mapping[str, Any] | None = None,
    ) -> Event:
        """Record one event with the state after it. `detail` is its kind's record (see
        simulator/trace/details.py); a plain dict is accepted too and frozen."""
        tally = self.tally
        counters = self._counters
        # Counters are shared between events until a tally moves (most hops change none).
        # Built inline with tuple.__new__ (see World.snapshot): this runs every hop.
        if (
            tally.requests != counters[0]
            or tally.credential_bytes != counters[1]
            or tally.store_reads != counters[4]
            or tally.store_writes != counters[5]
            or tally.signature_checks != counters[6]
        ):
            counters = self._counters = _new_tuple(
                Counters,
                (
                    tally.requests,
                    tally.credential_bytes,
                    tally.cookie_bytes,
                    tally.authorization_bytes,
                    tally.store_reads,
                    tally.store_writes,
                    tally.signature_checks,
                ),
            )
        t = self.clock.t
        if t != self._t_raw:
            # round() to 3 places costs as much as building the event; time rarely moves.
            self._t_raw = t
            self._t = round(t, 3)
            self._state_change = -1  # time can expire store keys: ask for a snapshot
        state = self._state
        if self._state_change != self.changes.count:
            state = self._state = self._snapshot(counters)
            self._state_change = self.changes.count
        elif state[5] is not counters:
            # Only a counter moved: the last state with the new counters.
            cookies, local, memory, page, stores, _, attacker = state
            state = self._state = _new_tuple(
                State, (cookies, local, memory, page, stores, counters, attacker)
            )
        view: Mapping[str, Any]
        if type(detail) is DetailView:
            view = detail  # most hops: shared, or built when first read
        elif detail is None:
            view = EMPTY
        elif isinstance(detail, tuple):
            view = DetailView.of(detail)  # a record: read as its JSON mapping when asked
        elif type(detail) is dict:
            view = MappingProxyType(detail) if detail else EMPTY
        else:
            view = detail  # some other read-only mapping
        events = self.events
        event = _new_tuple(
            Event,
            (
                len(events),
                self._t,
                kind,
                src,
                dst,
                label,
                view,
                explain,
                state,
                self.step,
            ),
        )
        events.append(event)
        return event
