"""The attacker: a second site (https://evil.example) and the attacker's own machine.

The actor holds what the attacker obtained (credential name -> value, shown in every
event's state) and records each attack's outcome as one `attack` event. The offline
token toolkit is forgery.py beside it; what an attack tries, and how the attacker
reaches the network, are actions (simulator/actions/attacks_*.py, attacker_network.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from authflow.simulator.trace.details import AttackDetail, VerdictDetail, as_verdict

if TYPE_CHECKING:
    from authflow.simulator.trace.recorder import Changes, Recorder
    from authflow.simulator.web.http import Response

ATTACKER_ORIGIN = "https://evil.example"
ATTACKER_ACCOUNT = ("bob", "builder")
"""An ordinary account the attacker controls, used to get a sample credential."""


class Attacker:
    """What the attacker holds, and the record of what they tried."""

    def __init__(self, recorder: Recorder, changes: Changes) -> None:
        self._recorder = recorder
        self._changes = changes
        self._loot: dict[str, str] = {}
        self._snapshot: Mapping[str, str] = MappingProxyType({})
        self.version = 0
        """Bumped whenever the loot changes, so unchanged state is shared between events."""

    @property
    def loot(self) -> Mapping[str, str]:
        """credential name -> value, as held now."""
        return self._snapshot

    def take(self, stolen: Mapping[str, str]) -> None:
        """Add what the attacker obtained to what they hold."""
        if stolen:
            self._loot.update(stolen)
            self._snapshot = MappingProxyType(dict(self._loot))
            self.version += 1
            self._changes.count += 1

    def attack_event(
        self,
        attack: str,
        dst: str,
        label: str,
        explain: str,
        *,
        attempted: str,
        stolen: Mapping[str, str],
        success: bool,
        **extra: Any,
    ) -> None:
        """The one event that closes an attack: what was tried, taken, and whether it worked."""
        detail = AttackDetail(attack, attempted, dict(stolen), success, extra)
        self._recorder.emit("attack", "attacker", dst, label, explain, detail)

    def verdicts_since(self, start: int) -> list[VerdictDetail]:
        """The server's and browser's verdicts on what the attack caused since event `start`."""
        return [as_verdict(e) for e in self._recorder.events[start:] if e.kind == "verdict"]

    def server_since(self, start: int, default: str) -> str:
        """The server that judged the attack's request (the first verdict's)."""
        for e in self._recorder.events[start:]:
            if e.kind == "verdict" and e.src.startswith("server"):
                return e.src
        return default


def reasons(verdicts: Sequence[VerdictDetail]) -> list[str]:
    return [f"{v.check}: {v.reason}" for v in verdicts]


def outcome(response: Response | None) -> str:
    if response is None:
        return "never sent"
    return f"{response.status} {response.phrase}".strip()
