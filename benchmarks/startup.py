"""Startup: whole-process time from launch to the first painted main window.

Runs, alternately, a bare PySide6 QMainWindow and Authflow's main window (the same
steps as `authflow`: import, simulate the default lesson, build, show) in fresh
processes, each printing a line when its window first paints; the time is measured by
this parent from spawn to that line. Prints medians and Authflow's ratio to the bare
baseline measured in the same run (target: at most 2x).

    python benchmarks/startup.py [--runs 7] [--platform offscreen]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PAINT_WATCH = """
from PySide6.QtCore import QEvent, QObject, QTimer
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not getattr(self, "done", False):
            self.done = True
            print("painted", flush=True)
            if QUIT_ON_PAINT:
                QTimer.singleShot(0, app.quit)
        return False
watch = FirstPaint()
"""

BARE = (
    "QUIT_ON_PAINT = True\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow, QLabel\n"
    "app = QApplication([])\n" + PAINT_WATCH + "w = QMainWindow()\n"
    "w.setCentralWidget(QLabel('bare'))\n"
    "w.centralWidget().installEventFilter(watch)\n"
    "w.resize(1366, 768)\n"
    "w.show()\n"
    "app.exec()\n"
)

AUTHFLOW = (
    "QUIT_ON_PAINT = False\n"
    "from PySide6.QtWidgets import QApplication\n"
    "app = QApplication([])\n" + PAINT_WATCH + "from authflow.app.window.shell import MainWindow\n"
    "w = MainWindow(seed=1)\n"
    "w.stage_view.viewport().installEventFilter(watch)\n"
    "w.resize(1366, 768)\n"
    "w.player.trace_changed.connect(lambda t: print('lesson', flush=True))\n"
    "w.player.trace_changed.connect(lambda t: QTimer.singleShot(0, app.quit))\n"
    "w.start_after_first_paint(-1)\n"
    "w.show()\n"
    "app.exec()\n"
    "w.shutdown()\n"
)


def launch(code: str, env: dict[str, str]) -> dict[str, float]:
    """Seconds from spawning `code` to each line it prints ("painted", "lesson")."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    marks: dict[str, float] = {}
    for line in proc.stdout:
        marks.setdefault(line.strip(), time.perf_counter() - start)
    proc.wait(timeout=30)
    if "painted" not in marks:
        raise RuntimeError(f"the child exited ({proc.returncode}) without painting")
    return marks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    args = parser.parse_args()
    env = {**os.environ, "QT_QPA_PLATFORM": args.platform}
    # Measure what an installed app does: Python caches compiled bytecode (the warm-up
    # runs below write it). With PYTHONDONTWRITEBYTECODE every launch recompiles the
    # whole app, which the bare baseline never pays.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    launch(BARE, env)  # warm the disk cache for both before timing
    launch(AUTHFLOW, env)
    bare: list[float] = []
    ours: list[float] = []
    lesson: list[float] = []
    for _ in range(args.runs):
        bare.append(launch(BARE, env)["painted"])
        marks = launch(AUTHFLOW, env)
        ours.append(marks["painted"])
        lesson.append(marks.get("lesson", float("nan")))
    b, o, t = (statistics.median(x) for x in (bare, ours, lesson))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"platform: {args.platform}, runs: {args.runs} each (medians)")
    print(f"load average {load} on {os.cpu_count()} CPUs (other work inflates both figures)")
    print(f"bare PySide6 QMainWindow, first paint:   {b * 1000:7.1f} ms")
    print(f"Authflow main window, first paint:       {o * 1000:7.1f} ms")
    print(f"Authflow, lesson simulated and on stage: {t * 1000:7.1f} ms")
    print(f"ratio, first paint: {o / b:.2f}x  (target <= 2x); lesson shown: {t / b:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
