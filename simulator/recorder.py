"""Turns what the actors do into trace events, each carrying the state after it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from simulator.clock import Clock
from simulator.trace import EMPTY, Counters, Event, EventKind, State


@dataclass(slots=True)
class Tally:
    """Mutable running counters; frozen into `Counters` for each event."""

    requests: int = 0
    credential_bytes: int = 0
    cookie_bytes: int = 0
    authorization_bytes: int = 0
    store_reads: int = 0
    store_writes: int = 0
    signature_checks: int = 0

    def freeze(self) -> Counters:
        return Counters(
            self.requests,
            self.credential_bytes,
            self.cookie_bytes,
            self.authorization_bytes,
            self.store_reads,
            self.store_writes,
            self.signature_checks,
        )


class Recorder:
    """Collects events. `snapshot` is supplied by the world and returns the current State."""

    def __init__(self, clock: Clock, snapshot: Callable[[Counters], State]) -> None:
        self.clock = clock
        self.events: list[Event] = []
        self.tally = Tally()
        self.step = 0
        self._snapshot = snapshot
        self._counters = Counters()
        self._counters_src: tuple[int, ...] = ()

    def emit(
        self,
        kind: EventKind,
        src: str,
        dst: str,
        label: str,
        explain: str,
        detail: Mapping[str, Any] | None = None,
    ) -> Event:
        key = (
            self.tally.requests,
            self.tally.credential_bytes,
            self.tally.store_reads,
            self.tally.store_writes,
            self.tally.signature_checks,
        )
        if key != self._counters_src:
            self._counters = self.tally.freeze()
            self._counters_src = key
        event = Event(
            seq=len(self.events),
            t=round(self.clock.t, 3),
            kind=kind,
            src=src,
            dst=dst,
            label=label,
            detail=MappingProxyType(detail) if detail else EMPTY,
            explain=explain,
            state=self._snapshot(self._counters),
            step=self.step,
        )
        self.events.append(event)
        return event
