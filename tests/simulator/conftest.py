"""Simulator fixtures: no Qt here."""

from __future__ import annotations

import pytest

FAST = {"scrypt_n": "1024"}
"""A low scrypt cost keeps logins cheap in tests; the algorithm is the same."""


@pytest.fixture
def fast() -> dict[str, str]:
    return dict(FAST)
