"""simulator/analysis/token_report.py: JWT and signed-cookie parts and verdicts, sim clock."""

from __future__ import annotations

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import given
from hypothesis import strategies as st
from itsdangerous import Signer, TimestampSigner

from authflow.simulator.analysis.token_report import (
    NONE_ALG_REASON,
    b64url_encode,
    decode_jwt,
    encode_segment,
    inspect_signed_cookie,
    looks_like_jwt,
    reencode_jwt,
    resign_jwt,
    verify_jwt,
)

SECRET = "s3cret-key-for-tests-0123456789abcdef"
CLAIMS = {"sub": "alice", "role": "user", "iat": 0, "exp": 900, "jti": "j1"}


def make(claims: dict[str, object] = CLAIMS, key: str = SECRET, alg: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=alg)


def test_decode_splits_three_parts() -> None:
    parts = decode_jwt(make())
    assert parts.ok
    assert parts.header == {"alg": "HS256", "typ": "JWT"}
    assert parts.payload == CLAIMS
    assert parts.signature is not None
    assert len(parts.signature) == 32
    assert parts.alg == "HS256"


def test_decode_accepts_bearer_prefix_and_whitespace() -> None:
    assert decode_jwt(f"  Bearer {make()}\n").payload == CLAIMS


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("", "malformed: a JWT has 3 parts separated by 2 dots; this has 0 dots"),
        ("abc.def", "malformed: a JWT has 3 parts separated by 2 dots; this has 1 dot"),
        ("a.b.c.d", "malformed: a JWT has 3 parts separated by 2 dots; this has 3 dots"),
        ("!!.e30.", "malformed: header contains characters outside base64url (A-Z a-z 0-9 - _)"),
        ("e30.bm90IGpzb24.", "malformed: payload is not JSON"),
        (f"{b64url_encode(b'[1]')}.e30.", "malformed: header is JSON but not an object"),
        ("e30.e30.", "malformed: header has no alg"),
        (f"{b64url_encode(bytes([255]))}.e30.", "malformed: header is not UTF-8 text"),
    ],
)
def test_malformed_tokens_get_a_reason(token: str, reason: str) -> None:
    parts = decode_jwt(token)
    assert parts.error == reason
    verdict = verify_jwt(token, SECRET, ["HS256"], now=0)
    assert not verdict.ok
    assert verdict.reason == reason


def test_valid_token_is_valid_on_the_simulated_clock() -> None:
    verdict = verify_jwt(make(), SECRET, ["HS256"], now=300)
    assert verdict.ok
    assert verdict.reason == "valid"


def test_expired_token_says_how_long_ago() -> None:
    verdict = verify_jwt(make(), SECRET, ["HS256"], now=960)
    assert not verdict.ok
    assert verdict.reason == "expired 60 s ago"


def test_exp_equal_to_now_is_expired_like_pyjwt() -> None:
    assert verify_jwt(make(), SECRET, ["HS256"], now=900).reason == "expired 0 s ago"


def test_not_yet_valid_and_future_iat() -> None:
    nbf = make({**CLAIMS, "nbf": 100})
    assert verify_jwt(nbf, SECRET, ["HS256"], now=40).reason == "not yet valid (nbf in 60 s)"
    future = make({**CLAIMS, "iat": 50})
    assert (
        verify_jwt(future, SECRET, ["HS256"], now=0).reason == "issued in the future (iat in 50 s)"
    )


def test_non_numeric_exp_is_malformed() -> None:
    token = make({**CLAIMS, "exp": "tomorrow"})
    assert verify_jwt(token, SECRET, ["HS256"], now=0).reason == "malformed: exp is not a number"


def test_tampered_payload_has_bad_signature() -> None:
    tampered = reencode_jwt(make(), {**CLAIMS, "role": "admin"})
    assert decode_jwt(tampered).payload == {**CLAIMS, "role": "admin"}
    assert verify_jwt(tampered, SECRET, ["HS256"], now=0).reason == "bad signature"


def test_wrong_key_has_bad_signature() -> None:
    token = make(key="another-secret-of-enough-length-000000")
    assert verify_jwt(token, SECRET, ["HS256"], now=0).reason == "bad signature"


