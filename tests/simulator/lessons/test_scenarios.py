"""Lesson files load, and a broken one says which file, where and what."""

from __future__ import annotations

from pathlib import Path

import factories
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from authflow import simulator
from authflow.simulator.lessons.scenarios import parse_scenario

GOOD = """
title = "T"
[[steps]]
action = "login"
narration = "n"
"""


@pytest.mark.parametrize("name", simulator.scenario_names())
@pytest.mark.parametrize("mode", simulator.MODES)
def test_every_lesson_loads_and_runs(name: str, mode: str) -> None:
    trace = factories.run(name, mode, seed=2)
    assert trace.events
    assert all(step.narration for step in trace.steps), "every step needs narration"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("title = 'x'\n[[steps]]\naction = 'fly'\n", "steps[1].action: unknown action 'fly'"),
        ("title = 'x'\n[[steps]]\naction = 'wait'\nseconds = 'ten'\n", "must be a whole number"),
        ("[[steps]]\naction = 'login'\n", "title: missing"),
        ("title = 'x'\n", "steps: missing"),
        (
            "title = 'x'\n[settings]\nsame_site = 'Loose'\n[[steps]]\naction='login'\n",
            "settings.same_site",
        ),
        ("title = 'x'\n[[steps]]\naction = 'login'\nnarration = 3\n", "steps[1].narration"),
        ("title = 'x'\n[[steps]]\naction = 'login'\nspeed = 3\n", "has no argument 'speed'"),
        ("title = 'x\n", "not valid TOML"),
        ("title = 'x'\nmodes = ['cookie']\n[[steps]]\naction='login'\n", "modes"),
    ],
)
def test_bad_lesson_names_file_place_and_problem(text: str, needle: str) -> None:
    with pytest.raises(simulator.ScenarioError) as info:
        parse_scenario(text, "bad", "bad.toml")
    message = str(info.value)
    assert message.startswith("bad.toml: ")
    assert needle in message


def test_a_lesson_may_say_where_it_sits_in_the_course() -> None:
    text = "title = 'x'\nchapter = '2 Lifetimes'\norder = 250\n[[steps]]\naction = 'login'\n"
    assert parse_scenario(text, "ok", "ok.toml").title == "x"


def test_lesson_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert simulator.load_scenario(str(path)).title == "T"
    with pytest.raises(simulator.ScenarioError, match="cannot read"):
        simulator.load_scenario(str(tmp_path / "missing.toml"))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_escapes_as_another_error(text: str) -> None:
    message = "fuzz.toml: "
    try:
        parse_scenario(text, "fuzz", "fuzz.toml")
    except simulator.ScenarioError as exc:
        message = str(exc)
    assert message.startswith("fuzz.toml: ")


def test_a_lesson_name_too_long_for_the_file_system_is_unknown() -> None:
    # Found by the CLI fuzz test: the lookup raised OSError (File name too long).
    with pytest.raises(simulator.ScenarioError, match="unknown lesson"):
        simulator.load_scenario("9" * 5000)
