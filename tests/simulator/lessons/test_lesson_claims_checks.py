"""claims-checks: a token minted for another service is refused only where aud is checked."""

from __future__ import annotations

import base64
import json

import pytest
from lesson_trace import app_statuses, attack, requests, run, step_index, verdicts

from authflow.simulator.trace.trace import Trace


def _decoded(token: str) -> tuple[dict[str, object], dict[str, object]]:
    def part(segment: str) -> dict[str, object]:
        return dict(json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))))

    header, payload, _sig = token.split(".")
    return part(header), part(payload)


def _replayed(t: Trace) -> str:
    return str(attack(t, step_index(t, "audience_replay"))["stolen"]["other_service_token"])


def _own_token(t: Trace) -> str:
    request = requests(t, step_index(t, "profile"), "/api/profile")[0]
    return next(
        str(v).removeprefix("Bearer ")
        for n, v in request.detail["headers"]
        if n.lower() == "authorization"
    )


@pytest.mark.parametrize("mode", ["jwt", "hybrid"])
def test_the_other_services_token_differs_only_in_aud(mode: str) -> None:
    t = run("claims-checks", mode)
    own_header, own = _decoded(_own_token(t))
    other_header, other = _decoded(_replayed(t))
    assert own["aud"] == "https://app.example/api"
    assert other["aud"] == "https://reports.example"
    assert other["iss"] == own["iss"] == "https://app.example"
    assert other["sub"] == own["sub"] == "alice"
    assert other_header == own_header  # same key (kid), same alg, same typ
    assert app_statuses(t, step_index(t, "profile")) == [200]


@pytest.mark.parametrize("mode", ["jwt", "hybrid"])
def test_a_server_that_checks_aud_refuses_it(mode: str) -> None:
    t = run("claims-checks", mode)
    result = attack(t, step_index(t, "audience_replay"))
    assert result["status"] == 401
    assert result["success"] is False
    assert result["reason"] == (
        "aud 'https://reports.example': this API is https://app.example/api"
    )


@pytest.mark.parametrize("mode", ["jwt", "hybrid"])
def test_a_server_that_skips_aud_takes_it_as_alice(mode: str) -> None:
    t = run("claims-checks", mode, check_aud="false")
    i = step_index(t, "audience_replay")
    result = attack(t, i)
    assert result["status"] == 200
    assert result["success"] is True
    assert verdicts(t, i, "jwt")[-1]["user"] == "alice"


def test_session_mode_hands_out_no_token_to_replay() -> None:
    t = run("claims-checks", "session")
    result = attack(t, step_index(t, "audience_replay"))
    assert result["status"] is None
    assert result["stolen"] == {}
