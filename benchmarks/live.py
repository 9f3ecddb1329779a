"""Live mode: time from choosing Live to the first live event on the stage, and the
memory of the live run (all processes: Python and Chromium's, PSS).

Each measurement runs in a fresh process (Qt WebEngine starts once per process, so a
first Live is a cold start). The bare baseline, in the same run, is the least a live
run needs: a QApplication, an off-the-record QWebEngineProfile and a QWebEnginePage
loading one page from a loopback http.server. Authflow's figure is its main window on
the basics lesson, from triggering Engine > Live to the first live event shown.

    python benchmarks/live.py [--runs 3] [--lesson basics] [--mode session]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PSS = """
import os
def pss_mib():
    kids = {}
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                stat = open(f"/proc/{pid}/stat").read()
            except OSError:
                continue
            kids.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(pid))
    todo, total = [os.getpid()], 0
    while todo:
        pid = todo.pop()
        todo += kids.get(pid, [])
        try:
            for line in open(f"/proc/{pid}/smaps_rollup"):
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024
"""

BARE = (
    PSS
    + """
import json, threading, time
from http.server import HTTPServer, SimpleHTTPRequestHandler
from authflow.app.live.command import application
from authflow.app.live.engine import start_engine
srv = HTTPServer(("127.0.0.1", 0), SimpleHTTPRequestHandler)
threading.Thread(target=srv.serve_forever, daemon=True).start()
app = application()
start_engine()
base = pss_mib()
from PySide6.QtCore import QUrl
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile
t0 = time.perf_counter()
profile = QWebEngineProfile()
page = QWebEnginePage(profile)
page.loadFinished.connect(lambda ok: app.quit())
page.load(QUrl(f"http://127.0.0.1:{srv.server_port}/README.md"))
app.exec()
print(json.dumps({"first": time.perf_counter() - t0, "pss": pss_mib(), "before": base}))
del page
"""
)

AUTHFLOW = (
    PSS
    + """
import json, sys, time
from authflow.app.live.command import application
app = application()
from authflow.app.window.shell import MainWindow
win = MainWindow(scenario=sys.argv[1], mode=sys.argv[2], seed=1, animation_ms=0)
win.resize(1366, 768)
win.show()
win.start()
app.processEvents()
base = pss_mib()
first = []
peak = [0.0]
win.parts.engine.first_live_event.connect(first.append)
win.player.step_changed.connect(lambda _i: peak.__setitem__(0, max(peak[0], pss_mib())))
t0 = time.perf_counter()
win.parts.engine.actions["live"].trigger()
total = time.perf_counter() - t0
print(json.dumps({"first": first[0], "whole": total, "pss": max(peak[0], pss_mib()),
                  "before": base, "events": len(win.player.trace.events)}))
win.shutdown()
"""
)


def measure(code: str, *args: str) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    line = [ln for ln in out.stdout.splitlines() if ln.startswith("{")][-1]
    result: dict[str, float] = json.loads(line)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lesson", default="basics")
    parser.add_argument("--mode", default="session")
    args = parser.parse_args()
    bare, ours = [], []
    for _ in range(args.runs):
        bare.append(measure(BARE))
        ours.append(measure(AUTHFLOW, args.lesson, args.mode))

    def med(rows: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in rows)

    print(f"{args.runs} runs each, fresh process per run, offscreen")
    print(f"bare Qt WebEngine, first page loaded:      {med(bare, 'first'):6.2f} s")
    print(
        f"Authflow, Live chosen -> first live event: {med(ours, 'first'):6.2f} s"
        f"  ({med(ours, 'first') / med(bare, 'first'):.1f}x bare)"
    )
    print(
        f"Authflow, whole live run of {args.lesson}/{args.mode}:   {med(ours, 'whole'):6.2f} s"
        f"  ({int(med(ours, 'events'))} events)"
    )
    print(
        f"memory (PSS, all processes) bare: {med(bare, 'pss'):6.0f} MiB"
        f" (before WebEngine {med(bare, 'before'):.0f})"
    )
    print(
        f"memory (PSS, all processes) Authflow live run: {med(ours, 'pss'):6.0f} MiB"
        f" (window before Live {med(ours, 'before'):.0f}; "
        f"{med(ours, 'pss') / med(bare, 'pss'):.1f}x bare)"
    )


if __name__ == "__main__":
    main()
