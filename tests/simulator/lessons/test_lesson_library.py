"""The lesson library: every lesson loads, runs and narrates every step in every mode;
a broken lesson file using the attack and fault actions names what is wrong."""

from __future__ import annotations

import re

import factories
import pytest

from authflow import simulator
from authflow.simulator.actions.catalogue import ACTIONS, describe
from authflow.simulator.lessons.scenarios import parse_scenario

REQUIRED = (
    "basics",
    "expiry",
    "replay-after-logout",
    "xss",
    "csrf",
    "tamper",
    "alg-none",
    "weak-secret",
    "refresh-reuse",
    "server-restart",
    "browser-restart",
    "remember-me",
    "revocation",
    "scale-out",
)

HALF_TRUTHS = (
    # LESSONS.md: narration must never repeat these.
    r"memory is (xss[- ])?safe",
    r"safe from xss",
    r"more secure than",
    r"cookies are insecure",
    r"jwts? can(no|')t be revoked",
    r"don't work on mobile",
)


def test_the_library_has_every_required_lesson() -> None:
    assert set(REQUIRED) <= set(simulator.scenario_names())


@pytest.mark.parametrize("name", simulator.scenario_names())
def test_lesson_has_title_summary_and_narration_for_every_mode(name: str) -> None:
    lesson = simulator.load_scenario(name)
    assert lesson.title
    assert len(lesson.summary.split()) >= 20, "a one-paragraph summary"
    for mode in lesson.modes:
        for step in lesson.steps_for(mode):
            written = [v.text for v in step.variants] or [step.narration]
            assert all(w.strip() for w in written), (
                f"{name}: a {step.action} step has no {mode} narration"
            )


@pytest.mark.parametrize("name", simulator.scenario_names())
def test_narration_repeats_no_half_truth(name: str) -> None:
    lesson = simulator.load_scenario(name)
    texts = [lesson.summary] + [
        text
        for _, _, narration in lesson.steps_raw
        for words in narration.values()
        for text in ([words] if isinstance(words, str) else [v.text for v in words])
    ]
    for text in texts:
        for pattern in HALF_TRUTHS:
            assert not re.search(pattern, text, re.IGNORECASE), f"{name}: {text!r}"


@pytest.mark.parametrize("name", simulator.scenario_names())
@pytest.mark.parametrize("mode", simulator.MODES)
def test_lesson_runs_and_attacks_are_recorded(name: str, mode: str) -> None:
    trace = factories.run(name, mode)
    attack_steps = {
        i for i, s in enumerate(trace.steps) if s.action in ACTIONS and _is_attack(s.action)
    }
    for i in attack_steps:
        found = [e for e in trace.events if e.step == i and e.kind == "attack"]
        assert len(found) == 1
        assert {"attack", "attempted", "stolen", "success"} <= set(found[0].detail)
    if attack_steps or any(e.src == "attacker" or e.dst == "attacker" for e in trace.events):
        assert "attacker" in trace.actors
    else:
        assert "attacker" not in trace.actors


def _is_attack(action: str) -> bool:
    return ACTIONS[action].lane == "attacker"


def test_every_action_has_a_readable_label() -> None:
    from authflow.simulator.actions.catalogue import check_args

    for name in ACTIONS:
        label = describe(name, check_args(name, {}))
        assert label != name, f"{name} has no label"


@pytest.mark.parametrize(
    ("step", "needle"),
    [
        ("action = 'hack'", "steps[1].action: unknown action 'hack'"),
        ("action = 'cross_site_fetch'\nkind = 'iframe'", "kind must be one of fetch|subresource"),
        ("action = 'cross_site_fetch'\nauthorization = 'yes'", "must be true or false"),
        ("action = 'xss_request'\namount = '10'", "amount must be a whole number"),
        ("action = 'replay'\nmethod = 'DELETE'", "method must be one of GET|POST"),
        ("action = 'tamper'\nfield = 'role'", "has no argument 'field'"),
        ("action = 'ban'\nuser = 3", "user must be text"),
        ("user = 'alice'", "steps[1].action: missing"),
    ],
)
def test_bad_attack_step_names_the_problem(step: str, needle: str) -> None:
    text = f"title = 'x'\n[[steps]]\n{step}\n"
    with pytest.raises(simulator.ScenarioError) as info:
        parse_scenario(text, "bad", "bad.toml")
    assert str(info.value).startswith("bad.toml: ")
    assert needle in str(info.value)


def test_unknown_mode_in_narration_is_named() -> None:
    text = "title = 'x'\n[[steps]]\naction = 'xss_steal'\n[steps.narration]\ncookie = 'hi'\n"
    with pytest.raises(simulator.ScenarioError, match=r"steps\[1\]\.narration\.cookie"):
        parse_scenario(text, "bad", "bad.toml")


@pytest.mark.parametrize("name", ["xss", "weak-secret", "refresh-reuse", "revocation"])
def test_same_seed_same_attack_trace(name: str) -> None:
    from authflow.simulator.formats.text import to_json_lines

    def once() -> list[str]:
        return list(to_json_lines(factories.run(name, "hybrid", seed=7)))

    assert once() == once()


def test_authoring_guide_lists_every_action() -> None:
    from pathlib import Path

    guide = Path(__file__).resolve().parents[3] / "assets" / "scenarios" / "README.md"
    text = guide.read_text(encoding="utf-8")
    for name in ACTIONS:
        assert f"| `{name}` |" in text, f"assets/scenarios/README.md does not list {name}"
