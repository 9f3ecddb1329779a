"""A Redis-like key/value store with TTLs, judged on the simulated clock.

Every command goes through `Store.command`, which reports it to the recorder, so the
app can animate each server-to-store hop.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from authflow.simulator.trace.clock import Clock
from authflow.simulator.trace.recorder import Changes
from authflow.simulator.trace.trace import StoreEntry

StoreListener = Callable[
    ["Store", str, str, "str | None", "bool | None", "float | None", str], None
]
"""(store, command, key, value, hit, ttl, why) -> None; why may be "" (a default is used)."""


class Store:
    def __init__(
        self, name: str, clock: Clock, persistent: bool, listener: StoreListener, changes: Changes
    ) -> None:
        self.name = name
        self._changes = changes
        self.persistent = persistent
        """Survives a server restart (the shared store) or not (in-process memory)."""
        self._clock = clock
        self._listener = listener
        self._data: dict[str, tuple[str, float | None]] = {}
        self.version = 0
        self._snapshot: Mapping[str, StoreEntry] = MappingProxyType({})
        self._snapshot_key: tuple[int, float] = (-1, -1.0)

    def _changed(self) -> None:
        self.version += 1
        self._changes.count += 1

    def _live(self, key: str) -> tuple[str, float | None] | None:
        item = self._data.get(key)
        if item is None:
            return None
        expires = item[1]
        if expires is not None and expires <= self._clock.epoch:
            # Redis expires lazily on access; so do we.
            del self._data[key]
            self._changed()
            return None
        return item

    def get(self, key: str, why: str = "") -> str | None:
        item = self._live(key)
        value = None if item is None else item[0]
        self._listener(self, "GET", key, value, item is not None, None, why)
        return value

    def set(self, key: str, value: str, ttl: float | None = None, why: str = "") -> None:
        expires = None if ttl is None else self._clock.epoch + ttl
        self._data[key] = (value, expires)
        self._changed()
        self._listener(self, "SET", key, value, None, ttl, why)

    def delete(self, key: str, why: str = "") -> bool:
        existed = self._live(key) is not None
        self._data.pop(key, None)
        self._changed()
        self._listener(self, "DEL", key, None, existed, None, why)
        return existed

    def expire(self, key: str, ttl: float) -> None:
        item = self._live(key)
        if item is not None:
            renewed = (item[0], self._clock.epoch + ttl)
            if renewed != item:
                # Renewing to the same instant (requests in the same second) changes
                # nothing, so the snapshot every event carries can stay shared.
                self._data[key] = renewed
                self._changed()
        self._listener(self, "EXPIRE", key, None, item is not None, ttl, "")

    def keys(self, prefix: str) -> list[str]:
        """Keys with a prefix (SCAN MATCH prefix*), recorded as one command."""
        now = self._clock.epoch
        found = [
            k for k, (_, e) in self._data.items() if k.startswith(prefix) and (e is None or e > now)
        ]
        self._listener(self, "SCAN", prefix + "*", None, bool(found), None, "")
        return found

    def peek(self, key: str) -> str | None:
        """Read without recording (for the simulator's own bookkeeping, never for auth)."""
        item = self._live(key)
        return None if item is None else item[0]

    def flush(self) -> None:
        """What a process restart does to an in-process memory store."""
        self._data.clear()
        self._changed()

    def snapshot(self) -> Mapping[str, StoreEntry]:
        """Live keys, expiry in run seconds; cached until the store or clock changes."""
        now = self._clock.epoch
        if self._snapshot_key != (self.version, now):
            start = self._clock.start_epoch
            self._snapshot = MappingProxyType(
                {
                    k: StoreEntry(v, None if e is None else e - start)
                    for k, (v, e) in self._data.items()
                    if e is None or e > now
                }
            )
            self._snapshot_key = (self.version, now)
        return self._snapshot
