"""Narration variants: how a lesson writes them, and which words a run shows."""

from __future__ import annotations

import json

import pytest

from authflow.simulator.lessons.narration import RULES_MARK
from authflow.simulator.lessons.scenarios import ScenarioError, parse_scenario, run_scenario
from tests.factories import FAST

LESSON = """
title = "Replay"
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
when = { status = 401, revocation = ["denylist", "token-version"] }
text = "Refused: 401."
[[steps.narration.jwt]]
when = { status = 200, not = { revocation = ["denylist", "token-version"] } }
text = "Accepted: 200, nothing on the server tracks the token."
"""


def notes(trace: object) -> list[dict[str, object]]:
    lines = [json.loads(json.dumps(e.to_json())) for e in trace.events]  # type: ignore[attr-defined]
    return [e for e in lines if e["kind"] == "note" and "action" in e["detail"]]


def test_the_first_variant_whose_facts_hold_is_shown_and_carried_in_the_note() -> None:
    scenario = parse_scenario(LESSON, "replay", "replay.toml")
    trace = run_scenario(scenario, "jwt", FAST)
    replay = notes(trace)[2]
    assert replay["detail"]["narration"] == "Accepted: 200, nothing on the server tracks the token."
    assert replay["detail"]["narration_source"] == "written"
    assert replay["explain"] == replay["detail"]["narration"]
    assert trace.steps[2].narration == replay["detail"]["narration"]


def test_no_variant_holds_so_the_rules_explain_it_visibly_marked() -> None:
    """Logout revokes nothing with a denylist here (the replay comes before any logout),
    so the copy gets 200 with revocation = denylist: neither variant holds."""
    scenario = parse_scenario(LESSON, "replay", "replay.toml")
    trace = run_scenario(scenario, "jwt", {**FAST, "revocation": "denylist"})
    replay = notes(trace)[2]
    assert replay["detail"]["narration_source"] == "rules"
    text = str(replay["detail"]["narration"])
    assert text.startswith(RULES_MARK)
    assert "200" in text  # the rules tell what happened: the server's answer


def test_plain_texts_and_labels_say_where_they_come_from() -> None:
    text = (
        "title = 'x'\n[[steps]]\naction = 'login'\nnarration = 'Hi.'\n"
        "[[steps]]\naction = 'profile'\n"
    )
    trace = run_scenario(parse_scenario(text, "x", "x.toml"), "session", FAST)
    first, second = notes(trace)
    assert (first["detail"]["narration"], first["detail"]["narration_source"]) == ("Hi.", "written")
    assert second["detail"]["narration_source"] == "label"
    assert second["detail"]["narration"] == second["explain"] == "User opens the profile."


@pytest.mark.parametrize(
    ("variants", "where"),
    [
        ("[[steps.narration.jwt]]\ntext = 3\n", r"steps\[1\]\.narration\.jwt\[1\]"),
        ("[[steps.narration.jwt]]\ntext = 'x'\nwhen = { colour = 'red' }\n", "unknown fact"),
        ("[[steps.narration.jwt]]\ntext = 'x'\nwhen = { status = {a = 1} }\n", "status"),
        ("[[steps.narration.jwt]]\ntext = 'x'\nif = 'y'\n", "unknown key 'if'"),
        ("[steps.narration]\njwt = []\n", "array of tables"),
    ],
)
def test_a_malformed_variant_names_the_place(variants: str, where: str) -> None:
    text = f"title = 'x'\n[[steps]]\naction = 'login'\n{variants}"
    with pytest.raises(ScenarioError, match=where):
        parse_scenario(text, "x", "x.toml")
