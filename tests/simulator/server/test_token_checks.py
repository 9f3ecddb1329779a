"""The JWT checks a server runs after the signature: kid, typ, iss, aud and the time
claims on its own clock with a leeway; and the header-trusting model's rules."""

from __future__ import annotations

import json
from typing import Any

import pytest

from authflow.simulator.attacker.forgery import b64url, b64url_decode, hs256_sign, json_segment
from authflow.simulator.config.entropy import Entropy
from authflow.simulator.server.jwt_tokens import JwtIssuer, JwtPolicy
from authflow.simulator.server.keyring import KeyRing
from authflow.simulator.server.keys import make_keys

NOW = 1_767_258_000
ISS = "https://app.example"
AUD = "https://app.example/api"


def _issuer(algorithm: str = "HS256", **policy: Any) -> JwtIssuer:
    entropy = Entropy(4)
    ring = KeyRing(
        make_keys(algorithm, "random", entropy),
        lambda g: make_keys(algorithm, "random", entropy, g),
    )
    return JwtIssuer(ring, entropy, JwtPolicy(ISS, AUD, **policy))


def _claims(**changes: Any) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "iss": ISS,
        "sub": "alice",
        "aud": AUD,
        "role": "user",
        "iat": NOW,
        "exp": NOW + 900,
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def _signed(issuer: JwtIssuer, header: dict[str, Any], claims: dict[str, Any]) -> str:
    """A token signed with the issuer's current HS256 secret and this exact header."""
    signing_input = f"{json_segment(header)}.{json_segment(claims)}"
    return f"{signing_input}.{hs256_sign(signing_input, issuer.keys.secret_text)}"


def _reason(issuer: JwtIssuer, token: str, now: float = NOW) -> str:
    claims, why = issuer.verify(token, now)
    return why if claims is None else f"ok: {why}"


HEADER = {"alg": "HS256", "typ": "JWT", "kid": "key-1"}


def test_a_token_the_server_issued_verifies_with_iss_aud_and_kid() -> None:
    issuer = _issuer()
    token = issuer.issue("alice", "user", 900, NOW)
    assert _reason(issuer, token) == "ok: valid"
    assert json.loads(b64url_decode(token.split(".")[0]))["kid"] == "key-1"


@pytest.mark.parametrize(
    ("header", "claims", "reason"),
    [
        ({**HEADER, "typ": "id+jwt"}, _claims(), "typ 'id+jwt' refused"),
        (HEADER, _claims(iss="https://evil.example"), "iss 'https://evil.example': the server"),
        (HEADER, _claims(iss=None), "no iss: the server trusts only tokens from"),
        (HEADER, _claims(aud="https://reports.example"), "aud 'https://reports.example'"),
        (HEADER, _claims(aud=None), "no aud: this API is https://app.example/api"),
        ({**HEADER, "kid": "key-9"}, _claims(), "unknown kid 'key-9'"),
        (HEADER, _claims(iat=None), "missing claim: iat"),
        (HEADER, _claims(nbf=NOW + 5), "not yet valid: nbf is 5 s ahead"),
        (HEADER, _claims(iat="soon"), "invalid token: iat is not a number"),
    ],
)
def test_each_check_refuses_with_its_reason(
    header: dict[str, Any], claims: dict[str, Any], reason: str
) -> None:
    issuer = _issuer()
    assert _reason(issuer, _signed(issuer, header, claims)).startswith(reason)


def test_an_audience_list_naming_the_api_passes_and_check_aud_false_skips_it() -> None:
    issuer = _issuer()
    listed = _signed(issuer, HEADER, _claims(aud=["https://reports.example", AUD]))
    assert _reason(issuer, listed) == "ok: valid"
    other = _signed(issuer, HEADER, _claims(aud="https://reports.example"))
    assert _reason(_issuer(check_aud=False), other) == "ok: valid"


def test_a_token_without_kid_is_checked_with_the_current_key() -> None:
    issuer = _issuer()
    header = {"alg": "HS256", "typ": "JWT"}
    assert _reason(issuer, _signed(issuer, header, _claims())) == "ok: valid"


@pytest.mark.parametrize(
    ("leeway", "now", "reason"),
    [
        (0, NOW + 899, "ok: valid"),
        (0, NOW + 900, "expired 0 s ago"),
        (30, NOW + 929, "ok: expired 29 s ago, within the 30 s leeway"),
        (30, NOW + 930, "expired 30 s ago, beyond the 30 s leeway"),
        (0, NOW - 1, "not yet valid: iat is 1 s ahead of this server's clock"),
        (30, NOW - 30, "ok: not yet valid: iat is 30 s ahead of this server's clock, within"),
        (30, NOW - 31, "not yet valid: iat is 31 s ahead of this server's clock, beyond"),
    ],
)
def test_time_claims_are_judged_on_the_servers_clock_with_the_leeway(
    leeway: int, now: int, reason: str
) -> None:
    issuer = _issuer(leeway=leeway)
    token = issuer.issue("alice", "user", 900, NOW)
    assert _reason(issuer, token, now).startswith(reason)


def test_a_rotated_ring_signs_with_the_new_key_and_still_verifies_the_old() -> None:
    issuer = _issuer()
    old = issuer.issue("alice", "user", 900, NOW)
    issuer.ring.rotate()
    new = issuer.issue("alice", "user", 900, NOW)
    assert issuer.keys.secret_text != issuer.ring.published[1].keys.secret_text
    assert _reason(issuer, old) == _reason(issuer, new) == "ok: valid"
    issuer.ring.retire()
    assert _reason(issuer, old).startswith("unknown kid 'key-1'")
    assert _reason(issuer, new) == "ok: valid"


def _unsigned(claims: dict[str, Any], signature: bytes = b"") -> str:
    header = {"alg": "none", "typ": "JWT", "kid": "key-1"}
    return f"{json_segment(header)}.{json_segment(claims)}.{b64url(signature)}"


def test_a_header_trusting_server_takes_alg_none_and_a_pinned_one_does_not() -> None:
    token = _unsigned(_claims())
    assert _reason(_issuer(pin_algorithm=False), token) == (
        "ok: no signature checked: the header said alg none"
    )
    assert _reason(_issuer(), token) == "algorithm none refused: the server accepts only HS256"
    signed = _unsigned(_claims(), b"x")
    assert _reason(_issuer(pin_algorithm=False), signed).startswith("bad signature")


@pytest.mark.parametrize("algorithm", ["HS256", "ES256"])
def test_a_header_trusting_server_still_verifies_its_own_tokens(algorithm: str) -> None:
    issuer = _issuer(algorithm, pin_algorithm=False)
    token = issuer.issue("alice", "user", 900, NOW)
    assert _reason(issuer, token) == (
        f"ok: signature valid under {algorithm}, the algorithm the header named"
    )
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert _reason(issuer, tampered).startswith("bad signature")
