"""Turns what the actors do into trace events, each carrying the state after it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from simulator.clock import Clock
from simulator.trace import EMPTY, Counters, Event, EventKind, State

_new_tuple = tuple.__new__


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

    def __init__(self, clock: Clock, snapshot: Callable[[Counters], State]) -> None:
        self.clock = clock
        self.events: list[Event] = []
        self.tally = Tally()
        self.step = 0
        self._snapshot = snapshot
        self._counters = Counters()
        self._t_raw = -1.0
        self._t = 0.0

    def emit(
        self,
        kind: EventKind,
        src: str,
        dst: str,
        label: str,
        explain: str,
        detail: Mapping[str, Any] | None = None,
    ) -> Event:
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
        if detail is None:
            detail = EMPTY
        elif type(detail) is dict:
            detail = MappingProxyType(detail) if detail else EMPTY
        # else already read-only (a DeferredDetail, built when first read)
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
                detail,
                explain,
                self._snapshot(counters),
                self.step,
            ),
        )
        events.append(event)
        return event
