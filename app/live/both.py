"""Both: the simulated and the live run of one lesson side by side, stepping together,
with every event where they differ marked in both panes.

The panes, their shared timeline and the synced playback are the side-by-side window's
(app/compare); which events differ comes from authflow.simulator.live.agreement. Nothing here
decides an outcome.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QVBoxLayout, QWidget

from authflow.app.compare.pane import ComparePane
from authflow.app.compare.window import SyncedPlayback

if TYPE_CHECKING:
    from authflow.app.views.palette import Palette
    from authflow.simulator.live.agreement import Agreement
    from authflow.simulator.trace.trace import Trace


class BothWindow(QMainWindow):
    """The simulated run on the left, the live run on the right."""

    def __init__(self, agreement: Agreement, palette: Palette, animation_ms: int = 0) -> None:
        super().__init__()
        from authflow.simulator.analysis.compare import timeline

        self.setObjectName("both_window")
        self.agreement = agreement
        simulated, live = agreement.simulated, agreement.live
        self.setWindowTitle(
            f"Authflow — {simulated.title or simulated.scenario}: simulated and live"
        )
        self.playback = SyncedPlayback(self)
        self.panes = [ComparePane(palette, animation_ms), ComparePane(palette, animation_ms)]
        self.marked = (agreement.marked("simulated"), agreement.marked("live"))
        self.summary = QLabel()
        self.summary.setObjectName("both_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        count = len(agreement.differences)
        self.summary.setText(
            "The real Chromium agrees with the simulation at every step."
            if not count
            else f"{count} difference{'s' if count != 1 else ''}: "
            + "; ".join(d.text() for d in agreement.differences)
        )
        row = QHBoxLayout()
        for pane in self.panes:
            row.addWidget(pane, 1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.summary)
        layout.addLayout(row, 1)
        self.setCentralWidget(central)
        mode = simulated.mode
        self.panes[0].set_run(simulated, f"Simulated · {mode}", -1)
        self.panes[1].set_run(live, f"Live (real Chromium) · {mode}", -1)
        self.timeline = timeline((simulated, live))
        self.playback.position_changed.connect(self._position_changed)
        self.playback.set_runs(self.panes, self.timeline, -1)
        for key, slot in (
            ("Right", self.playback.step_forward),
            ("Left", self.playback.step_back),
            ("Space", self.playback.toggle),
        ):
            QShortcut(QKeySequence(key), self, slot)

    def traces(self) -> tuple[Trace, Trace]:
        return self.agreement.simulated, self.agreement.live

    def _position_changed(self, position: int) -> None:
        for run, pane in enumerate(self.panes):
            index = self.timeline.index_for(run, position)
            self._mark(pane, run, index)

    def _mark(self, pane: ComparePane, run: int, index: int) -> None:
        """Say whether the event this pane shows is one where the runs differ."""
        differs = index in self.marked[run]
        pane.differs = differs
        if index < 0:
            pane.difference.setText("")
        elif differs:
            which = [
                d.text()
                for d in self.agreement.differences
                if (d.simulated if run == 0 else d.live) == index
            ]
            pane.difference.setText("≠ Differs here: " + "; ".join(which))
        else:
            pane.difference.setText("= Same as the other run here")
        pane.difference.setToolTip(pane.difference.text())
        pane._style_difference()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.playback.pause()
        for pane in self.panes:
            pane.stop()
        super().closeEvent(event)
