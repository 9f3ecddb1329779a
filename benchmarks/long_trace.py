"""A long run in the window: open a 100,000-request lesson, then step at its start,
middle and end with every inspector open.

The lesson is basics in JWT mode followed by "view profile" until the run holds
`--requests` requests (about four events each). Opening it is what the window does when
a lesson is chosen (simulate, then stage, event log, sequence diagram, inspectors);
its time and the process's peak memory are printed against their targets (<= 8 s,
<= 400 MB). Each step is one step forward with the event loop run until the views have
repainted; at the end of the run a step must cost at most 1.5x one at its start, and at
most 20 ms. Every inspector dock is floated, so all of them paint on every step.

    QT_QPA_PLATFORM=offscreen python benchmarks/long_trace.py [--requests 100000]
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import argparse
import resource
import statistics
import sys
import time

from PySide6.QtWidgets import QApplication

from authflow.app.views.palette import LIGHT
from authflow.app.window.shell import MainWindow
from authflow.simulator.trace.trace import Step

STEPS_MEASURED = 30


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step_times(app: QApplication, window: MainWindow, start: int) -> list[float]:
    """Seconds per step forward from event `start`, each with the window repainted."""
    player = window.player
    player.jump(start)
    app.processEvents()
    times = []
    for _ in range(STEPS_MEASURED):
        began = time.perf_counter()
        player.step_forward()
        app.processEvents()  # the views' repaints, as the event loop would run them
        times.append(time.perf_counter() - began)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    window = MainWindow(scenario="basics", mode="jwt", seed=1, palette=LIGHT, animation_ms=0)
    window.resize(1366, 768)
    window.show()
    window.start(-1)
    app.processEvents()
    # Every inspector on screen at once (docked they share one tab strip).
    for dock in window.parts.inspectors.docks.values():
        dock.setFloating(True)
        dock.show()
    app.processEvents()
    base = window.controller.trace
    assert base is not None
    have = sum(e.kind == "request" for e in base.events)
    extra = max(0, args.requests - have)
    print(f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    print(f"before opening: peak {peak_mb():.0f} MB")

    window.controller.extra_steps = [Step("profile", {}, "")] * extra
    began = time.perf_counter()
    window.controller.rebuild(0)
    app.processEvents()
    window.repaint()
    opened = time.perf_counter() - began
    trace = window.controller.trace
    assert trace is not None
    n = len(trace.events)
    requests = sum(e.kind == "request" for e in trace.events)
    print(
        f"opened {requests:,} requests, {n:,} events in {opened:.1f} s (target <= 8 s), "
        f"peak memory {peak_mb():.0f} MB (target <= 400 MB)"
    )

    results = {}
    for name, at in (("start", 0), ("middle", n // 2), ("end", n - STEPS_MEASURED - 2)):
        times = step_times(app, window, at)
        results[name] = statistics.median(times)
        print(
            f"step at the {name:<6} (event {at:>7,}): median {results[name] * 1000:6.1f} ms, "
            f"max {max(times) * 1000:6.1f} ms"
        )
    ratio = results["end"] / results["start"]
    print(
        f"end / start: {ratio:.2f}x (target <= 1.5x); end: {results['end'] * 1000:.1f} ms "
        "(target <= 20 ms)"
    )
    window.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
