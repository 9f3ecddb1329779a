"""Startup: whole processes from launch to the first painted window and to the lesson.

Runs, in alternating pairs, a bare PySide6 QMainWindow (exits on its first paint) and
Authflow's window as `authflow` builds it (arguments parsed, the lesson name checked,
the window made and shown, the lesson run after the first paint), once plain and once
with `--lesson basics --mode jwt`. Each Authflow child prints when its stage first
paints ("painted") and when it has painted the lesson ("lesson": actors, narration and
the first event on screen); with `--memory` it then plays the lesson to its end and
prints its peak memory, against the bare window's. Prints min/median/max of the
per-pair ratios (see benchmarks/paired.py):

- first paint <= 1.5x; first paint with --lesson basics --mode jwt <= 1.6x;
- lesson drawn <= 2.5x; peak memory of basics played to the end <= 1.5x.

    python benchmarks/startup.py [--pairs 10] [--platform offscreen]
"""

from __future__ import annotations

import argparse
import sys

from paired import Ratios, alternate, env_for_children, load_line, python, spawn

RSS = """
import resource, sys
def peak_rss():
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024
"""

BARE = (
    RSS
    + """
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
app = QApplication([])
class FirstPaint(QObject):
    done = False
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not self.done:
            self.done = True
            print("painted", flush=True)
            QTimer.singleShot(0, app.quit)
        return False
watch = FirstPaint()
w = QMainWindow()
w.setCentralWidget(QLabel("bare"))
w.centralWidget().installEventFilter(watch)
w.resize(1366, 768)
w.show()
app.exec()
print(f"rss={peak_rss()}", flush=True)
"""
)

AUTHFLOW = (
    RSS
    + """
import sys, tempfile
from pathlib import Path
PLAY = sys.argv[1] == "play"
argv = sys.argv[2:]
from PySide6.QtCore import QEvent, QObject, QSettings, QSize, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from authflow.app import gui
args = gui.parse_args(argv)
if args.lesson and args.lesson not in gui._scenario_names():
    sys.exit(2)
settings = QSettings(str(Path(tempfile.mkdtemp()) / "bench.ini"), QSettings.Format.IniFormat)
w = gui.open_window(args, QSize(1366, 768), settings)

class Watch(QObject):
    painted = False
    loaded = False
    drawn = False
    def eventFilter(self, obj, event):
        if event.type() != QEvent.Type.Paint:
            return False
        if not self.painted:
            self.painted = True
            print("painted", flush=True)
        elif self.loaded and not self.drawn:
            self.drawn = True
            print("lesson", flush=True)
            QTimer.singleShot(0, play if PLAY else app.quit)
        return False

def play():
    trace = w.player.trace
    for i in range(len(trace.events)):
        w.player.jump(i)
        app.processEvents()
    app.quit()

def loaded(trace):
    watch.loaded = True
    w.stage_view.viewport().update()

watch = Watch()
w.stage_view.viewport().installEventFilter(watch)
w.player.trace_changed.connect(loaded)
w.start_after_first_paint(-1 if args.step is None else args.step - 1)
w.show()
app.exec()
w.shutdown()
print(f"rss={peak_rss()}", flush=True)
"""
)

LESSON = ("--lesson", "basics", "--mode", "jwt")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=10)
    parser.add_argument("--platform", default="offscreen")
    args = parser.parse_args()
    env = env_for_children(args.platform)
    bare = python(BARE)
    print(load_line())
    print(f"platform: {args.platform}")

    paint = Ratios("first paint", 1.5)
    drawn = Ratios("lesson drawn (actors, narration, first event)", 2.5)
    alternate(
        args.pairs,
        lambda: spawn(bare, env, marks=True),
        lambda: spawn([*python(AUTHFLOW), "quit"], env, marks=True),
        lambda o, f: (paint.add(o["painted"], f["painted"]), drawn.add(o["lesson"], f["painted"])),
    )
    print(paint.line(), flush=True)
    print(drawn.line(), flush=True)

    paint_lesson = Ratios("first paint, --lesson basics --mode jwt", 1.6)
    drawn_lesson = Ratios("lesson drawn, --lesson basics --mode jwt", 2.5)
    memory = Ratios("peak memory, basics (jwt) played to the end", 1.5)
    alternate(
        args.pairs,
        lambda: spawn(bare, env, marks=True),
        lambda: spawn([*python(AUTHFLOW), "play", *LESSON], env, marks=True),
        lambda o, f: (
            paint_lesson.add(o["painted"], f["painted"]),
            drawn_lesson.add(o["lesson"], f["painted"]),
            memory.add(o["rss"], f["rss"]),
        ),
    )
    print(paint_lesson.line(), flush=True)
    print(drawn_lesson.line(), flush=True)
    print(memory.line(unit="MiB", scale=1 / 2**20), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
