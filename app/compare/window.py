"""The side-by-side window: one lesson run in two or three panes that step together,
with the scoreboard under them.

Each pane has its own stage and Player. The panes' traces differ in length (a hybrid
refresh adds events), so they are stepped by one shared position on the timeline from
`simulator.analysis.compare.timeline`: the same lesson step and the same place within it.
Which steps' outcomes differ comes from `simulator.analysis.compare.compare`; the figures from
`authflow.simulator.analysis.scoreboard`. Nothing here decides an outcome.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QFont, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QScrollArea,
    QSlider,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from authflow.app.compare.pane import ComparePane, run_title
from authflow.app.session.player import BASE_INTERVAL_MS
from authflow.app.session.run_controller import random_seed
from authflow.app.views import palette as palettes
from authflow.app.views import window_scale
from authflow.app.views.lesson_picker import LessonPicker
from authflow.app.views.playback import ActionSpec, make_actions, paint_icons
from authflow.app.views.scoreboard import ScoreboardView
from authflow.simulator.config.modes import MODE_TITLES, MODES

if TYPE_CHECKING:
    from authflow.app.views.palette import Palette
    from authflow.simulator.analysis.compare import Comparison, Timeline

TOOLBAR_ICON_SIDE = 20
"""At the system font size; grows with the window's text like the main window's."""


@dataclass(frozen=True, slots=True)
class RunSpec:
    """What one pane runs: a mode and setting overrides on top of the lesson's."""

    mode: str
    overrides: Mapping[str, str] = field(default_factory=dict)


def parse_overrides(text: str) -> dict[str, str]:
    """ "same_site=None secure=true" (spaces or commas between) -> a dict; checked by
    the simulator's `resolve`, whose message names what is wrong."""
    from authflow.simulator.config.settings import SettingError, resolve

    out: dict[str, str] = {}
    for part in text.replace(",", " ").split():
        key, sep, value = part.partition("=")
        if not sep or not key:
            raise SettingError(f"{part!r} is not key=value")
        out[key.strip()] = value.strip()
    resolved = resolve(out)
    return {k: resolved[k] for k in out}


