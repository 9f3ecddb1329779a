"""Paired, alternating whole-process timings: each figure as a ratio to its floor.

The machine's speed swings from minute to minute (other work shares its cores), so a
time on its own says little. Each pair runs the floor and Authflow's process one right
after the other (alternating which goes first), and only the ratio within a pair is
kept; the min/median/max of those ratios over many pairs is the figure.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

Run = Callable[[], dict[str, float]]
"""One process run: the figures it produced by name (seconds, bytes ...)."""


def spawn(
    argv: Sequence[str], env: dict[str, str] | None = None, marks: bool = False
) -> dict[str, float]:
    """Run `argv` to its end. Returns {"exit": seconds from spawn to exit}; with
    `marks`, also the seconds at which the child printed each line "NAME" (first time)
    and any line "NAME=NUMBER" as that number."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(argv),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdout is not None
    found: dict[str, float] = {}
    for raw in proc.stdout:
        if not marks:
            continue
        line = raw.decode("utf-8", "replace").strip()
        name, sep, value = line.partition("=")
        if sep:
            with contextlib.suppress(ValueError):
                found.setdefault(name, float(value))
        elif line:
            found.setdefault(line, time.perf_counter() - start)
    code = proc.wait(timeout=300)
    found["exit"] = time.perf_counter() - start
    if code != 0:
        raise RuntimeError(f"{' '.join(argv)} exited with {code}")
    return found


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def env_for_children(platform: str = "offscreen") -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": platform}
    # Measure what an installed app does: Python caches compiled bytecode (the warm-up
    # runs write it). With PYTHONDONTWRITEBYTECODE every launch recompiles the app,
    # which a bare floor never pays.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


class Ratios:
    """Per-pair ratios of one figure, and how to print them."""

    def __init__(self, name: str, target: float | None) -> None:
        self.name = name
        self.target = target
        self.ratios: list[float] = []
        self.ours: list[float] = []
        self.floor: list[float] = []

    def add(self, ours: float, floor: float) -> None:
        self.ours.append(ours)
        self.floor.append(floor)
        self.ratios.append(ours / floor)

    def line(self, unit: str = "ms", scale: float = 1000.0) -> str:
        if not self.ratios:
            return f"{self.name}: no pairs"
        r = sorted(self.ratios)
        target = f"  (target <= {self.target}x)" if self.target else ""
        return (
            f"{self.name:<46} ratio min {r[0]:.2f}x  median {statistics.median(r):.2f}x  "
            f"max {r[-1]:.2f}x{target}  [median {statistics.median(self.ours) * scale:.0f} "
            f"vs {statistics.median(self.floor) * scale:.0f} {unit}, {len(r)} pairs]"
        )


def alternate(
    pairs: int,
    run_floor: Run,
    run_ours: Run,
    record: Callable[[dict[str, float], dict[str, float]], None],
) -> None:
    """`pairs` pairs, the floor first in even pairs and ours first in odd ones; warms
    both once (disk cache, bytecode) before counting."""
    run_floor()
    run_ours()
    for i in range(pairs):
        if i % 2 == 0:
            f = run_floor()
            o = run_ours()
        else:
            o = run_ours()
            f = run_floor()
        record(o, f)


def load_line() -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"load average {load} on {os.cpu_count()} CPUs (only the ratios are comparable)"
