"""Decode and verify the credentials a student inspects: JWTs and itsdangerous-signed cookies.

Qt-free, so the token decoder inspector shows verdicts computed by the same libraries the
simulated server uses (PyJWT, itsdangerous) and never decides anything itself. Nothing in
here raises on bad input: any text a student pastes gets a report with a reason.

Time claims are judged against the *simulated* clock passed in as `now` (PyJWT would judge
them against the wall clock), so a token minted at t+0 with a 15-minute lifetime is
"expired 60 s ago" at t+16:00 whatever the date is.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import itsdangerous
import jwt

from authflow.simulator.config import json_text

NONE_ALG_REASON = "wrong algorithm (alg=none is never accepted)"

_B64URL = re.compile(r"^[A-Za-z0-9_-]*$")
_JWT_SHAPE = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


@dataclass(frozen=True, slots=True)
class JwtParts:
    """A JWT cut into its three segments, each decoded as far as it goes."""

    header_b64: str
    payload_b64: str
    signature_b64: str
    header: Mapping[str, Any] | None
    """The decoded header JSON object, or None when it does not decode."""
    payload: Mapping[str, Any] | None
    """The decoded payload JSON object (the claims), or None when it does not decode."""
    signature: bytes | None
    """The raw signature bytes (empty for alg=none), or None when not base64url."""
    error: str | None
    """"malformed: …" when any part failed to decode; None for a well-formed token."""

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def alg(self) -> str | None:
        """The header's `alg` as text, or None when there is no header or no alg."""
        if self.header is None or "alg" not in self.header:
            return None
        return str(self.header["alg"])


@dataclass(frozen=True, slots=True)
class Verdict:
    """The verification verdict for one credential: ok, and why (or why not)."""

    ok: bool
    reason: str


class SignedCookieReport(NamedTuple):
    """An itsdangerous-signed value split into what it carries and its signature."""

    payload: str
    signature: str
    ok: bool
    reason: str


def looks_like_jwt(text: str) -> bool:
    """True for text shaped like a compact JWS (three base64url segments, `eyJ` header)."""
    text = text.strip()
    return text.startswith("eyJ") and bool(_JWT_SHAPE.match(text))


def b64url_decode(segment: str) -> bytes:
    """Decode one unpadded base64url segment; raises ValueError on anything else."""
    if not _B64URL.match(segment):
        raise ValueError("contains characters outside base64url (A-Z a-z 0-9 - _)")
    if len(segment) % 4 == 1:
        raise ValueError("has an impossible length for base64url")
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError) as exc:  # pragma: no cover - regex guards this
        raise ValueError(str(exc)) from exc


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _json_segment(name: str, segment: str) -> tuple[Mapping[str, Any] | None, str | None]:
    try:
        raw = b64url_decode(segment)
    except ValueError as exc:
        return None, f"malformed: {name} {exc}"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, f"malformed: {name} is not UTF-8 text"
    try:
        value = json_text.loads(text)
    except json_text.NumberTooLong:
        return (
            None,
            f"malformed: {name} holds a number of more than {json_text.MAX_DIGITS:,} digits",
        )
    except json_text.JsonTextError:
        return None, f"malformed: {name} is not JSON"
    if not isinstance(value, dict):
        return None, f"malformed: {name} is JSON but not an object"
    return value, None


def decode_jwt(token: str) -> JwtParts:
    """Cut `token` into header, payload and signature and decode each; never raises."""
    token = token.strip()
    if token.lower().startswith("bearer "):
        token = token[7:].strip()
    pieces = token.split(".")
    if len(pieces) != 3:
        found = len(pieces) - 1
        error = f"malformed: a JWT has 3 parts separated by 2 dots; this has {found} dot" + (
            "" if found == 1 else "s"
        )
        padded = [*pieces, "", "", ""]
        return JwtParts(padded[0], padded[1], ".".join(pieces[2:]), None, None, None, error)
    header_b64, payload_b64, signature_b64 = pieces
    header, header_error = _json_segment("header", header_b64)
    payload, payload_error = _json_segment("payload", payload_b64)
    signature: bytes | None = None
    signature_error: str | None = None
    try:
        signature = b64url_decode(signature_b64)
    except ValueError as exc:
        signature_error = f"malformed: signature {exc}"
    problem = header_error or payload_error or signature_error
    if problem is None and header is not None and "alg" not in header:
        problem = "malformed: header has no alg"
    return JwtParts(header_b64, payload_b64, signature_b64, header, payload, signature, problem)


