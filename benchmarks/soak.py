"""Soak: every lesson in every mode, played at full speed for thousands of steps.

A real MainWindow (offscreen, sized so the stage's viewport is 1920x1080, packet
animations on with a short duration) steps forward and back at random, jumps, and
switches mode and lesson, for `--steps` steps. Each step lets the event loop run (so
animations tick) and repaints the stage viewport, timed as one frame. Every lesson in
every mode is visited once before measuring, so first-use caches are not growth.
Prints, with their targets:

- peak memory: getrusage's max RSS (and tracemalloc's peak with `--tracemalloc`, which
  slows every Python allocation, frames included);
- memory growth from the first quarter to the last (mean of the samples in each;
  target under 10%), for the Python heap (allocated blocks) and the resident set;
- live scene items at the end against the start, at the same lesson, mode and event
  (target: equal; no leak), and live Python objects likewise;
- frames over 16 ms at 1080p (target: none), with the median and worst frame.

    QT_QPA_PLATFORM=offscreen python benchmarks/soak.py [--steps 20000] [--seed 1]
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEventLoop
from PySide6.QtWidgets import QApplication

from authflow import simulator
from authflow.app.views.palette import LIGHT
from authflow.app.window.shell import MainWindow

FRAME_BUDGET_MS = 16.0
GROWTH_TARGET = 0.10
ANIMATION_MS = 8
"""Packet travel time: short, so many frames of many animations run in the soak."""
SIZE = (1920, 1080)


def rss_bytes() -> int:
    """Current resident set size (Linux /proc; elsewhere the peak is the best we have)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return max_rss_bytes()


def max_rss_bytes() -> int:
    try:
        import resource
    except ImportError:  # Windows
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def mib(n: float) -> str:
    return f"{n / 2**20:.1f} MiB"


