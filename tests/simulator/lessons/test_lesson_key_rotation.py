"""key-rotation: tokens name their key by kid; the old key verifies until it is retired."""

from __future__ import annotations

import json
from typing import Any

import jwt
import pytest
from lesson_trace import app_statuses, attack, events, requests, run, step_index

from authflow.simulator.trace.trace import Trace


def _jwks(t: Trace, nth: int) -> list[dict[str, Any]]:
    i = step_index(t, "fetch_jwks", nth)
    (response,) = [e for e in events(t, i, "response") if e.dst == "browser"]
    assert response.detail["status"] == 200
    return list(response.detail["body"]["keys"])


def _tokens_sent(t: Trace, step: int) -> list[str]:
    out = []
    for request in requests(t, step, "/api/profile"):
        for name, value in request.detail["headers"]:
            if name.lower() == "authorization":
                out.append(str(value).removeprefix("Bearer "))
    return out


def _public_key(jwk: dict[str, Any]) -> Any:
    return jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(jwk))


def _verifies(token: str, jwk: dict[str, Any]) -> bool:
    try:
        jwt.decode(
            token,
            _public_key(jwk),
            algorithms=["RS256"],
            options={"verify_exp": False, "verify_aud": False, "verify_iat": False},
        )
    except jwt.InvalidSignatureError:
        return False
    return True


@pytest.mark.parametrize("mode", ["jwt", "hybrid"])
def test_rotation_publishes_the_new_key_beside_the_old(mode: str) -> None:
    t = run("key-rotation", mode)
    before, after = _jwks(t, 1), _jwks(t, 2)
    assert [k["kid"] for k in before] == ["key-1"]
    assert [k["kid"] for k in after] == ["key-2", "key-1"]
    assert after[1] == before[0]
    assert after[0]["n"] != after[1]["n"]  # a new RSA key, not the old one renamed
    assert {k["kty"] for k in after} == {"RSA"}


def _kid(token: str) -> str:
    return str(jwt.get_unverified_header(token)["kid"])


@pytest.mark.parametrize("mode", ["jwt", "hybrid"])
def test_the_old_key_verifies_while_published(mode: str) -> None:
    t = run("key-rotation", mode)
    old_key, new_key = _jwks(t, 2)[1], _jwks(t, 2)[0]
    kept = step_index(t, "profile", 1)
    (token,) = _tokens_sent(t, kept)
    assert _kid(token) == "key-1"
    assert _verifies(token, old_key)
    assert not _verifies(token, new_key)
    assert app_statuses(t, kept) == [200]


@pytest.mark.parametrize("mode", ["jwt", "hybrid"])
def test_tokens_issued_after_the_rotation_name_the_new_key(mode: str) -> None:
    t = run("key-rotation", mode)
    new_key = _jwks(t, 2)[0]
    after = step_index(t, "profile", 2)
    (token,) = _tokens_sent(t, after)
    assert _kid(token) == "key-2"
    assert _verifies(token, new_key)
    assert app_statuses(t, after) == [200]


@pytest.mark.parametrize("mode", ["jwt", "hybrid"])
def test_retiring_the_old_key_ends_its_tokens(mode: str) -> None:
    t = run("key-rotation", mode)
    i = step_index(t, "replay")
    result = attack(t, i)
    copy = events(t, i, "attack")[0].state.attacker["access_token"]
    assert _kid(copy) == "key-1"
    assert any(copy in str(v) for _n, v in requests(t, i)[0].detail["headers"])
    assert result["status"] == 401
    assert result["reason"] == "unknown kid 'key-1': the server publishes only key-2"


@pytest.mark.parametrize("mode", ["jwt", "hybrid"])
def test_an_unknown_kid_is_refused(mode: str) -> None:
    t = run("key-rotation", mode)
    result = attack(t, step_index(t, "forge_kid"))
    assert result["status"] == 401
    assert result["reason"] == "unknown kid 'key-7': the server publishes only key-2"


def test_hs256_keys_rotate_but_are_never_published() -> None:
    t = run("key-rotation", "jwt", algorithm="HS256")
    assert _jwks(t, 1) == _jwks(t, 2) == []
    assert app_statuses(t, step_index(t, "profile", 1)) == [200]
    assert app_statuses(t, step_index(t, "profile", 2)) == [200]
    assert attack(t, step_index(t, "replay"))["status"] == 401
