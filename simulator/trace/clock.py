"""The simulated clock: every expiry is judged against it, never against the wall clock."""

from __future__ import annotations

import math
from datetime import UTC, datetime

START_EPOCH = 1_767_258_000
"""Unix time of t = 0: 2026-01-01 09:00:00 UTC. Fixed, so the same seed gives the same
trace (token `iat`/`exp` claims and cookie `Expires` dates are absolute times)."""


LAST_EPOCH = 253_402_300_799
"""9999-12-31 23:59:59 UTC: the last moment an HTTP date or a datetime can name. Every
time a run stamps (now, plus the longest lifetime) must stay at or before it."""
CENTURY = 100 * 366 * 86400
"""The longest lifetime a setting may give and the longest single wait: 3,162,240,000 s."""
MAX_RUN_SECONDS = 70 * CENTURY
"""The longest a whole run may last (its waits added up): 7,000 years, so that the last
moment of a run plus a century-long lifetime is still before year 10000."""


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
    if s < 1000 * 86400:
        return f"{round(s / 86400)} days"
    years = s / 31_557_600
    # A claim typed by hand can be 10**300 s away: say so in a few characters.
    return f"{years:,.0f} years" if years < 1e9 else f"{years:.3g} years"


def format_t(t: float) -> str:
    """A simulated time as t+MM:SS (or t+Hh MM:SS, t+Nd ...)."""
    if not math.isfinite(t):
        return "t+∞" if t > 0 else "t-∞" if t < 0 else "t+?"
    if abs(t) >= 1000 * 31_557_600:
        return f"t{'+' if t > 0 else '-'}{format_duration(t)}"
    s = round(t)
    d, s = divmod(s, 86400)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    core = f"{m:02d}:{s:02d}" if not h and not d else f"{h}:{m:02d}:{s:02d}"
    return f"t+{d}d {core}" if d else f"t+{core}"
