"""Issuing and verifying JWTs: PyJWT signs, and verifies while the algorithm is pinned;
the key is the one the header's `kid` names; `typ`, `iss`, `aud` and the time claims
are judged here, on the server's own simulated clock, with the configured leeway."""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import json
import math
import warnings
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

import jwt
from jwt.warnings import InsecureKeyLengthWarning

from authflow.simulator.config.entropy import Entropy
from authflow.simulator.server import header_trusting
from authflow.simulator.server.keyring import KeyRing
from authflow.simulator.server.keys import SigningKeys
from authflow.simulator.trace.clock import format_duration

# PyJWT checks `exp` against the wall clock; we switch that off and judge the time claims
# against the simulated clock ourselves, and the other claims in one place for both ways
# of checking a signature (pinned with PyJWT, or header-trusting).
REQUIRED_CLAIMS: tuple[str, ...] = ("exp", "iat", "sub")

_OPTIONS: Any = {
    "verify_signature": True,
    "verify_exp": False,
    "verify_iat": False,
    "verify_nbf": False,
    "verify_aud": False,
    "verify_iss": False,
}
ACCESS_TYP = "JWT"
"""The `typ` of the server's access tokens; a token typed as anything else is another
kind of JWT (an ID token, a logout token...) and is refused (RFC 8725 3.11)."""


class JwtPolicy(NamedTuple):
    """What the server stamps into its tokens and what it checks in the ones it gets."""

    issuer: str
    """`iss`: the app's origin; every token must name it."""
    audience: str
    """`aud` of the tokens the server issues for its own API."""
    pin_algorithm: bool = True
    """False: take the algorithm from the token's header (a vulnerable library)."""
    check_aud: bool = True
    leeway: int = 0
    """Seconds of clock difference forgiven on exp, nbf and iat."""


@contextlib.contextmanager
def _weak_keys_allowed(keys: SigningKeys) -> Iterator[None]:
    # A weak HS256 secret is a lesson setting; PyJWT warns about it, which is the point
    # of the lesson, so the trace says it instead of a Python warning.
    if keys.algorithm == "HS256" and len(keys.secret_text.encode()) < 32:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InsecureKeyLengthWarning)
            yield
    else:
        yield