class Soak:
    def __init__(self, steps: int, seed: int, trace_malloc: bool = False) -> None:
        self.steps = steps
        self.trace_malloc = trace_malloc
        self.rng = random.Random(seed)
        self.window = MainWindow(
            scenario="basics", mode="session", seed=seed, palette=LIGHT, animation_ms=ANIMATION_MS
        )
        self.window.resize(*SIZE)
        self.window.show()
        self.window.start(-1)
        self.pump()
        # Grow the window until the stage itself is 1080p (docks, bars and narration
        # take the rest): the frames timed are what a 1080p stage paints.
        viewport = self.window.stage_view.viewport()
        extra = (SIZE[0] - viewport.width(), SIZE[1] - viewport.height())
        self.window.resize(self.window.width() + extra[0], self.window.height() + extra[1])
        self.pump()
        self.runs = [
            (name, mode)
            for name in simulator.scenario_names()
            for mode in simulator.load_scenario(name).modes
        ]
        self.frames: list[float] = []
        self.kinds: list[str] = []
        """What the step before each frame did (step, back, jump, mode switch...)."""
        self.heap: list[int] = []
        self.rss: list[int] = []
        self.mode_switches = 0
        self.lesson_switches = 0

    def pump(self) -> None:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 2)

    def frame(self) -> None:
        viewport = self.window.stage_view.viewport()
        start = time.perf_counter()
        viewport.repaint()
        self.frames.append((time.perf_counter() - start) * 1000)

    def go_to(self, run: tuple[str, str], index: int) -> None:
        lesson, mode = run
        w = self.window
        if w.controller.scenario != lesson:
            w.set_lesson(lesson)
            self.lesson_switches += 1
        if w.controller.mode != mode:
            w.set_mode(mode)
            self.mode_switches += 1
        w.player.jump(index)
        self.pump()

    def live_items(self) -> int:
        return len(self.window.stage.items())

    def step(self) -> None:
        w = self.window
        trace = w.player.trace
        assert trace is not None
        roll = self.rng.random()
        last = len(trace.events) - 1
        kind = "step"
        if roll < 0.60:
            if w.player.index >= last:
                w.player.restart()
            else:
                w._step_forward()
        elif roll < 0.85:
            kind = "back"
            w._step_back()
        elif roll < 0.93:
            kind = "jump"
            w.player.jump(self.rng.randint(0, last))
        elif roll < 0.985:
            kind = "mode switch"
            lesson = w.controller.scenario
            modes = [m for (name, m) in self.runs if name == lesson and m != w.controller.mode]
            if modes:
                w.set_mode(self.rng.choice(modes))
                self.mode_switches += 1
        else:
            kind = "lesson change"
            lesson, mode = self.runs[self.rng.randrange(len(self.runs))]
            self.go_to((lesson, mode), 0)
        self.pump()
        self.frame()
        self.kinds.append(kind)

    def warm_up(self) -> None:
        """Every lesson in every mode once, every event of it, before measuring."""
        for run in self.runs:
            self.go_to(run, 0)
            trace = self.window.player.trace
            assert trace is not None
            for _ in range(len(trace.events)):
                self.window._step_forward()
                self.pump()
                self.frame()
        self.frames.clear()
        self.kinds.clear()

    def run(self) -> int:
        home = self.runs[0]
        self.warm_up()
        self.go_to(home, 3)
        gc.collect()
        if self.trace_malloc:
            tracemalloc.start()
        heap: Callable[[], int] = (
            (lambda: tracemalloc.get_traced_memory()[0])
            if self.trace_malloc
            else sys.getallocatedblocks
        )
        items_start = self.live_items()
        objects_start = len(gc.get_objects())
        sample_every = max(1, self.steps // 200)
        started = time.perf_counter()
        for n in range(self.steps):
            self.step()
            if n % sample_every == 0:
                self.heap.append(heap())
                self.rss.append(rss_bytes())
        elapsed = time.perf_counter() - started
        self.window.shutdown()
        self.go_to(home, 3)
        self.window.shutdown()
        gc.collect()
        items_end = self.live_items()
        objects_end = len(gc.get_objects())
        heap_peak = tracemalloc.get_traced_memory()[1] if self.trace_malloc else 0
        tracemalloc.stop()
        return self.report(elapsed, items_start, items_end, objects_start, objects_end, heap_peak)

    def report(
        self,
        elapsed: float,
        items_start: int,
        items_end: int,
        objects_start: int,
        objects_end: int,
        heap_peak: int,
    ) -> int:
        quarter = max(1, len(self.heap) // 4)

        def growth(samples: list[int]) -> float:
            first = statistics.fmean(samples[:quarter])
            last = statistics.fmean(samples[-quarter:])
            return (last - first) / first if first else 0.0

        heap_growth, rss_growth = growth(self.heap), growth(self.rss)
        slow = sum(1 for f in self.frames if f > FRAME_BUDGET_MS)
        ok = {
            "growth": heap_growth < GROWTH_TARGET and rss_growth < GROWTH_TARGET,
            "items": items_end <= items_start,
            "frames": slow == 0,
        }

        def verdict(key: str) -> str:
            return "ok" if ok[key] else "MISSED"

        frames = sorted(self.frames)
        slow_after: dict[str, int] = {}
        for f, kind in zip(self.frames, self.kinds, strict=True):
            if f > FRAME_BUDGET_MS:
                slow_after[kind] = slow_after.get(kind, 0) + 1
        print(f"Authflow soak: {self.steps} steps in {elapsed:.0f} s ({len(self.runs)} lesson/mode")
        print(f"  runs; {self.mode_switches} mode switches, {self.lesson_switches} lesson changes;")
        print(f"  animations {ANIMATION_MS} ms; stage repainted at {SIZE[0]}x{SIZE[1]} each step)")
        print(f"peak memory          process {mib(max_rss_bytes())} (max RSS)")
        if self.trace_malloc:
            print(f"                     Python heap {mib(heap_peak)} (tracemalloc)")
        heap_what = "traced heap" if self.trace_malloc else "heap blocks"
        print(
            f"growth, first to last quarter: {heap_what} {heap_growth:+.1%}, "
            f"RSS {rss_growth:+.1%}"
            f"   target < {GROWTH_TARGET:.0%}   {verdict('growth')}"
        )
        print(
            f"live scene items     start {items_start}, end {items_end}"
            f"   target: end <= start   {verdict('items')}"
        )
        print(f"live Python objects  start {objects_start}, end {objects_end}")
        print(
            f"frames over {FRAME_BUDGET_MS:.0f} ms   {slow} of {len(frames)}"
            f"   (median {statistics.median(frames):.2f} ms, p99 "
            f"{frames[int(len(frames) * 0.99) - 1]:.2f} ms, worst {frames[-1]:.2f} ms)"
            f"   target: none   {verdict('frames')}"
        )
        if slow_after:
            print("  slow frames after: " + ", ".join(f"{k} {n}" for k, n in slow_after.items()))
        if hasattr(os, "getloadavg"):
            print(f"  load average at the end: {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)")
        return 0 if all(ok.values()) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--steps", type=int, default=20000, help="steps to play [20000]")
    parser.add_argument("--seed", type=int, default=1, help="random choices and the run's seed")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="also trace Python allocations (slower)"
    )
    args = parser.parse_args()
    if args.steps < 8:
        parser.error("--steps must be at least 8")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    soak = Soak(args.steps, args.seed, args.tracemalloc)
    status = soak.run()
    soak.window.close()
    del app
    return status


if __name__ == "__main__":
    sys.exit(main())
