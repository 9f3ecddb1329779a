"""What the token decoder's tree shows: a credential's parts and what each claim means.

Plain `Node` trees built from simulator.analysis.token_report's decoding; time claims are read on
the simulated clock ("t+15:00 · expires in 12 min"), never left as bare numbers.
"""

from __future__ import annotations

import json
from typing import Any

from authflow.app.views.inspectors import clock_text
from authflow.app.views.inspectors.tree_model import Node
from authflow.simulator.analysis.token_report import JwtParts, looks_like_jwt, time_value
from authflow.simulator.server.auth_hybrid import token_hash

ALG_MEANING = {
    "HS256": "HMAC-SHA256: one shared secret both signs and verifies",
    "RS256": "RSA-SHA256: the private key signs, anyone with the public key verifies",
    "ES256": "ECDSA P-256: the private key signs, anyone with the public key verifies",
    "none": "no signature at all: a server must never accept this",
}
CLAIM_MEANING = {
    "sub": "subject: the user this token speaks for",
    "role": "role: trusted by the server only because it is signed",
    "jti": "token id: lets the server revoke this one token (denylist)",
    "ver": "token version: stale once the user's version moves on",
    "csrf": "CSRF token bound to this login",
    "typ": "type of the token",
    "kid": "key id: which of the server's keys signed it",
    "iss": "issuer",
    "aud": "audience",
    "fam": "refresh family: reusing an old refresh token revokes the whole family",
}


def _value_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value


def _claim_meaning(name: str, value: Any, now_t: float, epoch0: float) -> str:
    seconds = time_value(value) if name in ("exp", "iat", "nbf") else None
    if seconds is not None:
        t = clock_text.epoch_to_t(seconds, epoch0)
        if name == "exp":
            return f"expiry: {clock_text.at(t)} · {clock_text.until(t, now_t)}"
        if name == "iat":
            return f"issued at: {clock_text.at(t)} · {clock_text.since(t, now_t)}"
        return f"not before: {clock_text.at(t)} · {clock_text.until(t, now_t, 'valid from')}"
    if name in ("exp", "iat", "nbf"):
        return "a time claim that is not a number: the server rejects it"
    return CLAIM_MEANING.get(name, "")


def jwt_nodes(parts: JwtParts, now_t: float, epoch0: float) -> list[Node]:
    """HEADER / PAYLOAD / SIGNATURE nodes with their fields and what they mean."""
    header = Node(("HEADER", parts.header_b64, "base64url of the JSON below"), bold=True)
    for name, value in (parts.header or {}).items():
        meaning = ALG_MEANING.get(str(value), "") if name == "alg" else CLAIM_MEANING.get(name, "")
        header.add(Node((name, _value_text(value), meaning), monospace=True))
    if parts.header is None:
        header.add(Node(("(undecodable)", "", parts.error or "")))
    payload = Node(("PAYLOAD", parts.payload_b64, "base64url of the claims below"), bold=True)
    for name, value in (parts.payload or {}).items():
        payload.add(
            Node(
                (name, _value_text(value), _claim_meaning(name, value, now_t, epoch0)),
                monospace=True,
            )
        )
    if parts.payload is None:
        payload.add(Node(("(undecodable)", "", parts.error or "")))
    size = "?" if parts.signature is None else str(len(parts.signature))
    alg = parts.alg or "?"
    signature = Node(
        (
            "SIGNATURE",
            parts.signature_b64 or "(empty)",
            f"{size} bytes: {alg} over “header.payload”; only the key holder can make it",
        ),
        bold=True,
    )
    return [header, payload, signature]


def signed_cookie_nodes(value: str, payload: str, signature: str) -> list[Node]:
    return [
        Node(
            ("VALUE", payload, "the session id: key of the server's record sess:<id>"),
            bold=True,
            monospace=True,
        ),
        Node(
            ("SIGNATURE", signature, "itsdangerous HMAC of the value with the server's secret"),
            bold=True,
            monospace=True,
        ),
    ]


def is_signed_cookie(text: str) -> bool:
    """An itsdangerous value ("id.signature") rather than a JWT (which has two dots)."""
    if text.startswith("sid="):
        return True
    return not looks_like_jwt(text) and text.count(".") == 1 and not text.startswith("eyJ")


def opaque_nodes(token: str) -> list[Node]:
    """A random refresh token: no parts, only where the server keeps its hash."""
    return [
        Node(
            ("OPAQUE", token, "random bytes from secrets: meaningless without the server's store"),
            bold=True,
            monospace=True,
        ),
        Node(
            ("STORE KEY", f"refresh:{token_hash(token)}", "the server keeps only this hash"),
            bold=True,
            monospace=True,
        ),
    ]