def test_resigned_with_the_real_secret_is_valid() -> None:
    parts = decode_jwt(make())
    assert parts.header is not None
    forged = resign_jwt(parts.header, {**CLAIMS, "role": "admin"}, SECRET)
    assert verify_jwt(forged, SECRET, ["HS256"], now=0).ok


def test_resign_with_short_key_does_not_warn() -> None:
    token = resign_jwt({"alg": "HS256"}, CLAIMS, "short")
    assert verify_jwt(token, "short", ["HS256"], now=0).ok


def test_resign_with_unusable_key_raises_value_error() -> None:
    with pytest.raises(ValueError, match="cannot sign with alg=RS256"):
        resign_jwt({"alg": "RS256"}, CLAIMS, "not a pem key")
    with pytest.raises(ValueError, match="cannot sign with alg=XX1"):
        resign_jwt({"alg": "XX1"}, CLAIMS, SECRET)


def test_alg_none_is_never_accepted() -> None:
    forged = f"{encode_segment({'alg': 'none', 'typ': 'JWT'})}.{encode_segment(CLAIMS)}."
    parts = decode_jwt(forged)
    assert parts.ok
    assert parts.signature == b""
    assert verify_jwt(forged, SECRET, ["HS256"], now=0).reason == NONE_ALG_REASON
    upper = f"{encode_segment({'alg': 'None'})}.{encode_segment(CLAIMS)}."
    assert verify_jwt(upper, SECRET, ["HS256"], now=0).reason == NONE_ALG_REASON


def test_unpinned_algorithm_is_wrong_algorithm() -> None:
    token = make(key=SECRET * 2, alg="HS512")
    assert verify_jwt(token, SECRET, ["HS256"], now=0).reason == (
        "wrong algorithm (alg=HS512; the server accepts only HS256)"
    )


def test_rs256_verifies_with_the_public_key_only() -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    token = jwt.encode(CLAIMS, private, algorithm="RS256")
    assert verify_jwt(token, public_pem, ["RS256"], now=0).ok
    # The classic confusion: the public key used as an HMAC secret must not verify.
    confused = jwt.encode(CLAIMS, "x" * 40, algorithm="HS256")
    assert not verify_jwt(confused, public_pem, ["RS256"], now=0).ok
    assert verify_jwt(token, "not a key", ["RS256"], now=0).reason.startswith(
        ("key error", "malformed", "bad signature")
    )


def test_looks_like_jwt() -> None:
    assert looks_like_jwt(make())
    assert not looks_like_jwt("sid.abc")
    assert not looks_like_jwt("eyJ")


@given(st.text())
def test_decode_and_verify_never_raise(text: str) -> None:
    decode_jwt(text)
    verdict = verify_jwt(text, SECRET, ["HS256"], now=0)
    assert verdict.reason


@given(st.text(), st.text())
def test_signed_cookie_never_raises(value: str, secret: str) -> None:
    report = inspect_signed_cookie(value, secret or "k", "salt")
    assert report.reason


def test_signed_cookie_parts_and_verdicts() -> None:
    signed = Signer(SECRET, salt="session").sign("3f2a").decode()
    report = inspect_signed_cookie(signed, SECRET, "session")
    assert report.payload == "3f2a"
    assert report.signature == signed.rsplit(".", 1)[1]
    assert report.ok
    assert report.reason == "valid"
    assert inspect_signed_cookie("4f2a." + report.signature, SECRET, "session").reason == (
        "bad signature"
    )
    assert inspect_signed_cookie(signed, "other", "session").reason == "bad signature"
    assert inspect_signed_cookie("no-dot", SECRET, "session").reason.startswith("malformed")


def test_timestamp_signer_output_verifies() -> None:
    signed = TimestampSigner(SECRET, salt="session").sign("3f2a").decode()
    report = inspect_signed_cookie(signed, SECRET, "session")
    assert report.ok
    assert report.payload.startswith("3f2a.")


def test_required_claims_are_checked_after_the_signature() -> None:
    token = make({"sub": "alice", "iat": 0})
    assert verify_jwt(token, SECRET, ["HS256"], now=0).ok
    verdict = verify_jwt(token, SECRET, ["HS256"], now=0, require=("exp", "iat", "sub"))
    assert verdict.reason == "missing claim: exp"
