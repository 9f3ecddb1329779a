"""Every event's `explain` reads as one plain sentence (DESIGN.md, "The trace").

The narration bar shows it large in front of a room: it starts as a sentence starts
(a capital, a number, or a name written as it is, such as evil.example or sid), ends
with a full stop, and never shouts in capitals. Checked on every lesson in every mode
and on the attack sequences of test_attack_contract.
"""

from __future__ import annotations

import re

import pytest
from factories import run
from test_attack_contract import sequences

from authflow import simulator
from authflow.simulator.trace.trace import Trace

NAME = re.compile(r"^[a-z][a-z0-9]*([.\-_][a-z0-9]+)+\b|^(sid|refresh)\b")
"""A host, actor or cookie name that keeps its lower-case first letter."""


def traces() -> list[Trace]:
    lessons = [
        run(name, mode)
        for name in simulator.scenario_names()
        for mode in simulator.load_scenario(name).modes
    ]
    return lessons + [t for mode in simulator.MODES for t in sequences(mode)]


def test_each_explanation_is_a_plain_sentence() -> None:
    checked = 0
    for trace in traces():
        for event in trace.events:
            text = event.explain
            assert text[:1].isupper() or text[:1].isdigit() or NAME.match(text), text
            assert text.endswith((".", ")")), text
            assert text != text.upper(), text
            checked += 1
    assert checked > 5000


@pytest.mark.parametrize("text", ["the server deletes it.", "THE SERVER.", "No full stop"])
def test_the_check_refuses_what_is_not_a_sentence(text: str) -> None:
    ok = (text[:1].isupper() or NAME.match(text)) and text.endswith(".") and text != text.upper()
    assert not ok
