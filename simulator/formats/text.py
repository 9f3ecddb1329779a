"""The trace as text for people, JSON lines for programs, and Mermaid for docs."""

from __future__ import annotations

import json
from collections.abc import Iterator

from authflow.simulator.trace.clock import format_t
from authflow.simulator.trace.details import as_note, as_response, as_verdict, carries
from authflow.simulator.trace.exchanges import request_for
from authflow.simulator.trace.trace import Event, Trace

JSON_FORMAT_VERSION = 1


def to_json_lines(trace: Trace) -> Iterator[str]:
    """One JSON object per event, one per line (see the README's "Trace format")."""
    for event in trace.events:
        yield json.dumps(
            {**event.to_json(), "engine": trace.engine}, ensure_ascii=False, sort_keys=False
        )


def _badges(event: Event) -> str:
    names = []
    for c in carries(event):
        mark = "✗" if c.rejected else ""
        # A Set-Cookie with Max-Age=0 (or an Expires in the past) deletes the cookie:
        # shown apart from one that sets it, as the app's badges do.
        deletes = " (delete)" if c.deletes and not c.rejected else ""
        names.append(f"{c.header}:{c.name}{mark}{deletes}")
    return f"  [{', '.join(names)}]" if names else ""


def to_text(trace: Trace, explain: bool = True) -> Iterator[str]:
    yield f"# {trace.title or trace.scenario} — mode {trace.mode}" + (
        f", seed {trace.seed}" if trace.seed is not None else ""
    )
    step = -1
    for e in trace.events:
        if e.step != step:
            step = e.step
            yield ""
            yield f"Step {step + 1}: {trace.steps[step].action}"
        arrow = f"{e.src} → {e.dst}" if e.src != e.dst else e.src
        yield f"  {e.seq:>4} {format_t(e.t):>10}  {e.kind:<8} {arrow:<22} {e.label}{_badges(e)}"
        if explain and e.kind != "note":
            yield f"{'':>24}{e.explain}"
    yield ""
    yield "Outcome: " + outcome(trace)


def outcome(trace: Trace) -> str:
    """One line: the status of every response the browser, the attacker or the user's
    second device (phone) got, in order."""
    parts = []
    for i, e in enumerate(trace.events):
        if e.kind == "response" and e.dst in ("browser", "attacker", "phone"):
            who = "" if e.dst == "browser" else f"{e.dst} "
            request = request_for(trace.events, i)
            label = "?" if request is None else request.label
            parts.append(f"{who}{label}→{as_response(e).status}")
    c = trace.events[-1].state.counters if trace.events else None
    tail = ""
    if c is not None:
        tail = (
            f" | {c.requests} requests, {c.credential_bytes} credential bytes, "
            f"{c.store_reads} store reads, {c.signature_checks} signature checks"
        )
    return ", ".join(parts) + tail


_MERMAID_ACTORS = {"browser": "Browser", "lb": "Load balancer", "attacker": "Attacker"}


def _participant(name: str) -> str:
    return name.replace("-", "_").replace(".", "_")


def _mermaid_text(text: str) -> str:
    # Mermaid treats ; and # specially in messages; keep labels plain.
    return text.replace(";", ",").replace("#", "no.").replace("\n", " ")


def note_text(event: Event) -> str:
    """A verdict's or attack's note: its label, and for a refusal the reason."""
    label = event.label
    if event.kind == "verdict":
        verdict = as_verdict(event)
        reason = "" if verdict.ok else verdict.reason
        if reason and reason not in label:
            label = f"{label}: {reason}"
    return label


MERMAID_NUMBERING = (
    "%% Arrow numbers are Authflow's event numbers, as the app's event log, its diagram "
    "and `authflow render --step` count them; events drawn as notes keep their numbers."
)


def to_mermaid(trace: Trace) -> str:
    """A Mermaid sequenceDiagram: one arrow per request, response and store hop, notes
    for verdicts, attacks and the lesson's actions, each on the lane of its own actor.

    Mermaid's `autonumber` counts arrows only, so each arrow restarts it at its own event
    number: the numbers then match the app's rows and `--step` (notes leave gaps)."""
    lines = ["sequenceDiagram", f"    {MERMAID_NUMBERING}"]
    for actor in trace.actors:
        label = _MERMAID_ACTORS.get(actor, actor.replace("-", " ").title())
        lines.append(f"    participant {_participant(actor)} as {label}")
    for e in trace.events:
        src, dst = _participant(e.src), _participant(e.dst)
        label = _mermaid_text(e.label + _badges(e).replace("  ", " "))
        arrow = {"request": "->>", "response": "-->>", "store": "-)"}.get(e.kind)
        if arrow is not None:
            lines.append(f"    autonumber {e.seq + 1}")
            lines.append(f"    {src}{arrow}{dst}: {label}")
        elif e.kind in ("verdict", "attack") or (e.kind == "note" and as_note(e).action):
            lines.append(f"    Note over {src}: {_mermaid_text(note_text(e))}")
    return "\n".join(lines) + "\n"
