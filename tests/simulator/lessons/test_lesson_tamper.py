"""tamper: an edited JWT payload or sid cookie fails its signature check."""

from __future__ import annotations

import base64
import json

import pytest
from lesson_trace import attack, header, requests, run, step_index, verdicts


def _payload(token: str) -> dict[str, object]:
    segment = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))))


@pytest.mark.parametrize("mode", ["jwt", "hybrid"])
def test_role_admin_breaks_the_signature(mode: str) -> None:
    t = run("tamper", mode)
    i = step_index(t, "tamper")
    result = attack(t, i)
    original = str(result["original"]["access_token"])
    tampered = str(result["tampered"]["access_token"])
    assert _payload(original)["sub"] == "bob"
    assert _payload(original)["role"] == "user"
    assert _payload(tampered)["role"] == "admin"
    assert tampered.split(".")[2] == original.split(".")[2], "the old signature is kept"
    sent = requests(t, i, "/api/profile")[0]
    assert header(sent, "Authorization") == f"Bearer {tampered}"
    assert result["status"] == 401
    assert result["success"] is False
    assert str(result["reason"]).startswith("bad signature")
    assert verdicts(t, i, "jwt")[-1]["ok"] is False


def test_tampered_session_cookie_is_refused() -> None:
    t = run("tamper", "session")
    i = step_index(t, "tamper")
    result = attack(t, i)
    assert result["tampered"]["sid"] != result["original"]["sid"]
    sent = requests(t, i, "/api/profile")[0]
    assert header(sent, "Cookie") == f"sid={result['tampered']['sid']}"
    assert result["status"] == 401
    assert "signature is invalid" in str(result["reason"])


def test_tampering_a_cookie_borne_jwt_is_refused_too() -> None:
    t = run("tamper", "jwt", token_storage="cookie")
    i = step_index(t, "tamper")
    result = attack(t, i)
    sent = requests(t, i, "/api/profile")[0]
    assert header(sent, "Cookie") == f"access_token={result['tampered']['access_token']}"
    assert result["status"] == 401
    assert str(result["reason"]).startswith("bad signature")
