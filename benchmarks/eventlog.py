"""Event log and sequence diagram with a 100,000-event trace: load, scroll, jump, append.

    python benchmarks/eventlog.py [--events N] [--appends N]

Prints each figure with its target, and the same measures for a bare PySide6 table
(a minimal QAbstractTableModel in a QTableView) as the baseline ratio. Runs offscreen.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import argparse
import dataclasses
import functools
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QApplication, QTableView

from authflow import simulator
from authflow.app.session.player import Player
from authflow.app.views.eventlog import EventLogWidget
from authflow.app.views.sequence import SequenceView, theme_named
from authflow.simulator.trace.trace import Event, Trace

TARGETS = {
    "load": 0.5,  # seconds
    "jump": 0.050,  # seconds
    "append": 0.0001,  # seconds
    "memory": 400.0,  # MB
}


def rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def with_fields(event: Event, **changes: Any) -> Event:
    """A copy of `event` with `changes` (events are frozen dataclasses or named tuples)."""
    if dataclasses.is_dataclass(event):
        return dataclasses.replace(event, **changes)
    return event._replace(**changes)


def big_trace(n: int) -> Trace:
    """`n` events: every lesson in every mode, repeated, renumbered and re-timed."""
    pool: list[Event] = []
    base: Trace | None = None
    for lesson in simulator.scenario_names():
        for mode in simulator.MODES:
            trace = simulator.run_scenario(lesson, mode, seed=1)
            base = base or trace
            pool.extend(e for e in trace.events if e.src in trace.actors and e.dst in trace.actors)
    assert base is not None
    events = tuple(
        with_fields(pool[i % len(pool)], seq=i, t=i * 0.25, step=i // 10) for i in range(n)
    )
    steps = base.steps * (n // 10 // max(1, len(base.steps)) + 1)
    return dataclasses.replace(base, events=events, steps=steps[: n // 10 + 1])


def timed(run: Callable[[], Any]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


class BareModel(QAbstractTableModel):
    """The baseline: a table model with nothing but a number per cell."""

    def __init__(self, rows: int) -> None:
        super().__init__()
        self.rows = rows

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.rows

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 8

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        return index.row() if role == Qt.ItemDataRole.DisplayRole else None

    def set_rows(self, rows: int) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()


def line(name: str, value: float, unit: str, target: float | None = None, base: float = 0) -> None:
    scale = {"s": 1.0, "ms": 1e3, "µs": 1e6, "MB": 1.0}[unit]
    text = f"  {name:<42} {value * scale:10.3f} {unit}"
    if target is not None:
        verdict = "ok" if value <= target else "OVER"
        text += f"   target < {target * scale:g} {unit}: {verdict}"
    if base > 0:
        text += f"   ({value / base:.1f}x bare)"
    print(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--appends", type=int, default=10_000)
    parser.add_argument("--jumps", type=int, default=100)
    args = parser.parse_args(argv)

    app = QApplication.instance() or QApplication(sys.argv[:1])
    base_mb = rss_mb()
    t0 = time.perf_counter()
    trace = big_trace(args.events)
    build_s = time.perf_counter() - t0
    print(f"PySide6 event log benchmark: {len(trace.events):,} events (built in {build_s:.2f} s)")

    # Baseline: a bare model in a bare table view.
    bare_view = QTableView()
    bare_view.verticalHeader().setVisible(False)
    bare_model = BareModel(0)
    bare_view.setModel(bare_model)
    bare_view.resize(1000, 700)
    bare_view.show()
    app.processEvents()
    bare_load = timed(lambda: bare_model.set_rows(len(trace.events)))

    def bare_scroll() -> None:
        bare_view.scrollToBottom()
        bare_view.viewport().repaint()

    bare_scroll_s = timed(bare_scroll)

    player = Player()
    log = EventLogWidget(player)
    log.resize(1000, 700)
    diagram = SequenceView(player, theme_named("light"))
    diagram.resize(1000, 700)
    log.show()
    diagram.show()
    app.processEvents()

    print("Load (trace handed to the player: log model reset and diagram layout)")
    load_log = timed(lambda: log.set_trace(trace))
    load_diagram = timed(lambda: diagram.diagram.set_trace(trace))
    line("event log model load", load_log, "s", TARGETS["load"], bare_load)
    line("sequence diagram layout", load_diagram, "s", TARGETS["load"])

    def load_through_player() -> None:
        player.set_trace(trace, index=0)
        app.processEvents()

    player_load = timed(load_through_player)
    line("both, through Player.set_trace (+ paint)", player_load, "s", TARGETS["load"])

    print("Scroll to the end with a render")

    def log_scroll() -> None:
        log.table.scrollToBottom()
        log.table.viewport().repaint()

    def diagram_scroll() -> None:
        bar = diagram.verticalScrollBar()
        bar.setValue(bar.maximum())
        diagram.viewport().repaint()

    line("event log", timed(log_scroll), "ms", None, bare_scroll_s)
    line("sequence diagram", timed(diagram_scroll), "ms")

    print(f"Jump to a random step ({args.jumps} jumps: log selects, diagram highlights, repaint)")
    rng = random.Random(6)
    jumps = []
    for _ in range(args.jumps):
        target = rng.randrange(len(trace.events))

        def jump(i: int = target) -> None:
            player.jump(i)
            log.table.viewport().repaint()
            diagram.viewport().repaint()

        jumps.append(timed(jump))
    line("median", statistics.median(jumps), "ms", TARGETS["jump"])
    line("worst", max(jumps), "ms", TARGETS["jump"])

    print(f"Append {args.appends:,} events one by one while the log follows the newest")
    log.follow_box.setChecked(True)
    extra = [
        with_fields(trace.events[i % len(trace.events)], seq=len(trace.events) + i)
        for i in range(args.appends)
    ]
    appends = [timed(functools.partial(log.append_events, [e])) for e in extra]
    flush = timed(lambda: (app.processEvents(), log.table.viewport().repaint()))
    line("median append", statistics.median(appends), "µs", TARGETS["append"])
    line("mean append", statistics.fmean(appends), "µs", TARGETS["append"])
    line("99th percentile append", sorted(appends)[int(len(appends) * 0.99)], "µs")
    line("repaint after the appends", flush, "ms")
    last = log.table.model().rowCount() - 1
    shown = log.table.rowAt(log.table.viewport().height() - 2)
    print(f"  newest row in view: {shown == last or shown == -1} (row {shown} of {last})")

    print("Memory")
    peak = rss_mb()
    line("peak resident memory", peak, "MB", TARGETS["memory"])
    line("of which above a bare QApplication", peak - base_mb, "MB")
    log.close()
    diagram.close()
    bare_view.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
