"""The trace as text for people, JSON lines for programs, and Mermaid for docs."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator, Mapping

from authflow.simulator.trace.clock import format_t
from authflow.simulator.trace.details import (
    DetailView,
    as_note,
    as_response,
    as_verdict,
    carries,
)
from authflow.simulator.trace.exchanges import request_for
from authflow.simulator.trace.trace import Event, State, Trace

JSON_FORMAT_VERSION = 1


def to_json_lines(trace: Trace) -> Iterator[str]:
    """One JSON object per event, one per line (see the README's "Trace format").

    Each line is `Event.to_json()` plus "engine", written piece by piece: the state
    (most of a line) is written once for each run of events that share it, and each
    detail is built for its line and dropped after (not kept on the event, so writing
    a 400,000-event trace does not leave a record and a mapping on every event). The
    encoder reads read-only mappings and tuples as they are (see `_json_value`),
    instead of copying every value into dicts and lists first."""
    tail = ', "engine": ' + _dumps(trace.engine) + "}"
    state_json = _StateJson()
    last: State | None = None
    state_text = ""
    for event in trace.events:
        if event.state is not last:
            last = event.state
            state_text = state_json.text(last)
        yield (
            f'{{"seq": {_number(event.seq)}, "t": {_number(event.t)}, '
            f'"kind": {_text(event.kind)}, "src": {_text(event.src)}, '
            f'"dst": {_text(event.dst)}, "label": {_text(event.label)}, '
            f'"detail": {_dumps(event.detail)}, "explain": {_text(event.explain)}, '
            f'"step": {_number(event.step)}, "state": {state_text}{tail}'
        )


def _text(value: object) -> str:
    """A string as json.dumps(ensure_ascii=False) writes it (anything else: dumps)."""
    return _string(value) if type(value) is str else _dumps(value)


def _number(value: object) -> str:
    """An int or a finite float as json.dumps writes it (anything else: dumps)."""
    if type(value) is int or (type(value) is float and math.isfinite(value)):
        return repr(value)
    return _dumps(value)


class _StateJson:
    """`State.to_json()` as JSON text, made from the texts of its parts, each written
    again only when the state holds a new object for it: from one request to the next
    mostly the counters change, while the jar, the stores and the users table are the
    very objects the state before held. tests/simulator/formats/test_json_lines.py
    checks the text against `json.dumps(state.to_json())` for every lesson and mode."""

    def __init__(self) -> None:
        self._held: dict[str, tuple[object, str]] = {}

    def _part(self, name: str, value: object, write: Callable[[], object]) -> str:
        held = self._held.get(name)
        if held is not None and held[0] is value:
            return held[1]
        text = _dumps(write())
        self._held[name] = (value, text)
        return text

    def text(self, state: State) -> str:
        # The layout of State.to_json, part by part.
        part = self._part
        return (
            '{"browser": {"cookies": '
            + part("cookies", state.cookies, lambda: [c.to_json() for c in state.cookies])
            + ', "local_storage": '
            + part("local_storage", state.local_storage, lambda: state.local_storage)
            + ', "memory": '
            + part("memory", state.memory, lambda: state.memory)
            + ', "page": '
            + part("page", state.page, state.page.to_json)
            + '}, "store": '
            + part("store", state.stores, lambda: _stores_json(state))
            + ', "attacker": '
            + part("attacker", state.attacker, lambda: state.attacker)
            + ', "counters": '
            + part("counters", state.counters, state.counters.to_json)
            + "}"
        )


def _stores_json(state: State) -> dict[str, dict[str, object]]:
    return {
        name: {k: e.to_json() for k, e in entries.items()} for name, entries in state.stores.items()
    }


def _json_value(value: object) -> object:
    """What the encoder writes for a value it does not know: an event's detail as the
    README's mapping (made afresh), any other mapping as a dict with text keys, as
    `plain` would make them. Lists and tuples (named ones too) it writes itself."""
    if type(value) is DetailView:
        return value.fresh_json()
    if isinstance(value, Mapping):
        return {str(k): v for k, v in value.items()}
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


_dumps = json.JSONEncoder(ensure_ascii=False, default=_json_value).encode
_string = json.encoder.encode_basestring


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
