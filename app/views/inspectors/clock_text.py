"""Readable times on the simulated clock: "t+15:00 · expires in 12 min", never a bare number."""

from __future__ import annotations

from authflow.simulator.trace.clock import START_EPOCH, format_duration, format_t


def at(t: float) -> str:
    """A simulated second as the clock shows it: "t+15:00"."""
    return format_t(t)


def until(expires: float, now: float, verb: str = "expires") -> str:
    """ "expires in 12 min" / "expired 3 min ago" (expiry is reached when expires <= now)."""
    if expires > now:
        return f"{verb} in {format_duration(expires - now)}"
    past = {"expires": "expired", "valid from": "valid since"}.get(verb, verb)
    return f"{past} {format_duration(now - expires)} ago"


def since(t: float, now: float, verb: str = "issued") -> str:
    """ "issued 3 min ago" (or "issued in 2 min" for a time still ahead)."""
    if t <= now:
        return f"{verb} {format_duration(now - t)} ago"
    return f"{verb} in {format_duration(t - now)}"


def expiry(expires: float | None, now: float, none_text: str = "Session") -> str:
    """An expiry column: "t+15:00 · expires in 12 min", or `none_text` when there is none."""
    if expires is None:
        return none_text
    return f"{at(expires)} · {until(expires, now)}"


def epoch_to_t(epoch: float, start_epoch: float = START_EPOCH) -> float:
    """A JWT claim (Unix seconds, as servers stamp them) as a simulated second."""
    return epoch - start_epoch
