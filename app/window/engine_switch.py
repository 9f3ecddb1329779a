"""The window's engine switch: Simulated / Live / Both.

Simulated is the app as it always was. Live re-runs the lesson (and the user's extra
actions) in a real Chromium against the loopback server and plays that trace on the
same stage and inspectors; each step's events appear as soon as that step is done.
Both opens the simulated and live runs side by side. Without the live extra, Live and
Both say how to install it and the window stays simulated. A window part (see
app/window/parts.py): it is handed the window's `Host` and reaches it through nothing else.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QLabel, QToolBar

from authflow.app.live import availability

if TYPE_CHECKING:
    from authflow.app.live.both import BothWindow
    from authflow.app.window.host import Host
    from authflow.simulator.trace.trace import Trace

ENGINES = (("simulated", "Simulated"), ("live", "Live"), ("both", "Both"))


class EngineSwitch(QObject):
    """Which engine the window shows; owns the live runs it starts."""

    engine_changed = Signal(str)
    first_live_event = Signal(float)
    """Seconds from choosing Live to the first live event on the stage."""

    def __init__(self, host: Host) -> None:
        super().__init__(host.qt)
        self.host = host
        window = host.qt
        self.engine = "simulated"
        self.running = False
        self.both: BothWindow | None = None
        self.live_trace: Trace | None = None
        self.actions: dict[str, QAction] = {}
        bar = QToolBar("Engine")
        bar.setObjectName("toolbar_engine")
        bar.setMovable(False)
        bar.addWidget(QLabel(" Engine "))
        group = QActionGroup(self)
        hint = availability()
        for key, title in ENGINES:
            action = QAction(title, window)
            action.setObjectName(f"engine_{key}")
            action.setCheckable(True)
            action.setChecked(key == "simulated")
            if key == "simulated":
                action.setToolTip("The simulator's run of this lesson")
            else:
                action.setToolTip(
                    hint
                    or (
                        "Run this lesson in a real Chromium against a real loopback server"
                        if key == "live"
                        else "The simulated and the real run side by side, differences marked"
                    )
                )
            action.triggered.connect(lambda _c=False, k=key: self.choose(k))
            group.addAction(action)
            bar.addAction(action)
            self.actions[key] = action
        window.addToolBar(bar)
        # The same actions in Tools, so the keyboard (Alt+T) reaches them too.
        menu = host.menus.tools
        menu.addSeparator()
        for action in self.actions.values():
            menu.addAction(action)
        host.controller.run_changed.connect(self._simulated_changed)

    def choose(self, engine: str) -> None:
        if self.running:
            return
        if engine != "simulated":
            hint = availability()
            if hint:
                self.host.qt.statusBar().showMessage(hint, 15000)
                self.actions[self.engine].setChecked(True)
                return
        self.engine = engine
        self.actions[engine].setChecked(True)
        if engine == "simulated":
            self.host.controller.rebuild(self.host.player.index)
        else:
            self._run_live()
        self.engine_changed.emit(engine)

    def _simulated_changed(self) -> None:
        # The controller re-ran the simulator (mode, lesson, a setting, an action): a
        # live view shown now would be of another run, so the switch says Simulated.
        if self.engine != "simulated" and not self.running:
            self.engine = "simulated"
            self.actions["simulated"].setChecked(True)
            self.engine_changed.emit("simulated")

    def _run_live(self) -> None:
        from authflow.app.live.command import application
        from authflow.app.live.session import run_lesson_live

        application()
        controller = self.host.controller
        started = time.perf_counter()
        shown = [False]
        status = self.host.qt.statusBar()
        status.showMessage("Starting a real Chromium for the live run…")

        def partial(trace: Trace) -> None:
            if self.engine == "live":
                self.host.player.set_trace(trace, len(trace.events) - 1 if shown[0] else 0)
            if not shown[0]:
                shown[0] = True
                self.first_live_event.emit(time.perf_counter() - started)

        self.running = True
        try:
            trace = run_lesson_live(
                controller.scenario,
                controller.mode,
                controller.overrides,
                controller.seed,
                on_trace=partial,
                extra_steps=controller.extra_steps,
            )
        except Exception as exc:  # the real browser failed: say so, stay simulated
            self.running = False
            status.showMessage(f"The live run failed: {exc}", 15000)
            self.choose("simulated")
            return
        self.running = False
        self.live_trace = trace
        if self.engine == "live":
            self.host.player.set_trace(trace, 0)
            window = self.host.qt
            window.setWindowTitle(f"{window.windowTitle()} — live, in a real Chromium")
            status.showMessage("Live: a real Chromium ran this lesson.", 8000)
        else:
            self._open_both(trace)

    def _open_both(self, live: Trace) -> None:
        from authflow.app.live.both import BothWindow
        from authflow.simulator.live.agreement import compare_runs

        simulated = self.host.controller.trace
        if simulated is None:
            simulated = self.host.controller.rebuild(-1)
        if self.both is not None:
            self.both.close()
            self.both.deleteLater()
        animation = self.host.animation_ms
        self.both = BothWindow(
            compare_runs(simulated, live), self.host.palette_roles, animation or 0
        )
        self.both.resize(self.host.qt.size())
        self.both.show()
        differences = len(self.both.agreement.differences)
        self.host.qt.statusBar().showMessage(
            "Both: the runs agree."
            if not differences
            else f"Both: {differences} difference(s) marked.",
            8000,
        )
