"""Reading a lesson's trace the way a student would: per step, what was sent and decided.

Every assertion in the lesson tests goes through these helpers, so outcomes are read
from the trace (statuses, verdict reasons, attack details, headers), never recomputed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from factories import run

from authflow.simulator.trace.trace import Event, Trace

__all__ = ["run"]  # the lesson tests run lessons through this module


def step_index(trace: Trace, action: str, nth: int = 1) -> int:
    """The index of the nth step with this action (1-based nth)."""
    seen = 0
    for i, step in enumerate(trace.steps):
        if step.action == action:
            seen += 1
            if seen == nth:
                return i
    raise AssertionError(f"no step #{nth} with action {action!r}")


def events(trace: Trace, step: int, kind: str | None = None) -> list[Event]:
    return [e for e in trace.events if e.step == step and (kind is None or e.kind == kind)]


def attack(trace: Trace, step: int) -> Mapping[str, Any]:
    found = events(trace, step, "attack")
    assert len(found) == 1, f"step {step}: expected one attack event, got {len(found)}"
    assert found[0].src == "attacker"
    return found[0].detail


def statuses(trace: Trace, step: int, to: str | None = None) -> list[int]:
    """Statuses of the responses that reached the browser or the attacker in a step."""
    return [
        int(e.detail["status"])
        for e in events(trace, step, "response")
        if e.dst in ((to,) if to else ("browser", "attacker")) and "server" not in e.detail
    ]


def app_statuses(trace: Trace, step: int, to: str | None = None) -> list[int]:
    """Like `statuses`, without the victim's visits to evil.example."""
    out = []
    labels = {e.detail["request_id"]: e for e in events(trace, step, "request")}
    for e in events(trace, step, "response"):
        if e.dst not in ((to,) if to else ("browser", "attacker")) or "server" in e.detail:
            continue
        request = labels.get(e.detail["request_id"])
        if request is not None and "evil.example" in str(request.detail["url"]):
            continue
        out.append(int(e.detail["status"]))
    return out


def verdicts(trace: Trace, step: int, check: str | None = None) -> list[Mapping[str, Any]]:
    return [
        e.detail
        for e in events(trace, step, "verdict")
        if check is None or e.detail["check"] == check
    ]


def requests(trace: Trace, step: int, path: str | None = None) -> list[Event]:
    """Requests as they left the client (not the load balancer's forwarded copies)."""
    return [
        e
        for e in events(trace, step, "request")
        if not e.detail.get("forwarded") and (path is None or e.detail["path"] == path)
    ]


def header(event: Event, name: str) -> str | None:
    for n, v in event.detail["headers"]:
        if n.lower() == name.lower():
            return str(v)
    return None


def carried(event: Event) -> set[tuple[str, str]]:
    return {(c["header"], c["name"]) for c in event.detail["carries"]}


def left_out(event: Event) -> dict[str, str]:
    return {lo["name"]: lo["reason"] for lo in event.detail["left_out"]}


def servers_answering(trace: Trace, step: int) -> list[str]:
    return [e.src for e in events(trace, step, "verdict") if e.src.startswith("server")]
