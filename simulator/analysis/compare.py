"""Comparing runs of one lesson: what each step ended in, and where runs part ways.

Two runs of the same lesson (two modes, or one mode before and after a setting
changed) have the same steps but not the same events: a hybrid refresh adds a request,
a refused cookie removes a store read. So runs are compared step by step
(`Event.step`), never event by event, and a `Timeline` lines their events up by step
and by position within the step, so panes can be stepped together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from authflow.simulator.trace.details import as_attack, as_response, as_verdict
from authflow.simulator.trace.exchanges import request_for
from authflow.simulator.trace.trace import Event, Trace

CLIENTS = ("browser", "attacker", "phone")
"""Who receives the responses that count: the victim's browser and the attacker."""
OFFSITE = "attacker"
"""Responses *from* this actor are evil.example's own pages, not the app's answers."""


@dataclass(frozen=True, slots=True)
class Reply:
    """One answer of the app to the browser or the attacker."""

    request: str
    """The request's label, e.g. "POST /api/transfer"."""
    status: int
    to: str
    """"browser" or "attacker"."""

    def text(self) -> str:
        who = "attacker's " if self.to == "attacker" else ""
        return f"{who}{self.request} → {self.status}"


@dataclass(frozen=True, slots=True)
class VerdictResult:
    """One check the server made ("session", "jwt", "refresh", "csrf", ...)."""

    check: str
    ok: bool
    reason: str


@dataclass(frozen=True, slots=True)
class AttackResult:
    """One attack's result, from its `attack` event."""

    attack: str
    success: bool
    stolen: tuple[str, ...]
    """Names of the credentials the attack obtained."""

    def text(self) -> str:
        done = "worked" if self.success else "failed"
        got = f" (obtained {', '.join(self.stolen)})" if self.stolen else ""
        return f"{self.attack} {done}{got}"


@dataclass(frozen=True, slots=True)
class StepOutcome:
    """What one lesson step ended in, in one run."""

    step: int
    """0-based index of the lesson step."""
    action: str
    replies: tuple[Reply, ...]
    verdicts: tuple[VerdictResult, ...]
    attacks: tuple[AttackResult, ...]
    signed_in_as: str | None
    """Who the page shows as signed in once the step is over."""

    @property
    def final_status(self) -> int | None:
        """The status of the step's last answer from the app (None: no request)."""
        return self.replies[-1].status if self.replies else None

    @property
    def key(self) -> tuple[object, ...]:
        """What decides whether two runs' outcomes differ at this step: the final answer,
        who is signed in afterwards, and which attacks worked. Intermediate traffic (a
        hybrid refresh, an extra store read) is compared separately as `traffic`."""
        return (
            self.final_status,
            self.signed_in_as,
            tuple((a.attack, a.success) for a in self.attacks),
        )

    @property
    def traffic(self) -> tuple[object, ...]:
        return (
            tuple((r.request, r.status, r.to) for r in self.replies),
            tuple((v.check, v.ok) for v in self.verdicts),
        )

    def text(self) -> str:
        """One line: the step's answers and attacks, e.g. "POST /api/transfer → 401"."""
        parts = [r.text() for r in self.replies] + [a.text() for a in self.attacks]
        return "; ".join(parts) if parts else "no request"


def _outcome(trace: Trace, step: int, events: Sequence[Event], after: Event | None) -> StepOutcome:
    replies: list[Reply] = []
    verdicts: list[VerdictResult] = []
    attacks: list[AttackResult] = []
    for i, e in enumerate(events):
        if e.kind == "response" and e.dst in CLIENTS and e.src != OFFSITE:
            request = request_for(events, i)
            label = e.label if request is None else request.label
            replies.append(Reply(label, as_response(e).status, e.dst))
        elif e.kind == "verdict":
            v = as_verdict(e)
            verdicts.append(VerdictResult(v.check, v.ok, v.reason))
        elif e.kind == "attack":
            a = as_attack(e)
            attacks.append(AttackResult(a.attack, a.success, tuple(a.stolen)))
    action = trace.steps[step].action if 0 <= step < len(trace.steps) else "?"
    return StepOutcome(
        step,
        action,
        tuple(replies),
        tuple(verdicts),
        tuple(attacks),
        after.state.page.signed_in_as if after is not None else None,
    )


def events_by_step(trace: Trace) -> dict[int, list[int]]:
    """Lesson step -> indexes of its events, in order."""
    out: dict[int, list[int]] = {}
    for i, e in enumerate(trace.events):
        out.setdefault(e.step, []).append(i)
    return out


def step_outcomes(trace: Trace) -> tuple[StepOutcome, ...]:
    """One outcome per lesson step of `trace` (a step without events has an empty one)."""
    groups = events_by_step(trace)
    out = []
    for step in range(len(trace.steps)):
        events = [trace.events[i] for i in groups.get(step, [])]
        out.append(_outcome(trace, step, events, _state_after(trace, groups, step)))
    return tuple(out)


def _state_after(trace: Trace, groups: dict[int, list[int]], step: int) -> Event | None:
    """The event whose state shows the world once `step` is over.

    The page's own state (who it shows as signed in) is recorded with the event after
    the response that changed it, so the next step's opening note is the first to show
    it; the last step has only its own last event."""
    later = [i for s, idx in groups.items() if s > step for i in idx]
    if later:
        return trace.events[min(later)]
    earlier = [i for s, idx in groups.items() if s <= step for i in idx]
    return trace.events[max(earlier)] if earlier else None