class JwtIssuer:
    def __init__(self, ring: KeyRing, entropy: Entropy, policy: JwtPolicy) -> None:
        self.ring = ring
        self.entropy = entropy
        self.policy = policy
        # One decoder with the options set, rather than PyJWT merging them on every call:
        # the server verifies every request.
        self._decoder = jwt.PyJWT(options=_OPTIONS)

    @property
    def keys(self) -> SigningKeys:
        """The key new tokens are signed with."""
        return self.ring.current.keys

    def issue(
        self, user: str, role: str, ttl: int, now: float, extra: dict[str, Any] | None = None
    ) -> str:
        """A token for `user`, stamped with the issuing server's clock `now`."""
        stamp = int(now)
        claims: dict[str, Any] = {
            "iss": self.policy.issuer,
            "sub": user,
            "aud": self.policy.audience,
            "role": role,
            "iat": stamp,
            "exp": stamp + ttl,
            "jti": self.entropy.token_hex(8),
        }
        claims.update(extra or {})
        current = self.ring.current
        with _weak_keys_allowed(current.keys):
            return current.keys.sign(claims, {"kid": current.kid})

    def verify(
        self, token: str, now: float, allow_expired: bool = False
    ) -> tuple[dict[str, Any] | None, str]:
        """(claims, "valid" or why it passed despite a time claim) or (None, why not),
        judged on the verifying server's clock `now`."""
        header: Mapping[str, Any] | None = _cached_header(token.partition(".")[0])
        if header is None:
            try:
                header = dict(jwt.get_unverified_header(token))
            except jwt.InvalidTokenError as exc:
                return None, f"malformed token: {exc}"
        if "kid" in header:
            entry = self.ring.find(header["kid"])
            if entry is None:
                published = ", ".join(k.kid for k in self.ring.published)
                return None, (
                    f"unknown kid {str(header['kid'])[:60]!r}: the server publishes only "
                    f"{published}"
                )
            keys = entry.keys
        else:
            keys = self.ring.current.keys
        if self.policy.pin_algorithm:
            claims, why = self._pinned(token, keys)
        else:
            try:
                header, claims = header_trusting.verify(token, keys)
                why = ""
            except header_trusting.Refused as exc:
                claims, why = None, str(exc)
        if claims is None:
            return None, why
        judged, when = self._judge(header, claims, now, allow_expired)
        if judged is None or self.policy.pin_algorithm:
            return judged, when
        # Say what the header made the server do: the trace must not call an unsigned
        # token's acceptance "signature valid".
        alg = header.get("alg")
        believed = (
            "no signature checked: the header said alg none"
            if alg == "none"
            else f"signature valid under {alg}, the algorithm the header named"
        )
        return judged, believed if when == "valid" else f"{believed}; {when}"

    def _pinned(self, token: str, keys: SigningKeys) -> tuple[dict[str, Any] | None, str]:
        decode = self._decoder.decode
        try:
            # The warning filter only where a weak secret needs it: the server verifies
            # every request, and entering it costs as much as the rest of the checks.
            if keys.algorithm == "HS256" and len(keys.secret_text.encode()) < 32:
                with _weak_keys_allowed(keys):
                    claims: dict[str, Any] = decode(
                        token, keys.verification_key, algorithms=[keys.algorithm]
                    )
            else:
                claims = decode(token, keys.verification_key, algorithms=[keys.algorithm])
        except jwt.InvalidAlgorithmError:
            alg = _header_alg(token)
            return None, f"algorithm {alg} refused: the server accepts only {keys.algorithm}"
        except jwt.InvalidSignatureError:
            return None, "bad signature: the token was altered or signed with another key"
        except jwt.DecodeError as exc:
            return None, f"malformed token: {exc}"
        except jwt.InvalidTokenError as exc:
            return None, f"invalid token: {exc}"
        return claims, ""

    def _judge(
        self, header: Mapping[str, Any], claims: dict[str, Any], now: float, allow_expired: bool
    ) -> tuple[dict[str, Any] | None, str]:
        for claim in REQUIRED_CLAIMS:
            if claim not in claims:
                return None, f"missing claim: {claim}"
        policy = self.policy
        typ = header.get("typ")
        if typ is not None and str(typ).lower() != ACCESS_TYP.lower():
            return None, f"typ {str(typ)[:40]!r} refused: this API takes only access tokens"
        iss = claims.get("iss")
        if iss != policy.issuer:
            said = "no iss" if iss is None else f"iss {str(iss)[:60]!r}"
            return None, f"{said}: the server trusts only tokens from {policy.issuer}"
        if policy.check_aud:
            aud = claims.get("aud")
            audiences = aud if isinstance(aud, list) else [aud]
            if policy.audience not in audiences:
                said = "no aud" if aud is None else f"aud {str(aud)[:80]!r}"
                return None, f"{said}: this API is {policy.audience}"
        # NaN and Infinity parse as JSON numbers, but no time is NaN and no token lives
        # forever: every time claim is a NumericDate (RFC 7519 4.1.4-4.1.6), so one that
        # is not a finite number makes the token malformed, present or optional alike.
        for name in _TIME_CLAIMS:
            if name in claims and not _numeric_date(claims[name]):
                return None, f"invalid token: {name} is not a number"
        if allow_expired:
            return claims, "valid"
        ok, why = judge_time(claims, claims["exp"], now, policy.leeway)
        return (claims if ok else None), why


def judge_time(claims: dict[str, Any], exp: float, now: float, leeway: int) -> tuple[bool, str]:
    """Whether `exp`, `nbf` and `iat` (finite numbers, checked before) allow the token at
    `now` (the verifying server's clock), forgiving `leeway` seconds; the reason says
    when the leeway made the call."""
    within = f", within the {format_duration(leeway)} leeway"
    beyond = f", beyond the {format_duration(leeway)} leeway" if leeway else ""
    if exp <= now:
        ago = f"expired {format_duration(now - exp)} ago"
        return (False, ago + beyond) if exp <= now - leeway else (True, ago + within)
    for claim in ("nbf", "iat"):
        value = claims.get(claim)
        if value is None:
            continue
        if value > now:
            ahead = (
                f"not yet valid: {claim} is {format_duration(value - now)} ahead of this "
                "server's clock"
            )
            return (False, ahead + beyond) if value > now + leeway else (True, ahead + within)
    return True, "valid"


_TIME_CLAIMS = ("exp", "iat", "nbf")


def _numeric_date(value: Any) -> bool:
    # A tuple: `int | float` is built on each call. A bool is an int to Python, not to JSON.
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


@functools.lru_cache(maxsize=64)
def _cached_header(segment: str) -> Mapping[str, Any] | None:
    """The JOSE header a token's first segment encodes; None when it is not a JSON object
    (PyJWT then says why). Every token one key signs has the same header segment, so
    a request's kid costs a dictionary lookup (read-only: the result is shared)."""
    try:
        value = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (ValueError, binascii.Error):
        return None
    return MappingProxyType(value) if isinstance(value, dict) else None


def _header_alg(token: str) -> str:
    try:
        return str(jwt.get_unverified_header(token).get("alg"))
    except jwt.InvalidTokenError:
        return "?"
