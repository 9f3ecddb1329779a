"""Checking and re-encoding what a user typed into the resend editor (no Qt).

Text that could not be an HTTP request (a header line without a colon, a body that is
not a JSON object) gets an `EditError` naming the problem, as a browser's fetch() would
refuse it; anything else goes to the simulated server, whose checks judge it.
"""

from __future__ import annotations

import re
from typing import Any

from authflow.simulator.analysis.token_report import decode_jwt, encode_segment, resign_jwt
from authflow.simulator.config import json_text

TCHAR = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
"""RFC 9110 token characters: what a header name or method may be made of."""


class EditError(ValueError):
    """Input that cannot become a request; the message is shown in the editor."""


def parse_headers(text: str) -> list[list[str]]:
    """ "Name: value" lines to [[name, value], ...]; raises EditError naming the bad line."""
    headers: list[list[str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, value = line.partition(":")
        name, value = name.strip(), value.strip()
        if not sep:
            raise EditError(f"Header line {number} has no ':' (write it as Name: value)")
        if not TCHAR.match(name):
            raise EditError(
                f"Header line {number}: {name!r} is not a valid header name "
                "(letters, digits and !#$%&'*+-.^_`|~ only)"
            )
        if any((ord(c) < 0x20 and c != "\t") or ord(c) == 0x7F for c in value):
            raise EditError(f"Header line {number}: the value contains control characters")
        if any(ord(c) > 0xFF for c in value):
            raise EditError(
                f"Header line {number}: the value has characters beyond Latin-1, which "
                "fetch() refuses to send (TypeError); percent-encode them"
            )
        headers.append([name, value])
    return headers


def parse_body(text: str) -> dict[str, Any] | None:
    if not text.strip():
        return None
    try:
        value = json_text.loads(text)
    except json_text.JsonTextError as exc:
        raise EditError(f"The body is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise EditError("The body must be a JSON object ({...}) or empty")
    return value


def parse_path(text: str) -> str:
    path = text.strip()
    if not path.startswith("/"):
        raise EditError("The path must start with / (for example /api/profile)")
    if any(ord(c) <= 0x20 or ord(c) == 0x7F or ord(c) > 0x7E for c in path):
        raise EditError("The path may not contain spaces, control or non-ASCII characters")
    return path


def parse_method(text: str) -> str:
    method = text.strip().upper()
    if not TCHAR.match(method):
        raise EditError("The method must be a single word such as GET or POST")
    return method


def edit_token(token: str, header_json: str, payload_json: str, signing: int, key: str) -> str:
    """The token with a new header/payload; signature kept, re-made with `key`, or dropped."""
    try:
        header = json_text.loads(header_json)
        payload = json_text.loads(payload_json)
    except json_text.JsonTextError as exc:
        raise EditError(f"Token JSON is not valid: {exc}") from None
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise EditError("Token header and payload must both be JSON objects")
    if signing == 1:
        if not key:
            raise EditError("Type the key to re-sign with (for HS256, the shared secret)")
        try:
            return resign_jwt(header, payload, key)
        except ValueError as exc:
            raise EditError(str(exc)) from None
    old_signature = decode_jwt(token).signature_b64 if signing == 0 else ""
    return f"{encode_segment(header)}.{encode_segment(payload)}.{old_signature}"
