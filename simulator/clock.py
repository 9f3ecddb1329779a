"""The simulated clock: every expiry is judged against it, never against the wall clock."""

from __future__ import annotations

import math
from datetime import UTC, datetime

START_EPOCH = 1_767_258_000
"""Unix time of t = 0: 2026-01-01 09:00:00 UTC. Fixed, so the same seed gives the same
trace (token `iat`/`exp` claims and cookie `Expires` dates are absolute times)."""


class Clock:
    """Simulated seconds since the start of the run; `epoch` is what servers stamp."""

    def __init__(self, start_epoch: int = START_EPOCH) -> None:
        self.start_epoch = start_epoch
        self.t = 0.0
        self.epoch: float = start_epoch
        """start_epoch + t, kept as a value: every store command and expiry check reads it.
        Both move only through `advance`."""

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self.t += seconds
        self.epoch = self.start_epoch + self.t

    def to_t(self, epoch: float) -> float:
        return epoch - self.start_epoch

    def http_date(self, epoch: float) -> str:
        """RFC 9110 IMF-fixdate, as servers write `Expires`."""
        return datetime.fromtimestamp(epoch, UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")


def format_duration(seconds: float) -> str:
    """12 s, 15 min, 2 h 5 min, 7 days: how a person says a span of time."""
    if not math.isfinite(seconds):
        return "forever"  # a hand-typed claim such as exp: 1e400 (JSON's infinity)
    s = abs(round(seconds))
    if s < 90:
        return f"{s} s"
    if s < 90 * 60:
        return f"{round(s / 60)} min"
    if s < 48 * 3600:
        h, m = divmod(round(s / 60), 60)
        return f"{h} h {m} min" if m else f"{h} h"
    return f"{round(s / 86400)} days"


def format_t(t: float) -> str:
    """A simulated time as t+MM:SS (or t+Hh MM:SS, t+Nd ...)."""
    if not math.isfinite(t):
        return "t+∞" if t > 0 else "t-∞" if t < 0 else "t+?"
    s = round(t)
    d, s = divmod(s, 86400)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    core = f"{m:02d}:{s:02d}" if not h and not d else f"{h}:{m:02d}:{s:02d}"
    return f"t+{d}d {core}" if d else f"t+{core}"
