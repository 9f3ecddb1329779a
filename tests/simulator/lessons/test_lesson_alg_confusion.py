"""alg-confusion: HS256 signed with the public key works only on a header-trusting server."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from lesson_trace import attack, events, run, step_index, verdicts

from authflow.simulator.lessons.scenarios import load_scenario
from authflow.simulator.trace.trace import Trace


def _segments(token: str) -> tuple[dict[str, object], dict[str, object], bytes]:
    def raw(segment: str) -> bytes:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))

    h, p, s = token.split(".")
    return json.loads(raw(h)), json.loads(raw(p)), raw(s)


def _forged(t: Trace) -> str:
    return str(attack(t, step_index(t, "alg_confusion"))["forged"]["access_token"])


def _published_pem(t: Trace) -> str:
    """The public key as the attacker downloaded it, from the JWKS response in the trace."""
    i = step_index(t, "alg_confusion")
    jwks = next(
        e.detail["body"]
        for e in events(t, i, "response")
        if isinstance(e.detail["body"], dict) and "keys" in e.detail["body"]
    )
    (jwk,) = jwks["keys"]
    algorithm = jwt.algorithms.RSAAlgorithm if jwk["kty"] == "RSA" else jwt.algorithms.ECAlgorithm
    key = algorithm.from_jwk(json.dumps(jwk))
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


@pytest.mark.parametrize("mode", ["jwt", "hybrid"])
def test_the_forged_token_is_hs256_keyed_with_the_published_public_key(mode: str) -> None:
    t = run("alg-confusion", mode)
    token = _forged(t)
    header, claims, signature = _segments(token)
    assert header["alg"] == "HS256"
    assert header["kid"] == "key-1"
    assert (claims["sub"], claims["role"]) == ("carol", "admin")
    pem = _published_pem(t)
    assert pem == t.server["public_pem"]  # what the server holds is what it published
    signing_input = token.rsplit(".", 1)[0].encode()
    assert signature == hmac.new(pem.encode(), signing_input, hashlib.sha256).digest()
    # PyJWT itself will not use a PEM key as an HMAC secret, as the lesson says.
    with pytest.raises(jwt.InvalidKeyError):
        jwt.decode(token, pem, algorithms=["HS256"])
    assert "PyJWT" in load_scenario("alg-confusion").summary


@pytest.mark.parametrize("mode", ["jwt", "hybrid"])
@pytest.mark.parametrize("algorithm", ["RS256", "ES256"])
def test_a_pinned_algorithm_refuses_it(mode: str, algorithm: str) -> None:
    t = run("alg-confusion", mode, algorithm=algorithm)
    result = attack(t, step_index(t, "alg_confusion"))
    assert result["status"] == 401
    assert result["success"] is False
    assert result["reason"] == f"algorithm HS256 refused: the server accepts only {algorithm}"


@pytest.mark.parametrize("mode", ["jwt", "hybrid"])
@pytest.mark.parametrize("algorithm", ["RS256", "ES256"])
def test_a_header_trusting_server_accepts_it_as_carol(mode: str, algorithm: str) -> None:
    t = run("alg-confusion", mode, algorithm=algorithm, pin_algorithm="false")
    i = step_index(t, "alg_confusion")
    result = attack(t, i)
    assert result["status"] == 200
    assert result["success"] is True
    assert verdicts(t, i, "jwt")[-1]["user"] == "carol"
    assert result["reason"] == (
        "carol: signature valid under HS256, the algorithm the header named"
    )


def test_with_hs256_there_is_no_public_key_to_sign_with() -> None:
    t = run("alg-confusion", "jwt", algorithm="HS256", pin_algorithm="false")
    result = attack(t, step_index(t, "alg_confusion"))
    assert result["status"] is None
    assert result["success"] is False


@pytest.mark.parametrize("pin", ["true", "false"])
def test_kid_injection_is_refused_under_either_setting(pin: str) -> None:
    t = run("alg-confusion", "jwt", pin_algorithm=pin)
    i = step_index(t, "forge_kid")
    result = attack(t, i)
    header, _claims, _sig = _segments(str(result["forged"]["access_token"]))
    assert header["kid"] == "../../../../dev/null"
    assert result["status"] == 401
    assert str(result["reason"]).startswith("unknown kid '../../../../dev/null'")
