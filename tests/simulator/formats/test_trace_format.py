"""Mermaid text of every lesson and mode: lanes, numbers, verdict reasons, deleted cookies."""

from __future__ import annotations

import re

import pytest
from factories import run_once

from authflow import simulator
from authflow.simulator.formats.text import to_mermaid
from authflow.simulator.trace.trace import Event, Trace

RUNS = [(lesson, mode) for lesson in simulator.scenario_names() for mode in simulator.MODES]
LINE = re.compile(r"^\s*(?:autonumber (\d+)|Note over (\w+): (.*)|(\w+)(->>|-->>|-\))(\w+): (.*))$")


def lane(actor: str) -> str:
    return actor.replace("-", "_").replace(".", "_")


def noted(event: Event) -> bool:
    return event.kind in ("verdict", "attack") or (
        event.kind == "note" and bool(event.detail.get("action"))
    )


def diagram(trace: Trace) -> list[tuple[str, ...]]:
    """The diagram's statements after the participants: ("number", n), ("note", lane,
    text) and ("arrow", src, dst, label)."""
    out: list[tuple[str, ...]] = []
    for line in to_mermaid(trace).splitlines():
        m = LINE.match(line)
        if m is None:
            continue
        number, note_lane, note, src, _, dst, label = m.groups()
        if number is not None:
            out.append(("number", number))
        elif note_lane is not None:
            out.append(("note", note_lane, note))
        else:
            out.append(("arrow", src, dst, label))
    return out


@pytest.mark.parametrize(("lesson", "mode"), RUNS)
def test_every_note_sits_on_its_own_actors_lane(lesson: str, mode: str) -> None:
    trace = run_once(lesson, mode)
    notes = [s for s in diagram(trace) if s[0] == "note"]
    events = [e for e in trace.events if noted(e)]
    assert [n[1] for n in notes] == [lane(e.src) for e in events]


def test_attack_steps_are_noted_on_the_attacker_lane() -> None:
    trace = run_once("xss", "hybrid")
    notes = [s for s in diagram(trace) if s[0] == "note"]
    assert ("note", "attacker", "Attacker's injected script reads the page's secrets") in notes
    assert not any("Attacker" in n[2] and n[1] == "browser" for n in notes)


@pytest.mark.parametrize(("lesson", "mode"), RUNS)
def test_every_arrow_is_numbered_as_the_app_numbers_its_event(lesson: str, mode: str) -> None:
    trace = run_once(lesson, mode)
    statements = diagram(trace)
    arrows = [e for e in trace.events if e.kind in ("request", "response", "store")]
    numbered = [
        int(statements[i - 1][1])
        for i, s in enumerate(statements)
        if s[0] == "arrow" and statements[i - 1][0] == "number"
    ]
    assert numbered == [e.seq + 1 for e in arrows]


@pytest.mark.parametrize(("lesson", "mode"), RUNS)
def test_a_refusal_note_names_its_reason(lesson: str, mode: str) -> None:
    trace = run_once(lesson, mode)
    notes = iter(s[2] for s in diagram(trace) if s[0] == "note")
    for event in (e for e in trace.events if noted(e)):
        text = next(notes)
        if event.kind == "verdict" and not event.detail["ok"]:
            reason = str(event.detail["reason"]).replace(";", ",").replace("#", "no.")
            assert text.startswith("✗")
            assert reason in text


def test_the_session_refusal_after_logout_reads_as_the_issue_quotes() -> None:
    notes = [s[2] for s in diagram(run_once("basics", "session")) if s[0] == "note"]
    assert "✗ session: no sid cookie" in notes


def test_a_deleting_set_cookie_is_told_from_a_setting_one() -> None:
    arrows = [s for s in diagram(run_once("basics", "session")) if s[0] == "arrow"]
    set_cookie = [a[3] for a in arrows if "Set-Cookie" in a[3]]
    assert set_cookie == ["200 OK [Set-Cookie:sid]", "200 OK [Set-Cookie:sid (delete)]"]