@dataclass(frozen=True, slots=True)
class StepDiff:
    """One lesson step across several runs."""

    step: int
    action: str
    outcomes: tuple[StepOutcome | None, ...]
    """One per run; None when that run has no such step."""
    differs: bool
    """The runs' outcomes differ (final answer, who is signed in, which attacks worked)."""
    traffic_differs: bool
    """The answers or the server's checks along the way differ."""


@dataclass(frozen=True, slots=True)
class Comparison:
    """Several runs of one lesson, compared step by step."""

    steps: tuple[StepDiff, ...]

    @property
    def changed_steps(self) -> tuple[int, ...]:
        """0-based steps whose outcomes differ."""
        return tuple(d.step for d in self.steps if d.differs)

    @property
    def traffic_steps(self) -> tuple[int, ...]:
        """0-based steps whose traffic differs but whose outcome does not."""
        return tuple(d.step for d in self.steps if d.traffic_differs and not d.differs)

    def at(self, step: int) -> StepDiff | None:
        return self.steps[step] if 0 <= step < len(self.steps) else None


def compare(traces: Sequence[Trace]) -> Comparison:
    """Compare runs step by step. Steps are matched by index (same lesson)."""
    per_run = [step_outcomes(t) for t in traces]
    count = max((len(o) for o in per_run), default=0)
    diffs = []
    for step in range(count):
        outcomes = tuple(o[step] if step < len(o) else None for o in per_run)
        present = [o for o in outcomes if o is not None]
        keys = {o.key for o in present}
        traffic = {o.traffic for o in present}
        missing = len(present) != len(outcomes)
        actions = [o.action for o in present]
        diffs.append(
            StepDiff(
                step,
                actions[0] if actions else "?",
                outcomes,
                missing or len(keys) > 1,
                missing or len(traffic) > 1,
            )
        )
    return Comparison(tuple(diffs))


def _change_text(before: StepOutcome | None, after: StepOutcome | None) -> str:
    if before is None or after is None:
        return "the step was added" if before is None else "the step was removed"
    parts = []
    if before.final_status != after.final_status:
        request = (after.replies or before.replies)[-1].request
        parts.append(f"{request} {before.final_status or '—'} → {after.final_status or '—'}")
    if before.signed_in_as != after.signed_in_as:
        parts.append(
            f"signed in: {before.signed_in_as or 'nobody'} → {after.signed_in_as or 'nobody'}"
        )
    old = {a.attack: a for a in before.attacks}
    for a in after.attacks:
        b = old.get(a.attack)
        if b is None or b.success != a.success:
            was = "" if b is None else ("worked" if b.success else "failed")
            now = "worked" if a.success else "failed"
            parts.append(f"{a.attack} attack {was} → {now}" if was else f"{a.attack} {now}")
    return "; ".join(parts) or after.text()


def describe_change(before: Trace, after: Trace) -> str:
    """One or two sentences for a person: which steps' outcomes changed, and how."""
    comparison = compare((before, after))
    lines = []
    for d in comparison.steps:
        if d.differs:
            b, a = d.outcomes
            lines.append(f"Step {d.step + 1} ({d.action}) changed: {_change_text(b, a)}.")
    if not lines:
        text = "No step's outcome changed."
        traffic = comparison.traffic_steps
        if traffic:
            listed = ", ".join(str(s + 1) for s in traffic)
            text += f" The requests or checks along the way differ at step {listed}."
        return text
    return " ".join(lines)


@dataclass(frozen=True, slots=True)
class Timeline:
    """Positions shared by several runs: (lesson step, position within the step).

    At each position every run shows one of its events: the one at that place in the
    step, or, when its step has fewer events, the step's last one (it waits for the
    others); a run with no event in a step keeps showing its latest earlier event.
    """

    positions: tuple[tuple[int, int], ...]
    indexes: tuple[tuple[int, ...], ...]
    """Per run, the event index shown at each position (-1: nothing yet)."""

    def __len__(self) -> int:
        return len(self.positions)

    def index_for(self, run: int, position: int) -> int:
        """The event index run `run` shows at `position` (-1 before the start)."""
        if position < 0 or not self.positions:
            return -1
        return self.indexes[run][min(position, len(self.positions) - 1)]

    def step_at(self, position: int) -> int | None:
        if 0 <= position < len(self.positions):
            return self.positions[position][0]
        return None

    def position_of(self, run: int, index: int) -> int:
        """The first position at which run `run` shows event `index` (-1 for -1)."""
        if index < 0:
            return -1
        row = self.indexes[run]
        for p, i in enumerate(row):
            if i >= index:
                return p
        return len(row) - 1

    def first_of_step(self, step: int) -> int:
        """The first position of lesson step `step` (-1 when no run has events there)."""
        for p, (s, _k) in enumerate(self.positions):
            if s == step:
                return p
        return -1


def timeline(traces: Sequence[Trace]) -> Timeline:
    """Line several runs' events up by lesson step and position within the step."""
    groups = [events_by_step(t) for t in traces]
    steps = sorted({s for g in groups for s in g})
    positions: list[tuple[int, int]] = []
    rows: list[list[int]] = [[] for _ in traces]
    last = [-1 for _ in traces]
    for step in steps:
        width = max(len(g.get(step, ())) for g in groups)
        for k in range(width):
            positions.append((step, k))
            for run, g in enumerate(groups):
                events = g.get(step, [])
                if events:
                    last[run] = events[min(k, len(events) - 1)]
                rows[run].append(last[run])
    return Timeline(tuple(positions), tuple(tuple(r) for r in rows))
