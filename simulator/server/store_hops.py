"""Store commands as trace hops: the arrow from a server to its store, and the counters.

Every store reports each command it runs to one `StoreHops.record`; the strategies report
their reads and writes of the users table through the same object, so a hop looks and
counts the same whoever caused it.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from authflow.simulator.trace.clock import format_duration
from authflow.simulator.trace.details import DetailView, StoreDetail

if TYPE_CHECKING:
    from authflow.simulator.server.store import Store
    from authflow.simulator.trace.recorder import Recorder

_THINGS = {
    "sess": "session record",
    "deny": "denylist entry",
    "refresh": "refresh token record",
    "family": "refresh token family",
    "bff": "backend session (the tokens it keeps)",
}


def _short(value: str, keep: int = 8) -> str:
    return value if len(value) <= keep + 1 else value[:keep] + "…"


def store_label(command: str, key: str) -> str:
    prefix, sep, rest = key.partition(":")
    return f"{command} {prefix}{sep}{_short(rest, 6)}" if sep else f"{command} {key}"


def store_explain(command: str, key: str, hit: bool | None, ttl: float | None) -> str:
    kind = key.split(":", 1)[0]
    thing = _THINGS.get(kind, key)
    if command == "GET":
        if kind == "deny":
            return (
                "The server checks the denylist: this token's jti is on it."
                if hit
                else "The server checks the denylist: this token's jti is not on it."
            )
        return (
            f"The server looks up the {thing} in the store: found."
            if hit
            else f"The server looks up the {thing} in the store: not there."
        )
    if command == "SET":
        life = f" for {format_duration(ttl)}" if ttl else ""
        return f"The server writes the {thing} to the store{life}."
    if command == "DEL":
        return f"The server deletes the {thing} from the store."
    if command == "EXPIRE":
        return f"Each use renews the {thing}'s idle lifetime ({format_duration(ttl or 0)})."
    return f"The server asks the store: {command} {key}."


# The same few commands on the same keys come back on every request: the label,
# sentence and (read-only, so shareable) detail of each are built once. Typed, so a
# ttl of 60 and one of 60.0 keep their own details (the JSON trace differs).
@functools.lru_cache(maxsize=1024, typed=True)
def _store_words(
    command: str, key: str, value: str | None, hit: bool | None, ttl: float | None
) -> tuple[str, str, Mapping[str, Any]]:
    return (
        store_label(command, key),
        store_explain(command, key, hit, ttl),
        DetailView.of(StoreDetail(command, key, value, hit, ttl)),
    )


class StoreHops:
    """Records store commands as hops from the server handling the request to the store.

    A store does not know which server called it: `current` names the server handling
    the request in flight (the world sets it around each request), else the first one."""

    __slots__ = ("_recorder", "current")

    def __init__(self, recorder: Recorder, first_server: str) -> None:
        self._recorder = recorder
        self.current = first_server

    def record(
        self,
        store: Store,
        command: str,
        key: str,
        value: str | None,
        hit: bool | None,
        ttl: float | None,
        why: str,
        server: str | None = None,
    ) -> None:
        """One command of `store`, run by `server` (default: `current`)."""
        tally = self._recorder.tally
        if command == "GET":
            if not key.startswith("user:"):
                # User-table reads for authentication are counted by their caller.
                tally.store_reads += 1
        elif command in ("SET", "DEL", "EXPIRE"):
            tally.store_writes += 1
        label, default_explain, detail = _store_words(command, key, value, hit, ttl)
        self._recorder.emit(
            "store", server or self.current, store.name, label, why or default_explain, detail
        )
