"""Simulator fixtures: no Qt here."""

from __future__ import annotations

import pytest
from factories import FAST


@pytest.fixture
def fast() -> dict[str, str]:
    return dict(FAST)
