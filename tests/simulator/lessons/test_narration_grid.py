"""Words follow the run: every lesson, in every mode, under a grid of settings.

For each run, each step's opening note must carry in `detail.narration` the text the
app's narration bar shows for the step (`trace.steps[i].narration`), and that text must
be true of the run: a written variant is shown only when every fact its `when` asserts
holds, recomputed from the JSON trace by this test's own reader (narration_facts.py),
and no earlier variant holds; a rule-made explanation only when no variant holds.

The grid varies one setting at a time from the lesson's own (every value of each key
in GRID), plus the pairs in PAIRS. What a plain text (no variants) may say is the
lint's business (test_narration_lint.py): it must assert nothing a setting can change.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping

import pytest

from authflow import simulator
from authflow.simulator.config.settings import resolve
from authflow.simulator.lessons import facts
from authflow.simulator.lessons.narration import RULES_MARK
from authflow.simulator.lessons.scenarios import (
    Scenario,
    load_scenario,
    parse_scenario,
    scenario_names,
)
from tests.factories import FAST
from tests.simulator.lessons.narration_facts import when_holds

GRID: Mapping[str, tuple[str, ...]] = {
    "same_site": ("Strict", "Lax", "None", "unset"),
    "http_only": ("true", "false"),
    "token_storage": ("localStorage", "memory", "cookie"),
    "revocation": ("none", "denylist", "token-version"),
    "secret": ("random", "secret"),
    "algorithm": ("HS256", "RS256", "ES256"),
    "cors": (
        "none",
        "app-only",
        "any-with-credentials",
        "wildcard-with-credentials",
        "null-allowed",
    ),
    "csrf_token": ("false", "true"),
    "csrf_defence": ("none", "token", "double-submit", "origin-check", "fetch-metadata"),
    "store": ("memory", "shared"),
    "servers": ("1", "2"),
    "third_party_cookies": ("allowed", "blocked"),
    "scheme": ("https", "http"),
    "rotate_session_on_login": ("true", "false"),
    "cookie_prefix": ("none", "__Secure-", "__Host-"),
    "cookie_domain": ("host-only", "app.example"),
    # The token checks (issue 14: alg-confusion, claims-checks, key-rotation, clock-skew).
    "pin_algorithm": ("true", "false"),
    "check_aud": ("true", "false"),
    "leeway": ("0", "30"),
    "clock_skew": ("-20", "0", "20"),
    # Lifetimes, races and logouts (issue 14c's lessons).
    "refresh_grace": ("0", "10"),
    "refresh_lock": ("false", "true"),
    "session_max_age": ("0", "7200"),
    "credential_in_url": ("false", "true"),
    "referrer_policy": ("unset", "no-referrer", "origin", "unsafe-url"),
    "bff": ("false", "true"),
}
"""Every value of each setting a lesson's words may depend on."""

PAIRS: tuple[Mapping[str, str], ...] = (
    {"same_site": "None", "csrf_token": "true"},
    {"same_site": "None", "csrf_defence": "origin-check"},
    {"same_site": "None", "csrf_defence": "fetch-metadata"},
    {"same_site": "None", "csrf_defence": "double-submit"},
    {"rotate_session_on_login": "false", "cookie_prefix": "__Host-"},
    {"cookie_domain": "app.example", "cookie_prefix": "__Host-"},
    {"same_site": "None", "scheme": "http"},
    {"servers": "2", "sticky": "true"},
    {"servers": "2", "store": "shared"},
    {"token_storage": "cookie", "same_site": "None"},
    {"http_only": "false", "cookie_path": "/api"},
    {"same_site": "None", "cors": "any-with-credentials"},
)
"""Settings the lesson summaries invite together."""


def grid_settings(scenario: Scenario, mode: str) -> Iterator[dict[str, str]]:
    """The lesson's own settings, then one key changed at a time, then the pairs."""
    own = resolve(scenario.settings_for(mode))
    yield {}
    for key, values in GRID.items():
        for value in values:
            if own[key] != value:
                yield {key: value}
    for pair in PAIRS:
        if any(own[k] != v for k, v in pair.items()):
            yield dict(pair)


def check_run(scenario: Scenario, mode: str, overrides: Mapping[str, str]) -> int:
    """Check every step of one run; the number of steps checked."""
    trace = simulator.run_scenario(scenario, mode, {**FAST, **overrides}, seed=7)
    settings = dict(trace.settings)
    events = [e.to_json() for e in trace.events]
    written = scenario.steps_for(mode)
    where = f"{scenario.name} {mode} {dict(overrides)}"
    for index, step in enumerate(written):
        own = [e for e in events if e["step"] == index]
        note = own[0]
        assert note["kind"] == "note", f"{where}: step {index + 1} opens with no note"
        shown = note["detail"]["narration"]
        source = note["detail"]["narration_source"]
        here = f"{where} step {index + 1} ({step.action}): {shown!r}"
        # The narration bar shows trace.steps[i].narration and the note's explain.
        assert trace.steps[index].narration == shown, here
        assert note["explain"] == shown, here
        if not step.variants:
            assert source == ("written" if step.narration else "label"), here
            if step.narration:
                assert shown == step.narration, here
            continue
        first = next(
            (v for v in step.variants if when_holds(v.when, own, mode, settings)),
            None,
        )
        if first is None:
            assert source == "rules", f"{here}: no variant's facts hold, yet it is shown"
            assert shown.startswith(RULES_MARK), here
        else:
            assert source == "written", f"{here}: {first.text!r} holds but is not shown"
            assert shown == first.text, f"{here}: should be {first.text!r} ({dict(first.when)})"
    return len(written)


@pytest.mark.parametrize("name", scenario_names())
def test_words_follow_the_run_under_every_setting(name: str) -> None:
    scenario = load_scenario(name)
    runs = steps = 0
    started = time.perf_counter()
    for mode in scenario.modes:
        for overrides in grid_settings(scenario, mode):
            steps += check_run(scenario, mode, overrides)
            runs += 1
    elapsed = time.perf_counter() - started
    print(f"{name}: {runs} runs x steps = {steps} steps checked in {elapsed:.2f} s")


PLANTED = """
title = "planted"
modes = ["jwt"]
[[steps]]
action = "login"
narration = "Alice logs in."
[[steps]]
action = "steal"
narration = "Malware runs on Alice's computer."
[[steps]]
action = "replay"
[[steps.narration.jwt]]
when = { status = 200 }
text = "The replay gets 200."
[[steps.narration.jwt]]
when = { status = 401 }
text = "The replay gets 401."
"""


def test_the_grid_catches_a_wrong_fact_computation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Break the simulator's `status` fact (it reports the first answer of the run's
    step as 401 whatever happened): the grid's own reading of the trace disagrees."""
    scenario = parse_scenario(PLANTED, "planted", "planted.toml")
    assert check_run(scenario, "jwt", {}) == 3  # sound: the replay's 200 is told
    broken = facts.FACTS["status"]._replace(compute=lambda run: "401")
    monkeypatch.setitem(facts.FACTS, "status", broken)  # type: ignore[arg-type]
    with pytest.raises(AssertionError, match="should be"):
        check_run(scenario, "jwt", {})