class SyncedPlayback(QObject):
    """One position on the shared timeline, driving every pane's Player to its event."""

    position_changed = Signal(int)
    playing_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timeline: Timeline | None = None
        self.panes: list[ComparePane] = []
        self.position = -1
        self._timer = QTimer(self)
        self._timer.setInterval(BASE_INTERVAL_MS)
        self._timer.timeout.connect(self._tick)

    @property
    def length(self) -> int:
        return len(self.timeline) if self.timeline is not None else 0

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def set_runs(self, panes: Sequence[ComparePane], timeline: Timeline, position: int) -> None:
        self.panes = list(panes)
        self.timeline = timeline
        self.position = -2  # force the jump to emit
        self.jump(position)

    def jump(self, position: int) -> None:
        position = max(-1, min(position, self.length - 1))
        if position == self.position or self.timeline is None:
            return
        self.position = position
        for run, pane in enumerate(self.panes):
            pane.show_index(self.timeline.index_for(run, position))
        self.position_changed.emit(position)

    def step_forward(self) -> bool:
        if self.position >= self.length - 1:
            self.pause()
            return False
        self.jump(self.position + 1)
        return True

    def step_back(self) -> bool:
        if self.position <= -1:
            return False
        self.jump(self.position - 1)
        return True

    def play(self) -> None:
        if self.playing or not self.length:
            return
        if self.position >= self.length - 1:
            self.jump(-1)
        self._timer.start()
        self.playing_changed.emit(True)

    def pause(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self.playing_changed.emit(False)

    def toggle(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play()

    def _tick(self) -> None:
        self.step_forward()


class CompareWindow(QMainWindow):
    """Two or three runs of one lesson side by side, stepping together."""

    runs_changed = Signal()

    def __init__(
        self,
        scenario: str = "basics",
        runs: Sequence[RunSpec] = (RunSpec("session"), RunSpec("jwt"), RunSpec("hybrid")),
        seed: int | None = None,
        base_overrides: Mapping[str, str] | None = None,
        palette: Palette | None = None,
        animation_ms: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("compare_window")
        self.setWindowTitle("Authflow — side by side")
        self.palette_roles = palette or palettes.for_system()
        self.scenario = scenario
        self.seed = random_seed() if seed is None else seed
        self.base_overrides = dict(base_overrides or {})
        """Settings every pane shares (the main window's changes)."""
        self.specs: list[RunSpec] = list(runs)[:3]
        if len(self.specs) < 2:
            raise ValueError("side by side needs two or three runs")
        self.animation_ms = animation_ms
        self._base_font = QFont(self.font())
        self._font_factor = 1.0
        self.playback = SyncedPlayback(self)
        self.comparison: Comparison | None = None
        self.panes: list[ComparePane] = []
        self.mode_pickers: list[QComboBox] = []
        self.setting_edits: list[QLineEdit] = []

        self.lesson_picker = LessonPicker()
        self.lesson_picker.setObjectName("compare_lesson")
        self.pane_count = QComboBox()
        self.pane_count.setObjectName("compare_pane_count")
        self.pane_count.addItem("2 panes", 2)
        self.pane_count.addItem("3 panes", 3)
        self.actions_by_key = self._make_actions()
        self.refresh_icons()
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("compare_slider")
        self.slider.setToolTip("Jump: every pane follows to the same lesson step")
        self.position_label = QLabel()
        self.position_label.setObjectName("compare_position")
        self.message = QLabel()
        self.message.setObjectName("compare_message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # quotes refused values
        self.message.setWordWrap(True)
        bold = self.message.font()
        bold.setBold(True)
        self.message.setFont(bold)
        self.pane_row = QSplitter(Qt.Orientation.Horizontal)
        self.pane_row.setChildrenCollapsible(False)
        # Each pane keeps its stage's text legible (ComparePane.MIN_STAGE_EM_PX); when
        # the window cannot hold them all at that size, the row scrolls.
        self.pane_scroll = QScrollArea()
        self.pane_scroll.setObjectName("compare_panes")
        self.pane_scroll.setWidgetResizable(True)
        self.pane_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.pane_scroll.setWidget(self.pane_row)
        # A longer explanation makes a pane taller than the room it was given: take the
        # few pixels from the scoreboard rather than scroll the stages up and down.
        self.pane_scroll.verticalScrollBar().rangeChanged.connect(self._panes_outgrown)
        self.scoreboard = ScoreboardView()
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(self.pane_scroll)
        split.addWidget(self.scoreboard)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        self.splitter = split
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self._make_controls())
        layout.addWidget(self.message)
        layout.addWidget(split, 1)
        self.setCentralWidget(central)

        self.playback.position_changed.connect(self._position_changed)
        self.playback.playing_changed.connect(self._playing_changed)
        self.slider.valueChanged.connect(lambda v: self.jump(v - 1))
        self.lesson_picker.activated.connect(lambda _i: self._lesson_chosen())
        self.pane_count.activated.connect(lambda _i: self._pane_count_chosen())
        self._fill_lessons()
        self._build_panes()
        self.rebuild()

    # Building ---------------------------------------------------------------------------
    def _make_actions(self) -> dict[str, QAction]:
        # No style icons: refresh_icons draws them in the theme's text colour.
        specs: list[ActionSpec] = [
            ("restart", "Restart", None, ["Home"], self.restart),
            ("back", "Back", None, ["Left", "PgUp"], self.step_back),
            ("play", "Play", None, ["Space"], self.playback.toggle),
            ("forward", "Step", None, ["Right", "PgDown"], self.step_forward),
            ("end", "Last event", None, ["End"], self.jump_end),
        ]
        return make_actions(self, specs, "compare_", " in every pane")

    def _make_controls(self) -> QWidget:
        bar = self.toolbar = QToolBar("Side by side")
        bar.setObjectName("compare_toolbar")
        bar.setIconSize(QSize(TOOLBAR_ICON_SIDE, TOOLBAR_ICON_SIDE))
        bar.addWidget(QLabel(" Lesson "))
        bar.addWidget(self.lesson_picker)
        bar.addWidget(self.pane_count)
        bar.addSeparator()
        for key in ("restart", "back", "play", "forward", "end"):
            bar.addAction(self.actions_by_key[key])
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(bar)
        row.addWidget(self.slider, 1)
        row.addWidget(self.position_label)
        return box

    def _fill_lessons(self) -> None:
        from authflow.simulator.lessons.library import library

        self.lesson_picker.fill(library())
        i = self.lesson_picker.findData(self.scenario)
        if i < 0:
            raise ValueError(f"unknown lesson {self.scenario!r}")
        self.lesson_picker.setCurrentIndex(i)

    def _build_panes(self) -> None:
        for pane in self.panes:
            pane.stop()
            pane.setParent(None)
            pane.deleteLater()
        self.panes, self.mode_pickers, self.setting_edits = [], [], []
        for i, spec in enumerate(self.specs):
            pane = ComparePane(self.palette_roles, self._packet_ms)
            pane.set_base_font(self.font())
            picker = QComboBox()
            picker.setObjectName(f"compare_mode_{i}")
            for mode in MODES:
                picker.addItem(MODE_TITLES[mode], mode)
            picker.setCurrentIndex(picker.findData(spec.mode))
            picker.setToolTip("This pane's mode")
            picker.activated.connect(lambda _i, n=i: self._run_edited(n))
            edit = QLineEdit(" ".join(f"{k}={v}" for k, v in spec.overrides.items()))
            edit.setObjectName(f"compare_settings_{i}")
            edit.setPlaceholderText("settings, e.g. same_site=None")
            edit.setToolTip(
                "Settings for this pane only, as key=value (two settings of one mode side by side)"
            )
            edit.editingFinished.connect(lambda n=i: self._run_edited(n))
            head = QHBoxLayout()
            head.setContentsMargins(0, 0, 0, 0)
            head.addWidget(picker)
            head.addWidget(edit, 1)
            holder = QWidget()
            holder.setLayout(head)
            layout = pane.layout()
            assert isinstance(layout, QVBoxLayout)
            layout.insertWidget(0, holder)
            self.panes.append(pane)
            self.mode_pickers.append(picker)
            self.setting_edits.append(edit)
            self.pane_row.addWidget(pane)
        self.pane_count.setCurrentIndex(self.pane_count.findData(len(self.specs)))

    # Running ----------------------------------------------------------------------------
    def rebuild(self) -> None:
        """Run the lesson once per pane, then compare, score and keep the lesson step."""
        from authflow.simulator import load_scenario, run_scenario
        from authflow.simulator.analysis.compare import compare, timeline
        from authflow.simulator.analysis.scoreboard import score

        step = self.current_step()
        scenario = load_scenario(self.scenario)
        traces = []
        for spec in self.specs:
            overrides = {**self.base_overrides, **spec.overrides}
            traces.append(run_scenario(scenario, spec.mode, overrides, self.seed))
        titles = [run_title(s.mode, dict(s.overrides)) for s in self.specs]
        line = timeline(traces)
        self.comparison = compare(traces)
        for pane, trace, title in zip(self.panes, traces, titles, strict=True):
            pane.set_run(trace, title, -1)
        self.scoreboard.set_boards(
            [score(t, title) for t, title in zip(traces, titles, strict=True)]
        )
        self.slider.blockSignals(True)
        self.slider.setRange(0, len(line))
        self.slider.blockSignals(False)
        self.setWindowTitle(f"Authflow — side by side: {scenario.title}")
        position = -1
        if step is not None:
            first = line.first_of_step(step)
            position = first if first >= 0 else -1
        self.playback.set_runs(self.panes, line, position)
        self._say_changed_steps()
        self.fit_scoreboard()
        self.runs_changed.emit()

    def fit_scoreboard(self) -> None:
        """Give the scoreboard the height its rows need (at most half the window, and
        no more than leaves the panes their legible height: the table scrolls more
        gracefully than a row of stages) and the panes the rest: a pane's stage takes
        the shape of its view, so it uses it."""
        total = sum(self.splitter.sizes()) or self.splitter.height()
        if total <= 0:
            return
        self.scoreboard.table.resizeRowsToContents()
        floor = self.scoreboard.minimumSizeHint().height()
        panes = self.pane_row.minimumSizeHint()
        if panes.width() > self.pane_scroll.width():
            panes.setHeight(
                panes.height() + self.pane_scroll.horizontalScrollBar().sizeHint().height()
            )
        board = min(self.scoreboard.content_height(), total // 2, total - panes.height())
        board = max(floor, board)
        self.splitter.setSizes([total - board, board])

    def _panes_outgrown(self, _low: int, high: int) -> None:
        if high > 0:
            self.fit_scoreboard()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # After the layouts settle: the table's rows wrap to their new column widths.
        QTimer.singleShot(0, self, self.fit_scoreboard)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        screen = self.screen()
        if screen is not None:
            self.scale_for_screen(screen.availableGeometry().size())

    def scale_for_screen(self, size: QSize) -> None:
        """Grow the text for a screen of `size`, as the main window does (a projector
        gets large text; resizing the window changes none); the stages scale themselves."""
        factor = window_scale.text_factor(size)
        if abs(factor - self._font_factor) < 0.05:
            return
        self._font_factor = factor
        font = window_scale.scaled_font(self._base_font, factor)
        self.setFont(font)
        side = round(TOOLBAR_ICON_SIDE * factor)
        self.toolbar.setIconSize(QSize(side, side))
        for pane in self.panes:
            pane.set_base_font(font)
        bold = QFont(font)
        bold.setBold(True)
        self.message.setFont(bold)
        self.scoreboard.set_base_font(font)

    def set_palette(self, palette: Palette) -> None:
        """Redraw in `palette` (the main window's theme changed): the stages and the
        panes' marks are painted from it; Qt's own widgets follow the application's
        palette by themselves."""
        self.palette_roles = palette
        for pane in self.panes:
            pane.set_palette(palette)

    def follow_theme(self, choice: str) -> None:
        """The main window's View > Theme changed to `choice` ("system" included)."""
        self.set_palette(palettes.resolve(choice))

    @property
    def font_factor(self) -> float:
        return self._font_factor

    def current_step(self) -> int | None:
        line = self.playback.timeline
        return line.step_at(self.playback.position) if line is not None else None

    def _say_changed_steps(self) -> None:
        comparison = self.comparison
        if comparison is None:
            return
        changed = comparison.changed_steps
        if changed:
            listed = ", ".join(f"{s + 1} ({comparison.steps[s].action})" for s in changed)
            self.message.setText(f"Outcomes differ at step {listed}.")
        else:
            self.message.setText("Every step ends the same way in every pane.")

    def set_runs(self, specs: Sequence[RunSpec]) -> None:
        if not 2 <= len(specs) <= 3:
            raise ValueError("side by side needs two or three runs")
        self.specs = list(specs)
        self._build_panes()
        self.rebuild()

    def set_lesson(self, name: str) -> None:
        self.scenario = name
        self.lesson_picker.setCurrentIndex(self.lesson_picker.findData(name))
        self.playback.jump(-1)
        self.rebuild()

    def _lesson_chosen(self) -> None:
        name = self.lesson_picker.currentData()
        previous = self.scenario
        if not name or name == previous:
            return
        self.scenario = str(name)
        position = self.playback.position
        self.playback.jump(-1)
        if not self._rebuild_or_say(f"Lesson {name}: "):
            self.scenario = previous
            self.lesson_picker.setCurrentIndex(self.lesson_picker.findData(previous))
            self.playback.jump(position)

    def _pane_count_chosen(self) -> None:
        count = int(self.pane_count.currentData())
        specs = list(self.specs)
        if count < len(specs):
            specs = specs[:count]
        else:
            used = {s.mode for s in specs}
            spare = [m for m in MODES if m not in used] or ["session"]
            specs.append(RunSpec(spare[0]))
        self.set_runs(specs)

    def _run_edited(self, n: int) -> None:
        from authflow.simulator.config.settings import SettingError

        mode = str(self.mode_pickers[n].currentData())
        try:
            overrides = parse_overrides(self.setting_edits[n].text())
        except SettingError as exc:
            self.message.setText(f"Pane {n + 1}: not changed: {exc}")
            return
        spec = RunSpec(mode, overrides)
        previous = self.specs[n]
        if spec == previous:
            return
        self.specs[n] = spec
        if not self._rebuild_or_say(f"Pane {n + 1}: "):
            self.specs[n] = previous
            self.mode_pickers[n].setCurrentIndex(self.mode_pickers[n].findData(previous.mode))

    def _rebuild_or_say(self, who: str = "") -> bool:
        """Re-run; when the simulator refuses, say why and keep showing the old runs."""
        try:
            self.rebuild()
        except Exception as exc:  # the simulator's message is the user's answer
            self.message.setText(f"{who}could not run that: {exc}")
            return False
        return True

    # Stepping ---------------------------------------------------------------------------
    def step_forward(self) -> None:
        self.playback.pause()
        self.playback.step_forward()

    def step_back(self) -> None:
        self.playback.pause()
        self.playback.step_back()

    def restart(self) -> None:
        self.playback.pause()
        self.playback.jump(0)

    def jump_end(self) -> None:
        self.playback.pause()
        self.playback.jump(self.playback.length - 1)

    def jump(self, position: int) -> None:
        self.playback.pause()
        self.playback.jump(position)

    def _position_changed(self, position: int) -> None:
        line = self.playback.timeline
        self.slider.blockSignals(True)
        self.slider.setValue(position + 1)
        self.slider.blockSignals(False)
        step = line.step_at(position) if line is not None else None
        diff = (
            self.comparison.at(step) if self.comparison is not None and step is not None else None
        )
        for run, pane in enumerate(self.panes):
            pane.mark(diff, run)
        total = len(line) if line is not None else 0
        steps = len(self.comparison.steps) if self.comparison is not None else 0
        where = f"position {position + 1} / {total}"
        if step is not None and diff is not None:
            where = f"Step {step + 1} / {steps} ({diff.action}) · {where}"
        self.position_label.setText(where)

    def _playing_changed(self, playing: bool) -> None:
        self.actions_by_key["play"].setText("Pause" if playing else "Play")
        self.refresh_icons()

    def refresh_icons(self) -> None:
        """The playback icons drawn in the current text colour, as in the main window:
        the style's own icons are dim on dark and high-contrast themes."""
        paint_icons(self.actions_by_key, self, self.playback.playing)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.refresh_icons()

    def _packet_ms(self) -> int:
        if self.animation_ms is not None:
            return self.animation_ms
        return round(BASE_INTERVAL_MS * 0.6)

    # Teardown ---------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop the shared timer, every pane's player and animation."""
        self.playback.pause()
        for pane in self.panes:
            pane.stop()

    @property
    def animating(self) -> bool:
        return any(p.stage.animating for p in self.panes)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)
