"""Randomness for ids and secrets: `secrets` by default, a seeded generator on request.

A seed exists only so a scenario can give reproducible output (docs, tests); without
one every id and key comes from the operating system's CSPRNG.
"""

from __future__ import annotations

import base64
import random
import secrets

SEED_DIGITS = 40
"""A seed is for reproducing a run, not a secret: 40 digits is far more than enough,
and a longer one would only be echoed back in every message and trace header."""
MAX_SEED = 10**SEED_DIGITS - 1
SEED_RULE = f"an integer of at most {SEED_DIGITS} digits"


def parse_seed(text: str) -> int:
    """A seed typed by a user; ValueError states the rule without echoing a huge value."""
    digits = text.strip().removeprefix("-").removeprefix("+").replace("_", "")
    if len(digits) > SEED_DIGITS:
        raise ValueError(f"the seed must be {SEED_RULE}, not one of {len(digits):,} characters")
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"the seed must be {SEED_RULE}, not {text.strip()!r}") from None


def seed_problem(seed: int | None) -> str | None:
    """Why `seed` cannot seed a run (None when it can)."""
    if seed is None or -MAX_SEED <= seed <= MAX_SEED:
        return None
    return f"the seed must be {SEED_RULE}"


class Entropy:
    def __init__(self, seed: int | None = None) -> None:
        self.seed = seed
        self._rng = random.Random(seed) if seed is not None else None

    @property
    def seeded(self) -> bool:
        return self._rng is not None

    def token_bytes(self, n: int) -> bytes:
        if self._rng is None:
            return secrets.token_bytes(n)
        return self._rng.getrandbits(8 * n).to_bytes(n, "big")

    def token_hex(self, n: int) -> str:
        return self.token_bytes(n).hex()

    def token_urlsafe(self, n: int) -> str:
        return base64.urlsafe_b64encode(self.token_bytes(n)).rstrip(b"=").decode("ascii")

    def randbits(self, k: int) -> int:
        if self._rng is None:
            return secrets.randbits(k)
        return self._rng.getrandbits(k)
