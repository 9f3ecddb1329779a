"""alg-none: an unsigned token is refused because the server pins its algorithm."""

from __future__ import annotations

import base64
import json

import pytest
from lesson_trace import attack, header, requests, run, step_index


def _header(token: str) -> dict[str, object]:
    segment = token.split(".")[0]
    return dict(json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))))


@pytest.mark.parametrize("mode", ["jwt", "hybrid"])
def test_alg_none_is_refused_with_the_reason(mode: str) -> None:
    t = run("alg-none", mode)
    i = step_index(t, "forge_none")
    result = attack(t, i)
    token = str(result["forged"]["access_token"])
    assert _header(token)["alg"] == "none"
    assert token.endswith(".")
    assert header(requests(t, i)[0], "Authorization") == f"Bearer {token}"
    assert result["status"] == 401
    assert result["success"] is False
    assert result["reason"] == "algorithm none refused: the server accepts only HS256"


def test_pinned_algorithm_follows_the_setting() -> None:
    t = run("alg-none", "jwt", algorithm="ES256")
    result = attack(t, step_index(t, "forge_none"))
    assert result["reason"] == "algorithm none refused: the server accepts only ES256"


def test_unsigned_session_cookie_is_refused() -> None:
    t = run("alg-none", "session")
    result = attack(t, step_index(t, "forge_none"))
    assert result["status"] == 401
    assert "signature is invalid" in str(result["reason"])


@pytest.mark.parametrize("mode", ["jwt", "hybrid"])
def test_a_server_that_trusts_the_header_takes_the_unsigned_token(mode: str) -> None:
    t = run("alg-none", mode, pin_algorithm="false")
    result = attack(t, step_index(t, "forge_none"))
    assert result["status"] == 200
    assert result["success"] is True
    assert result["reason"] == "carol: no signature checked: the header said alg none"
