"""`authflow trace` and `authflow scenarios` as a user types them."""

from __future__ import annotations

import json
from typing import Any

import factories
import pytest

from authflow.app.cli import main

FAST = [arg for key, value in factories.FAST.items() for arg in ("--set", f"{key}={value}")]
"""The command line's flags for cheap logins."""


def test_json_is_one_event_per_line_with_the_documented_fields(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert (
        main(["trace", "basics", "--mode", "session", "--format", "json", "--seed", "4", *FAST])
        == 0
    )
    lines = capsys.readouterr().out.splitlines()
    events = [json.loads(line) for line in lines]
    assert [e["seq"] for e in events] == list(range(len(events)))
    for e in events:
        assert {"seq", "t", "kind", "src", "dst", "label", "detail", "explain", "state"} <= set(e)
        assert {"cookies", "local_storage", "memory"} <= set(e["state"]["browser"])
        assert "counters" in e["state"]
        assert "store" in e["state"]
    request = next(e for e in events if e["kind"] == "request" and e["label"] == "GET /api/profile")
    assert request["detail"]["method"] == "GET"
    assert ["Cookie", request["detail"]["headers"][-1][1]] in request["detail"]["headers"]
    cookie = request["state"]["browser"]["cookies"][0]
    assert {
        "name",
        "value",
        "domain",
        "path",
        "expires",
        "http_only",
        "secure",
        "same_site",
    } <= set(cookie)
    assert cookie["expires"] is None
    assert cookie["same_site"] == "Lax"
    store = next(e for e in events if e["kind"] == "store" and e["detail"]["command"] == "SET")
    assert store["detail"]["key"].startswith("sess:")


def test_same_seed_twice_identical_json(capsys: pytest.CaptureFixture[str]) -> None:
    main(["trace", "expiry", "--mode", "hybrid", "--format", "json", "--seed", "9", *FAST])
    first = capsys.readouterr().out
    main(["trace", "expiry", "--mode", "hybrid", "--format", "json", "--seed", "9", *FAST])
    assert capsys.readouterr().out == first


def test_mermaid_has_an_arrow_per_request_and_response(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["trace", "basics", "--mode", "jwt", "--format", "mermaid", "--seed", "1", *FAST])
    text = capsys.readouterr().out
    assert text.startswith("sequenceDiagram")
    assert text.count("browser->>server: ") == 4
    assert text.count("server-->>browser: ") == 4


def test_set_changes_the_outcome(capsys: pytest.CaptureFixture[str]) -> None:
    def csrf(same_site: str) -> list[dict[str, Any]]:
        argv = ["trace", "csrf", "--mode", "session", "--format", "json"]
        assert main([*argv, "--set", f"same_site={same_site}", *FAST]) == 0
        return [json.loads(line) for line in capsys.readouterr().out.splitlines()]

    for same_site, rides in (("None", True), ("Strict", False)):
        events = csrf(same_site)
        (sid,) = [c for c in events[-1]["state"]["browser"]["cookies"] if c["name"] == "sid"]
        assert sid["same_site"] == same_site
        (attack,) = [e for e in events if e["kind"] == "attack"]
        assert attack["detail"]["success"] is rides
        forged = [
            e
            for e in events
            if e["kind"] == "request"
            and e["step"] == attack["step"]
            and "/api/transfer" in e["label"]
        ]
        assert forged
        carried = {c["name"] for e in forged for c in e["detail"]["carries"]}
        assert ("sid" in carried) is rides


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["trace", "nope"], "valid lessons: alg-none, basics"),
        (["trace", "basics", "--mode", "cookie"], "choose from session|jwt|hybrid"),
        (["trace", "basics", "--format", "xml"], "choose from text|json|mermaid|har"),
        (["trace", "basics", "--set", "colour=blue"], "valid settings: same_site"),
        (["trace", "basics", "--set", "same_site=Loose"], "choose from Strict|Lax|None"),
        (["trace", "basics", "--set", "servers=9"], "out of range"),
        (["trace", "basics", "--set", "oops"], "KEY=VALUE"),
        (["trace", "basics", "--seed", "x"], "--seed must be an integer"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(
    argv: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert needle in err
    assert err.count("\n") == 1


def test_help_lists_every_setting_with_its_default(capsys: pytest.CaptureFixture[str]) -> None:
    from authflow.simulator.config.settings import SETTINGS

    with pytest.raises(SystemExit):
        main(["trace", "--help"])
    out = capsys.readouterr().out
    for s in SETTINGS:
        assert s.key in out
        assert f"[{s.default}]" in out


def test_help_lists_every_action(capsys: pytest.CaptureFixture[str]) -> None:
    from authflow.simulator.actions.catalogue import CATALOGUE

    with pytest.raises(SystemExit):
        main(["trace", "--help"])
    out = capsys.readouterr().out
    for spec in CATALOGUE:
        assert f"  {spec.name} " in out


def test_scenarios_lists_names_and_titles(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    assert "basics" in out
    assert "Basics: log in, look, log out" in out