def time_value(value: Any) -> float | None:
    """A JSON time claim as seconds: None unless it is a finite number. An integer past
    float's range (10**400 is valid JSON) is ±infinity, as PyJWT's integer comparison
    would treat it: forever ahead, or forever ago."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:
            return math.inf if value > 0 else -math.inf
    return value if math.isfinite(value) else None


_number = time_value


def _seconds(value: float) -> str:
    return f"{max(0, round(value))} s" if math.isfinite(value) else "forever"


def judge_time_claims(payload: Mapping[str, Any], now: float, leeway: float = 0.0) -> Verdict:
    """Judge exp, nbf and iat against the simulated clock as PyJWT would against its own."""
    for claim in ("exp", "nbf", "iat"):
        if claim in payload and _number(payload[claim]) is None:
            return Verdict(False, f"malformed: {claim} is not a number")
    exp = _number(payload.get("exp"))
    if exp is not None and exp <= now - leeway:
        return Verdict(False, f"expired {_seconds(now - exp)} ago")
    nbf = _number(payload.get("nbf"))
    if nbf is not None and nbf > now + leeway:
        return Verdict(False, f"not yet valid (nbf in {_seconds(nbf - now)})")
    iat = _number(payload.get("iat"))
    if iat is not None and iat > now + leeway:
        return Verdict(False, f"issued in the future (iat in {_seconds(iat - now)})")
    return Verdict(True, "valid")


def verify_jwt(
    token: str,
    key: str | bytes,
    algorithms: Sequence[str],
    now: float,
    leeway: float = 0.0,
    require: Sequence[str] = (),
) -> Verdict:
    """Verify `token` with `key`, accepting only `algorithms`; time claims judged at `now`.

    `require` names claims that must be present (the simulated server requires exp, iat
    and sub).

    Signature and algorithm are checked by PyJWT with the algorithm list pinned; `exp`,
    `nbf` and `iat` are judged here against the simulated clock. Never raises.
    """
    parts = decode_jwt(token)
    if parts.error is not None:
        return Verdict(False, parts.error)
    alg = parts.alg or ""
    if alg.lower() == "none":
        return Verdict(False, NONE_ALG_REASON)
    if alg not in algorithms:
        accepted = ", ".join(algorithms) or "nothing"
        return Verdict(False, f"wrong algorithm (alg={alg}; the server accepts only {accepted})")
    options: dict[str, Any] = {
        "verify_signature": True,
        "verify_exp": False,
        "verify_nbf": False,
        "verify_iat": False,
        "verify_aud": False,
        "verify_iss": False,
        "require": list(require),
    }
    compact = ".".join((parts.header_b64, parts.payload_b64, parts.signature_b64))
    try:
        with warnings.catch_warnings():
            # A short HMAC key a student types is their lesson, not our error.
            warnings.simplefilter("ignore", jwt.InsecureKeyLengthWarning)
            jwt.decode(compact, key, algorithms=list(algorithms), options=options)  # type: ignore[arg-type]
    except jwt.InvalidSignatureError:
        return Verdict(False, "bad signature")
    except jwt.MissingRequiredClaimError as exc:
        return Verdict(False, f"missing claim: {exc.claim}")
    except jwt.InvalidAlgorithmError as exc:
        return Verdict(False, f"wrong algorithm ({exc})")
    except (jwt.InvalidKeyError, jwt.exceptions.PyJWKError) as exc:
        return Verdict(False, f"key error: {exc}")
    except jwt.DecodeError as exc:
        return Verdict(False, f"malformed: {exc}")
    except jwt.InvalidTokenError as exc:
        return Verdict(False, f"invalid claim: {exc}")
    except (ValueError, TypeError) as exc:  # a key that is not a key for this algorithm
        return Verdict(False, f"key error: {exc}")
    assert parts.payload is not None
    return judge_time_claims(parts.payload, now, leeway)


def encode_segment(data: Mapping[str, Any]) -> str:
    """Encode a header or payload object as a compact-JSON base64url segment."""
    text = json.dumps(dict(data), separators=(",", ":"), ensure_ascii=False)
    return b64url_encode(text.encode("utf-8"))


def reencode_jwt(token: str, payload: Mapping[str, Any]) -> str:
    """Swap in a new payload and keep the old header and signature (a tampered token)."""
    parts = decode_jwt(token)
    return ".".join((parts.header_b64, encode_segment(payload), parts.signature_b64))


def resign_jwt(header: Mapping[str, Any], payload: Mapping[str, Any], key: str | bytes) -> str:
    """Sign `payload` under `header` with `key` (what someone holding the secret can do).

    Raises ValueError with a readable message when the key or algorithm cannot sign.
    """
    alg = str(header.get("alg", "HS256"))
    extra = {k: v for k, v in header.items() if k not in ("alg", "typ")}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", jwt.InsecureKeyLengthWarning)
            return jwt.encode(dict(payload), key, algorithm=alg, headers=extra or None)
    except NotImplementedError as exc:
        raise ValueError(f"cannot sign with alg={alg}: {exc}") from exc
    except (jwt.PyJWTError, TypeError, ValueError) as exc:
        raise ValueError(f"cannot sign with alg={alg}: {exc}") from exc


def inspect_signed_cookie(
    value: str,
    secret: str | bytes,
    salt: str | bytes | None = "itsdangerous.Signer",
    *,
    digest_method: Any = None,
    key_derivation: str | None = None,
) -> SignedCookieReport:
    """Split an itsdangerous-signed value at its last "." and check the signature.

    Works for `Signer` and `TimestampSigner` output (a timestamp is part of what is
    signed). Never raises.
    """
    if "." not in value:
        return SignedCookieReport(value, "", False, "malformed: no '.' before a signature")
    payload, signature = value.rsplit(".", 1)
    kwargs: dict[str, Any] = {"salt": salt}
    if digest_method is not None:
        kwargs["digest_method"] = digest_method
    if key_derivation is not None:
        kwargs["key_derivation"] = key_derivation
    try:
        signer = itsdangerous.Signer(secret, **kwargs)
        ok = signer.verify_signature(payload.encode("utf-8"), signature.encode("utf-8"))
    except (TypeError, ValueError, UnicodeError) as exc:
        return SignedCookieReport(payload, signature, False, f"malformed: {exc}")
    return SignedCookieReport(payload, signature, ok, "valid" if ok else "bad signature")
