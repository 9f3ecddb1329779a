"""A sentence that names a fact must assert it: the lint over every lesson's words.

A narration text (a plain text, or a variant's) that names a status, a setting's value,
a credential, or says something was stolen, accepted or refused, must carry the
matching fact in its `when`: that is what keeps a sentence written for the default
settings from being shown under others (the grid test then checks the facts). A plain
text has no `when`, so it may name none of these.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

import pytest

from authflow.simulator.lessons.scenarios import load_scenario, parse_scenario, scenario_names

STATUS_FACTS = ("status", "first_status", "statuses", "refresh_status")
CREDENTIAL_FACTS = (
    "carried",
    "stolen",
    "attacker_holds",
    "set_cookies",
    "cleared_cookies",
    "left_out",
    "rejected_cookies",
)


class Rule(NamedTuple):
    pattern: re.Pattern[str]
    facts: tuple[str, ...]
    """The `when` must assert one of these."""
    what: str
    exempt_modes: tuple[str, ...] = ()
    """Modes in which the words are true by construction (the hybrid refresh cookie's
    flags are fixed: HttpOnly, SameSite=Strict)."""


RULES: tuple[Rule, ...] = (
    Rule(re.compile(r"SameSite"), ("same_site",), "a SameSite value", ("hybrid",)),
    Rule(re.compile(r"HttpOnly"), ("http_only",), "HttpOnly", ("hybrid",)),
    Rule(
        re.compile(r"revocation|denylist|token version|\bver \d", re.I),
        ("revocation",),
        "the revocation strategy",
    ),
    Rule(re.compile(r"HS256|RS256|ES256|HMAC"), ("algorithm", "secret_guessable"), "the algorithm"),
    Rule(re.compile(r"localStorage"), ("token_storage",), "where the token is kept", ("session",)),
    Rule(
        re.compile(r"CSRF token|csrf_token|csrf_defence"),
        ("csrf_token", "csrf_defence", "stolen", "attacker_holds"),
        "the CSRF defence",
    ),
    Rule(re.compile(r"sticky|round-robin"), ("sticky", "servers_hit"), "the balancing"),
    Rule(re.compile(r"shared store|store = shared"), ("store",), "the store kind"),
    Rule(re.compile(r"preflight", re.I), ("preflight",), "the preflight's outcome"),
    Rule(
        re.compile(r"\bsid\b|refresh cookie|Authorization header|Bearer"),
        CREDENTIAL_FACTS,
        "a credential",
    ),
    Rule(
        re.compile(r"\bstole|\bstolen|\bsteal|\bcop(y|ies|ied)\b|\bloot", re.I),
        ("stolen", "attacker_holds"),
        "what was stolen",
    ),
    Rule(
        re.compile(r"\baccept|\brefus|\breject|goes through|went through|\bworks?\b", re.I),
        (*STATUS_FACTS, "attack_success"),
        "an outcome",
    ),
)

NOT_YET: frozenset[str] = frozenset()
"""Lessons whose words are not yet written as variants carrying their facts. Each fixed
lesson leaves the list (a listed lesson that passes fails the test: the list only
shrinks)."""


def asserted(when: Mapping[str, Any]) -> dict[str, Any]:
    """The facts a `when` asserts to hold (its `not` table's facts are asserted false)."""
    return {k: v for k, v in when.items() if k != "not"}


def problems(text: str, when: Mapping[str, Any], mode: str) -> Iterator[str]:
    """What the text names without asserting it. A status must be asserted to hold; the
    other rules are met by a fact asserted either way ("not = { carried = 'sid' }")."""
    positive = asserted(when)
    facts = {**when.get("not", {}), **positive}
    for number in re.findall(r"\b[1-5]\d\d\b", text):
        values = [positive[k] for k in STATUS_FACTS if k in positive]
        flat = {str(x) for v in values for x in (v if isinstance(v, tuple | list) else (v,))}
        if number not in flat:
            yield f"names status {number} but its when asserts no status {number}"
    for rule in RULES:
        if mode in rule.exempt_modes:
            continue
        match = rule.pattern.search(text)
        if match and not any(f in facts for f in rule.facts):
            yield f"names {rule.what} ({match.group(0)!r}) but asserts none of {rule.facts}"


class Words(NamedTuple):
    lesson: str
    step: int
    mode: str
    text: str
    when: Mapping[str, Any]


def words_of(name: str) -> Iterator[Words]:
    scenario = load_scenario(name)
    for mode in scenario.modes:
        for index, step in enumerate(scenario.steps_for(mode), start=1):
            implied = {"mode": mode}
            if step.variants:
                for v in step.variants:
                    modes = v.when.get("mode", mode)
                    if mode in ((modes,) if isinstance(modes, str) else modes):
                        yield Words(name, index, mode, v.text, {**implied, **v.when})
            elif step.narration:
                yield Words(name, index, mode, step.narration, implied)


def lesson_problems(name: str) -> list[str]:
    return [
        f"{w.lesson} step {w.step} ({w.mode}): {p}: {w.text!r}"
        for w in words_of(name)
        for p in problems(w.text, w.when, w.mode)
    ]


@pytest.mark.parametrize("name", scenario_names())
def test_every_sentence_asserts_what_it_names(name: str) -> None:
    found = lesson_problems(name)
    if name in NOT_YET:
        assert found, f"{name} passes the lint now: take it off NOT_YET"
        return
    assert not found, "\n".join(found)


def test_not_yet_lists_only_real_lessons() -> None:
    assert set(NOT_YET) <= set(scenario_names())


def test_a_sentence_written_for_the_defaults_is_caught() -> None:
    """The lint goes red for a variant whose `when` does not assert what its text says:
    "refuses the copy with 401" under `when = { revocation = "token-version" }` alone
    would be shown wherever that setting holds, whatever the replay's status."""
    text = (
        "title = 'x'\nmodes = ['jwt']\n[[steps]]\naction = 'replay'\n"
        "[[steps.narration.jwt]]\nwhen = { revocation = 'token-version' }\n"
        "text = 'The server refuses the copy with 401.'\n"
    )
    scenario = parse_scenario(text, "planted", "planted.toml")
    (step,) = scenario.steps_for("jwt")
    found = list(problems(step.variants[0].text, step.variants[0].when, "jwt"))
    assert any("status 401" in p for p in found)
    assert any("an outcome" in p for p in found)
    fixed = {"revocation": "token-version", "status": "401", "attacker_holds": "access_token"}
    assert not list(problems(step.variants[0].text, fixed, "jwt"))
