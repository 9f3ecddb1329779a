"""The three ways a login is kept: cookie sessions, JWTs, and the hybrid of the two."""

from __future__ import annotations

MODES: tuple[str, ...] = ("session", "jwt", "hybrid")
"""Every mode, in the order the app and the command line list them."""

MODE_TITLES: dict[str, str] = {"session": "Session", "jwt": "JWT", "hybrid": "Hybrid"}
"""How a mode is named to a person."""
