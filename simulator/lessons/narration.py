"""Which words a step shows: the first written variant whose facts hold, else the rules'.

A lesson step's narration is a text true under every setting, or a list of variants,
each asserting facts of the run (`when`). After a run, each step with variants shows
the first whose facts all hold (facts.py computes them from the step's own events and
the settings). When none holds, the step shows an explanation built from its events'
own `explain` sentences, marked as made by the rules, so a sentence whose facts are
false is never shown. The step's opening note carries the shown text in
`detail.narration` and where it came from in `detail.narration_source`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from authflow.simulator.lessons.facts import FACTS, FactValue, StepRun
from authflow.simulator.trace.details import DetailView, NoteDetail, as_note
from authflow.simulator.trace.trace import Event, Step

NOT = "not"
"""The key of a `when` table whose facts must all be false."""
RULES_MARK = "Explained by the rules (no lesson text fits these settings): "
"""Opens a rule-made explanation, so a reader sees that no one wrote it for this run."""
MAX_RULE_SENTENCES = 4


class WhenError(ValueError):
    """A `when` table that names an unknown fact or an unusable value; says which."""


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def check_when(raw: Any, where: str = "when") -> Mapping[str, Any]:
    """A `when` table, checked and normalised: every value a text or a tuple of texts."""
    if not isinstance(raw, Mapping):
        raise WhenError(f"{where}: must be a table of fact = value")
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key == NOT:
            out[NOT] = check_when(value, f"{where}.{NOT}")
            continue
        if key not in FACTS:
            raise WhenError(
                f"{where}.{key}: unknown fact; known facts: {', '.join(FACTS)}, and {NOT}"
            )
        if isinstance(value, list):
            if not all(isinstance(v, str | int | bool) for v in value):
                raise WhenError(f"{where}.{key}: a list of texts, numbers or booleans")
            out[key] = tuple(_text(v) for v in value)
        elif isinstance(value, str | int | bool):
            out[key] = _text(value)
        else:
            raise WhenError(f"{where}.{key}: must be a text, number, boolean or a list of them")
    return MappingProxyType(out)


def fact_holds(actual: FactValue | None, expected: str | tuple[str, ...]) -> bool:
    """Whether one asserted fact holds. A text fact: equal to the text, or one of the
    list. A set fact: contains the text, or equals the list as a set."""
    if actual is None:
        return False
    if isinstance(actual, frozenset):
        if isinstance(expected, tuple):
            return actual == frozenset(expected)
        return expected in actual
    if isinstance(expected, tuple):
        return actual in expected
    return actual == expected


class Facts:
    """A step's facts, each computed when a `when` first asks for it."""

    def __init__(self, run: StepRun) -> None:
        self.run = run
        self._known: dict[str, FactValue | None] = {}

    def get(self, name: str) -> FactValue | None:
        if name not in self._known:
            self._known[name] = FACTS[name].compute(self.run)
        return self._known[name]


def holds(when: Mapping[str, Any], facts: Facts) -> bool:
    for key, expected in when.items():
        if key == NOT:
            if any(fact_holds(facts.get(k), v) for k, v in expected.items()):
                return False
        elif not fact_holds(facts.get(key), expected):
            return False
    return True


def rule_text(events: Sequence[Event]) -> str:
    """The step told by its own events: what the app answered, what it refused, which
    cookie the browser would not keep, what an attack got."""
    sentences: list[str] = []
    for e in events:
        wanted = (
            e.kind == "attack"
            or (e.kind == "response" and e.dst in ("browser", "attacker") and e.src != "attacker")
            or (e.kind == "verdict" and not e.detail.get("ok", True))
            or (e.kind == "cookie" and e.detail.get("action") == "rejected")
        )
        if wanted and e.explain and e.explain not in sentences:
            sentences.append(e.explain)
    if not sentences:
        sentences = [e.explain for e in events[1:2] if e.explain] or ["Nothing happened."]
    return RULES_MARK + " ".join(sentences[:MAX_RULE_SENTENCES])


def choose(step: Step, run: StepRun) -> tuple[str, str]:
    """(text, source) for a step with variants: the first whose facts hold, else the
    rule-made explanation."""
    facts = Facts(run)
    for variant in step.variants:
        if holds(variant.when, facts):
            return variant.text, "written"
    return rule_text(run.events), "rules"


def narrate(
    steps: Sequence[Step],
    events: list[Event],
    starts: Sequence[int],
    mode: str,
    settings: Mapping[str, str],
) -> tuple[Step, ...]:
    """Choose every step's words for this run. `starts[i]` is the index in `events` of
    step i's opening note; its events run up to the next step's. Each opening note is
    replaced by one carrying the shown text (`explain` and `detail.narration`); the
    steps come back with `narration` set to that text."""
    shown: list[Step] = []
    ends = [*starts[1:], len(events)]
    for step, first, end in zip(steps, starts, ends, strict=True):
        opening = events[first]
        if step.variants:
            text, source = choose(step, StepRun(mode, settings, events[first:end]))
        elif step.narration:
            text, source = step.narration, "written"
        else:
            text, source = opening.label + ".", "label"
        note = as_note(opening)
        detail = NoteDetail(note.text, note.action, note.args, text, note.extra, source)
        events[first] = opening._replace(explain=text, detail=DetailView.of(detail))
        shown.append(Step(step.action, step.args, text, step.variants))
    return tuple(shown)


def opening_notes(events: Sequence[Event], count: int) -> list[int] | None:
    """The index of each of `count` steps' opening note in `events`, or None when a step
    has none (a run cut short)."""
    starts: list[int] = []
    for i, e in enumerate(events):
        if e.kind == "note" and e.step == len(starts) and as_note(e).action is not None:
            starts.append(i)
    return starts if len(starts) == count else None
