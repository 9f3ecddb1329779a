"""The attacker's offline toolkit: what a tampered, forged or cracked credential is.

Each function's output is what the attacker then sends, so these pin what goes out on
the wire; whether it works is the server's business (tests/simulator/actions)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import jwt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from authflow.simulator.attacker.forgery import (
    WEAK_SECRETS,
    b64url,
    b64url_decode,
    crack_jwt,
    crack_sid,
    forged_claims,
    hs256_sign,
    json_segment,
    tamper_sid,
)
from authflow.simulator.server.auth_session import session_signer


def _signed(secret: str, alg: str = "HS256") -> str:
    """A token signed here with the standard library (PyJWT warns on a short key)."""

    def segment(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    head = segment(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    body = segment(b'{"sub":"bob"}')
    digest = hashlib.sha256 if alg == "HS256" else hashlib.sha512
    mac = hmac.new(secret.encode(), f"{head}.{body}".encode(), digest).digest()
    return f"{head}.{body}.{segment(mac)}"


@given(st.binary(max_size=64))
def test_base64url_segments_round_trip_without_padding(data: bytes) -> None:
    segment = b64url(data)
    assert "=" not in segment
    assert b64url_decode(segment) == data


def test_a_segment_ending_in_x_keeps_it() -> None:
    # "X" is a base64 digit as much as any: only the "=" padding is dropped.
    assert b64url(b"\xff\xf5\xd7") == "__XX"
    assert b64url_decode("__XX") == b"\xff\xf5\xd7"


def test_an_hs256_signature_made_offline_is_one_pyjwt_accepts() -> None:
    key = "a key of more than thirty-two bytes, with an ä"
    header, payload = json_segment({"alg": "HS256", "typ": "JWT"}), json_segment({"sub": "x"})
    token = f"{header}.{payload}.{hs256_sign(f'{header}.{payload}', key)}"
    assert jwt.decode(token, key, algorithms=["HS256"]) == {"sub": "x"}


def test_a_forged_token_lives_an_hour_and_claims_what_the_attacker_chose() -> None:
    issuer, audience = "https://app.example", "https://app.example/api"
    assert forged_claims("carol", "admin", 1_000, "j1", issuer, audience) == {
        "iss": issuer,
        "aud": audience,
        "sub": "carol",
        "role": "admin",
        "iat": 1_000,
        "exp": 4_600,
        "jti": "j1",
    }


@pytest.mark.parametrize(
    ("signed", "tampered"),
    [
        ("9b81a.SIG", "9b810.SIG"),  # the id's last character, the signature kept
        ("9b810.SIG", "9b811.SIG"),  # an id ending in 0 still changes
        ("a.b.SIG", "a.0.SIG"),  # the signature is what follows the last dot
        ("nodot", "nodo0"),  # no signature to keep: the value itself changes
        ("nodo0", "nodo1"),
        (".SIG", ".SI0"),  # an empty id: nothing to edit before the dot
    ],
)
def test_tampering_a_sid_edits_one_character_before_the_signature(
    signed: str, tampered: str
) -> None:
    assert tamper_sid(signed) == tampered


@pytest.mark.parametrize("n", [0, 3, len(WEAK_SECRETS) - 1])
def test_cracking_reports_the_secret_and_how_many_guesses_it_took(n: int) -> None:
    secret = WEAK_SECRETS[n]
    assert crack_jwt(_signed(secret)) == (secret, n + 1)
    assert crack_sid(session_signer(secret).sign("ab12").decode()) == (secret, n + 1)


def test_a_secret_off_the_list_costs_every_guess() -> None:
    assert crack_jwt(_signed("correct-horse")) == (None, len(WEAK_SECRETS))
    assert crack_sid(session_signer("correct-horse").sign("ab12").decode()) == (
        None,
        len(WEAK_SECRETS),
    )


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",  # not three segments
        "@@@.e30.sig",  # a header that is not base64url JSON
        _signed("secret", "HS512"),  # not HS256
        f"{json_segment({'alg': 'none'})}.{json_segment({'sub': 'bob'})}.",
    ],
)
def test_no_guess_is_tried_on_a_token_that_cannot_be_checked_offline(token: str) -> None:
    assert crack_jwt(token) == (None, 0)
