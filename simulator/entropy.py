"""Randomness for ids and secrets: `secrets` by default, a seeded generator on request.

A seed exists only so a scenario can give reproducible output (docs, tests); without
one every id and key comes from the operating system's CSPRNG.
"""

from __future__ import annotations

import base64
import random
import secrets


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
