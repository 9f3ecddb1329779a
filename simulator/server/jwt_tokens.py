"""Issuing and verifying JWTs with PyJWT, time claims judged on the simulated clock."""

from __future__ import annotations

import contextlib
import math
import warnings
from collections.abc import Iterator
from typing import Any

import jwt
from jwt.warnings import InsecureKeyLengthWarning

from authflow.simulator.config.entropy import Entropy
from authflow.simulator.server.keys import SigningKeys
from authflow.simulator.trace.clock import Clock, format_duration

# PyJWT checks `exp` against the wall clock; we switch that off and judge the time claims
# against the simulated clock ourselves. The algorithm stays pinned to the server's.
REQUIRED_CLAIMS: tuple[str, ...] = ("exp", "iat", "sub")

_OPTIONS: Any = {
    "verify_signature": True,
    "verify_exp": False,
    "verify_iat": False,
    "verify_nbf": False,
    "require": list(REQUIRED_CLAIMS),
}


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
    def __init__(self, keys: SigningKeys, clock: Clock, entropy: Entropy) -> None:
        self.keys = keys
        self.clock = clock
        self.entropy = entropy
        # One decoder with the options set, rather than PyJWT merging them on every call:
        # the server verifies every request.
        self._decoder = jwt.PyJWT(options=_OPTIONS)
        self._algorithms = [keys.algorithm]
        self._weak_key = keys.algorithm == "HS256" and len(keys.secret_text.encode()) < 32

    def issue(self, user: str, role: str, ttl: int, extra: dict[str, Any] | None = None) -> str:
        now = int(self.clock.epoch)
        claims: dict[str, Any] = {
            "sub": user,
            "role": role,
            "iat": now,
            "exp": now + ttl,
            "jti": self.entropy.token_hex(8),
        }
        claims.update(extra or {})
        with _weak_keys_allowed(self.keys):
            return self.keys.sign(claims)

    def verify(self, token: str, allow_expired: bool = False) -> tuple[dict[str, Any] | None, str]:
        """(claims, "valid") or (None, why not)."""
        try:
            if self._weak_key:
                with _weak_keys_allowed(self.keys):
                    claims = self._decode(token)
            else:
                claims = self._decode(token)
        except jwt.InvalidAlgorithmError:
            alg = _header_alg(token)
            return None, f"algorithm {alg} refused: the server accepts only {self.keys.algorithm}"
        except jwt.InvalidSignatureError:
            return None, "bad signature: the token was altered or signed with another key"
        except jwt.MissingRequiredClaimError as exc:
            return None, f"missing claim: {exc.claim}"
        except jwt.DecodeError as exc:
            return None, f"malformed token: {exc}"
        except jwt.InvalidTokenError as exc:
            return None, f"invalid token: {exc}"
        # NaN and Infinity parse as JSON numbers, but no time is NaN and no token lives
        # forever: every time claim is a NumericDate (RFC 7519 4.1.4-4.1.6), so one that
        # is not a finite number makes the token malformed, present or optional alike.
        for name in _TIME_CLAIMS:
            if name in claims and not _numeric_date(claims[name]):
                return None, f"invalid token: {name} is not a number"
        exp = claims["exp"]
        if exp <= self.clock.epoch and not allow_expired:
            return None, f"expired {format_duration(self.clock.epoch - exp)} ago"
        nbf = claims.get("nbf")
        if nbf is not None and nbf > self.clock.epoch:
            return None, f"not valid yet: nbf is {format_duration(nbf - self.clock.epoch)} away"
        return claims, "valid"

    def _decode(self, token: str) -> dict[str, Any]:
        claims: dict[str, Any] = self._decoder.decode(
            token, self.keys.verification_key, algorithms=self._algorithms
        )
        return claims


_TIME_CLAIMS = ("exp", "iat", "nbf")


def _numeric_date(value: Any) -> bool:
    # A tuple: `int | float` is built on each call. A bool is an int to Python, not to JSON.
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _header_alg(token: str) -> str:
    try:
        return str(jwt.get_unverified_header(token).get("alg"))
    except jwt.InvalidTokenError:
        return "?"
