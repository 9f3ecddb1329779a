"""Whether the Authflow that left a "running" marker is still running.

A marker is named after its process id. That id alone is not enough: after a crash
and a reboot (or just a long time) the same number can belong to another program, and
the marker would then never be taken as left over. So a process counts as the
marker's only if it is alive *and* started before the marker was written. On Linux the
start time comes from /proc; elsewhere only "alive" is known, as before.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

MAX_PID = 2**31 - 1
"""pid_t is a 32-bit signed integer on every system Authflow runs on."""
CLOCK_SLACK = 2.0
"""Seconds of doubt: /proc's boot time is whole seconds, file times are not."""


def pid_of(name: str, prefix: str) -> int | None:
    """The process id a marker file name carries, or None for a name that is not ours
    (a hand-made `running-99999999999999999999` must not reach os.kill)."""
    digits = name.removeprefix(prefix)
    if not name.startswith(prefix) or not (digits.isascii() and digits.isdigit()):
        return None
    if len(digits) > len(str(MAX_PID)) or not 0 < int(digits) <= MAX_PID:
        return None
    return int(digits)


def alive(pid: int) -> bool:
    """Whether some process with this id exists."""
    if pid == os.getpid():
        return True
    if sys.platform.startswith("win"):
        return False  # os.kill(pid, 0) would terminate it on Windows; assume it is gone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True  # it exists but belongs to someone else (or we cannot tell)
    return True


def started_at(pid: int, proc: Path = Path("/proc")) -> float | None:
    """When process `pid` started (Unix time), where the system says; else None."""
    try:
        stat = (proc / str(pid) / "stat").read_text(encoding="ascii", errors="replace")
        boot = next(
            float(line.split()[1])
            for line in (proc / "stat").read_text(encoding="ascii").splitlines()
            if line.startswith("btime ")
        )
        # The command name (field 2) is in parentheses and may hold spaces: count the
        # fields after its closing one. starttime is field 22, in clock ticks.
        ticks = float(stat[stat.rindex(")") + 2 :].split()[19])
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration, AttributeError):
        return None


def still_running(pid: int, marker_written: float, proc: Path = Path("/proc")) -> bool:
    """Whether the process that wrote a marker at `marker_written` still runs: alive,
    and not a newer process that was given the same id."""
    if pid == os.getpid():
        return True
    if not alive(pid):
        return False
    started = started_at(pid, proc)
    return started is None or started <= marker_written + CLOCK_SLACK
