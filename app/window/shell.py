"""The main window: toolbar (mode, actions, lesson), stage, narration, playback.

The window owns a Player and a RunController and wires them to the stage. User actions
append a simulator Step (the simulator re-runs and the player plays the new events);
nothing here decides what a browser or server would do. It is a shell: presenting,
themes, keyboard access, workspaces, memory, autosave, the welcome and the panels are
its parts (app/window/parts.py), each handed this window as its `Host` (app/window/host.py).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QFont,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from authflow.app.session.player import Player
from authflow.app.session.run_controller import RunController
from authflow.app.views import palette as palettes
from authflow.app.views import window_scale
from authflow.app.views.lesson_picker import LessonPicker
from authflow.app.views.narration import NarrationBar
from authflow.app.views.palette import Palette
from authflow.app.views.playback import ActionSpec, PlaybackControls, make_actions
from authflow.app.views.stage.scene import StageScene
from authflow.app.views.stage.view import StageView
from authflow.app.window import inspector_area
from authflow.app.window.host import Menus, Toolbars
from authflow.app.window.parts import WindowParts
from authflow.simulator.config.modes import MODE_TITLES, MODES

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtCore import QByteArray, QSettings

    from authflow.app.window.autosave import Autosaver
    from authflow.app.window.persistence import Persistence
    from authflow.app.window.welcome import WelcomeDialog
    from authflow.simulator.trace.trace import Step

DEFAULT_USER = {"user": "alice", "password": "wonderland"}


@dataclass(frozen=True, slots=True)
class UserAction:
    """A toolbar button that appends one simulator Step."""

    key: str
    text: str
    action: str
    args: dict[str, Any] = field(default_factory=dict)
    narration: str = ""
    tip: str = ""
    modes: tuple[str, ...] = MODES
    why_not: str = ""
    """Tooltip shown when the current mode has no use for the action."""


USER_ACTIONS: tuple[UserAction, ...] = (
    UserAction(
        "login",
        "Log in",
        "login",
        DEFAULT_USER,
        "You log in as alice.",
        "Send alice's name and password to POST /auth/login.",
    ),
    UserAction(
        "profile",
        "View profile",
        "profile",
        {},
        "You open your profile page.",
        "GET /api/profile: a request that needs you to be signed in.",
    ),
    UserAction(
        "transfer",
        "Transfer",
        "transfer",
        {"amount": 100, "to": "bob"},
        "You transfer 100 to bob.",
        "POST /api/transfer: a state-changing request (what CSRF goes after).",
    ),
    UserAction("logout", "Log out", "logout", {}, "You log out.", "POST /auth/logout."),
    UserAction(
        "refresh",
        "Refresh",
        "refresh",
        {},
        "The page refreshes its access token.",
        "POST /auth/refresh: trade the refresh cookie for a new access token.",
        modes=("hybrid",),
        why_not="Only hybrid mode has a refresh token: session and JWT modes have "
        "nothing to refresh.",
    ),
    UserAction(
        "reload",
        "Reload page",
        "reload",
        {},
        "You reload the page.",
        "Reload: the page's JavaScript memory is lost; cookies and localStorage stay.",
    ),
    UserAction(
        "restart_browser",
        "Restart browser",
        "restart_browser",
        {},
        "You quit and restart the browser.",
        "Session cookies and page memory are lost; persistent cookies stay.",
    ),
    UserAction(
        "restart_server",
        "Restart server",
        "restart_server",
        {},
        "The server restarts.",
        "An in-memory store forgets everything; a shared store keeps its keys.",
    ),
)

WAITS: tuple[tuple[str, float], ...] = (
    ("1 minute", 60),
    ("16 minutes (past a 15-minute access token)", 16 * 60),
    ("31 minutes (past a 30-minute idle timeout)", 31 * 60),
    ("2 hours", 2 * 3600),
    ("1 day", 86400),
    ("8 days (past a 7-day refresh token)", 8 * 86400),
)


class MainWindow(QMainWindow):
    """Authflow's window: the shell its parts are built into (see app/window/host.py)."""

    def __init__(
        self,
        scenario: str | None = None,
        mode: str = "session",
        seed: int | None = None,
        palette: Palette | None = None,
        animation_ms: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Authflow")
        self.palette_roles = palette or palettes.for_system()
        self.animation_ms = animation_ms
        """Packet travel time; None follows the playback speed, 0 disables animation."""
        self.player = Player(self)
        # The simulator is imported by the first run (start()), after the window paints.
        self.controller = RunController(self.player, scenario or "", mode, seed, self)
        self.stage = StageScene(self.palette_roles, self._packet_ms)
        self.stage_view = StageView(self.stage)
        self.narration = NarrationBar(self.palette_roles)
        self._base_font = QFont(self.font())
        self._docks_arranged = False
        self._previous_index = -2
        """The event shown last; the next one (a step forward) animates."""
        self._animate_next = False
        self._font_factor = 1.0
        self._screen_followed = False
        self._unbuilt: list[Callable[[], object]] = []

        self.playback_actions = self._make_playback_actions()
        self.controls = PlaybackControls(self.player, self.playback_actions)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.stage_view, 1)
        layout.addWidget(self.narration)
        layout.addWidget(self.controls)
        self.setCentralWidget(central)

        self.mode_actions: dict[str, QAction] = {}
        self.user_actions: dict[str, QAction] = {}
        self.lesson_picker = LessonPicker()
        wait_menu = QMenu("Wait", self)
        self.toolbars = self._make_toolbars(wait_menu)
        self.menus = self._make_menus(wait_menu)
        self.statusBar().setSizeGripEnabled(False)

        self.player.trace_changed.connect(self._trace_changed)
        self.player.step_changed.connect(self._step_changed)
        self.player.playing_changed.connect(self._playing_changed)
        self.parts = WindowParts.build(self)
        """Panels, presenter, themes, workspaces, keyboard access, memory, autosave."""
        self.stage_view.setFocus()
        self._panels_after_paint = _FirstPaint(self.finish_panels, self.stage_view.viewport())

    # The host its parts see (app/window/host.py) ------------------------------------------------
    @property
    def qt(self) -> QMainWindow:
        return self

    def add_dock(
        self,
        title: str,
        widget: QWidget,
        area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea,
    ) -> QDockWidget:
        """Put `widget` in a dock titled `title`, listed in the View menu."""
        dock = QDockWidget(title, self)
        # A floating dock is a window of its own: without this it keeps the system font
        # while the window scales its text (scale_for_screen).
        dock.setAttribute(Qt.WidgetAttribute.WA_WindowPropagation)
        dock.setObjectName(f"dock_{title.lower().replace(' ', '_')}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        self.menus.view.insertAction(self._docks_separator, dock.toggleViewAction())
        return dock

    def build_after_first_paint(self, build: Callable[[], object]) -> None:
        """Run `build` right after the window first paints, or sooner when `finish_panels`
        is called: for a dock's contents, whose dock (title, place, View menu entry,
        saved layout) must exist from the start but whose widgets the first frame can
        do without."""
        self._unbuilt.append(build)

    def finish_panels(self) -> bool:
        """Build the panel contents still waiting for the first paint (a run, a
        screenshot or a test may need them sooner); True if there were any."""
        if not self._unbuilt:
            return False
        builds, self._unbuilt = self._unbuilt, []
        for build in builds:
            build()
        return True

    def restore_layout(self, state: QByteArray) -> bool:
        if not self.restoreState(state):
            return False
        # The user's own layout replaces the first-show default (arrange_docks).
        self._docks_arranged = True
        return True

    def start_lesson(self, lesson: str, mode: str) -> None:
        if self.lesson_picker.count() == 0:
            # The first run has not started yet: it will run what is chosen here.
            self.controller.scenario = lesson
            self.controller.mode = mode
            self.mode_actions[mode].setChecked(True)
            return
        if self.controller.scenario != lesson:
            self.set_lesson(lesson)
        self.set_mode(mode)
        if self.player.trace is not None:
            self.player.set_trace(self.player.trace, -1)

    def show_run_choice(self) -> None:
        picker = self.lesson_picker
        picker.blockSignals(True)
        picker.setCurrentIndex(picker.findData(self.controller.scenario))
        picker.blockSignals(False)
        if self.controller.mode in self.mode_actions:
            self.mode_actions[self.controller.mode].setChecked(True)

    # Parts made after the window: memory, autosave, the welcome -------------------------
    def bind_settings(self, settings: QSettings) -> Persistence:
        """Remember this window in `settings` (saved when it closes); restoring is up to
        the caller (app/window/services.py's `remember`)."""
        from authflow.app.window.persistence import Persistence

        p = self.parts
        memory = Persistence(self, settings, p.themes, p.presenter, p.workspace)
        p.persistence = memory
        return memory

    def start_autosave(self, directory: Path | None = None, offer: bool = True) -> Autosaver:
        """Autosave while running and offer to restore after a crash (app/window/autosave.py)."""
        from authflow.app.window import autosave

        self.parts.autosaver = autosave.install(self, directory, offer)
        return self.parts.autosaver

    def greet(self) -> WelcomeDialog | None:
        """The first-run welcome, unless the settings say it was dismissed (needs
        `bind_settings` first: without settings there is no first run to tell)."""
        from authflow.app.window import welcome

        if self.parts.persistence is None:
            return None
        self.parts.welcome = welcome.show_if_first_run(self, self.parts.persistence.settings)
        return self.parts.welcome

    def start(self, index: int = -1) -> None:
        """Run the lesson and show event `index` (-1: before the first event)."""
        self.finish_panels()  # they follow the run from its first event
        self.load_lessons()
        self._safely(lambda: self.controller.rebuild(index))

    def start_after_first_paint(self, index: int = -1) -> None:
        """Paint the window first, then run the lesson (what `authflow` does: the
        simulator's import and first run are not needed for the first frame)."""
        self.narration.explain.setText("Loading the lesson…")
        self._first_paint = _FirstPaint(
            lambda: self._start_painted(index), self.stage_view.viewport()
        )

    def _start_painted(self, index: int) -> None:
        if self.finish_panels():
            # Paint the new panels now: the first run (importing the simulator, then
            # simulating) holds the event loop long enough to see them empty.
            QCoreApplication.sendPostedEvents()
        self.start(index)

    def load_lessons(self) -> None:
        """Fill the lesson picker with the course (its headers only: no simulator yet)."""
        if self.lesson_picker.count():
            return
        from authflow.simulator.lessons.library import library

        lessons = library()
        names = [info.name for info in lessons]
        if not self.controller.scenario:
            self.controller.scenario = "basics" if "basics" in names else names[0]
        self.lesson_picker.blockSignals(True)
        self.lesson_picker.fill(lessons)
        if self.controller.scenario not in names:
            self._list_file_lesson(self.controller.scenario)
        self.lesson_picker.setCurrentIndex(self.lesson_picker.findData(self.controller.scenario))
        self.lesson_picker.blockSignals(False)

    def _list_file_lesson(self, path: str) -> None:
        """A lesson opened from a file appears in the picker under its title."""
        from authflow import simulator

        try:
            scenario = simulator.load_scenario(path)
        except simulator.ScenarioError:
            return  # the run says what is wrong with it
        self.lesson_picker.add_file_lesson(path, scenario.title, scenario.summary)

    # Building ---------------------------------------------------------------------------
    def _make_playback_actions(self) -> dict[str, QAction]:
        # No standard icons: PlaybackControls draws them in the theme's text colour.
        specs: list[ActionSpec] = [
            ("restart", "Restart", None, ["Home"], self.player.restart),
            ("back", "Back", None, ["Left", "PgUp"], self._step_back),
            ("play", "Play", None, ["Space"], self.player.toggle),
            ("forward", "Step", None, ["Right", "PgDown"], self._step_forward),
            ("end", "Last event", None, ["End"], self._jump_end),
        ]
        return make_actions(self, specs, "action_")

    def _make_toolbars(self, wait_menu: QMenu) -> Toolbars:
        bar = QToolBar("Mode and lesson")
        bar.setObjectName("toolbar_mode")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        # The style's toolbar icon size (what scale_for_screen scales), read off a toolbar:
        # asking QStyle from Python costs ~10 ms of PySide enum building before the
        # first frame.
        self._toolbar_icon_side = bar.iconSize().width()
        bar.addWidget(QLabel(" Mode "))
        group = QActionGroup(self)
        group.setExclusive(True)
        for mode in MODES:
            action = QAction(MODE_TITLES[mode], self)
            action.setObjectName(f"mode_{mode}")
            action.setCheckable(True)
            action.setChecked(mode == self.controller.mode)
            action.setToolTip(f"Re-run the lesson with {MODE_TITLES[mode]} authentication")
            action.triggered.connect(lambda _checked=False, m=mode: self.set_mode(m))
            group.addAction(action)
            bar.addAction(action)
            self.mode_actions[mode] = action
        bar.addSeparator()
        bar.addWidget(QLabel(" Lesson "))
        self.lesson_picker.setObjectName("lesson_picker")
        self.lesson_picker.setToolTip("Choose a lesson: its actions run from the start")
        self.lesson_picker.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.lesson_picker.currentIndexChanged.connect(self._lesson_chosen)
        bar.addWidget(self.lesson_picker)
        self.addToolBar(bar)

        actions = QToolBar("Actions")
        actions.setObjectName("toolbar_actions")
        actions.setMovable(False)
        actions.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for spec in USER_ACTIONS:
            action = QAction(spec.text, self)
            action.setObjectName(f"user_{spec.key}")
            action.setToolTip(spec.tip)
            action.setStatusTip(spec.tip)
            action.triggered.connect(lambda _checked=False, s=spec: self.do(s))
            actions.addAction(action)
            self.user_actions[spec.key] = action
            if spec.key == "refresh":
                self._add_wait_button(actions, wait_menu)
        self.addToolBar(actions)
        self._update_action_states()
        return Toolbars(bar, actions)

    def _add_wait_button(self, bar: QToolBar, menu: QMenu) -> None:
        for text, seconds in WAITS:
            item = menu.addAction(f"Wait {text}")
            item.triggered.connect(lambda _c=False, s=seconds, t=text: self.wait(s, t))
        default = QAction("Wait 16 min", self)
        default.setObjectName("user_wait")
        default.setToolTip("Let simulated time pass (the arrow opens more durations)")
        default.triggered.connect(lambda _c=False: self.wait(16 * 60, "16 minutes"))
        button = QToolButton()
        button.setDefaultAction(default)
        button.setMenu(menu)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        button.setObjectName("wait_button")
        bar.addWidget(button)
        self.user_actions["wait"] = default

    def _make_menus(self, wait_menu: QMenu) -> Menus:
        bar = self.menuBar()

        def menu(title: str, name: str) -> QMenu:
            made = QMenu(title, self)
            made.setObjectName(name)
            bar.addMenu(made)
            return made

        file_menu = menu("&File", "menu_file")
        quit_action = file_menu.addAction("&Quit")
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        play_menu = menu("&Playback", "menu_playback")
        for action in self.playback_actions.values():
            play_menu.addAction(action)
        view_menu = menu("&View", "menu_view")
        self._docks_separator = view_menu.addSeparator()
        full = view_menu.addAction("&Full screen")
        full.setShortcut(QKeySequence(Qt.Key.Key_F11))
        full.setCheckable(True)
        full.toggled.connect(self._full_screen)
        return Menus(
            file=file_menu,
            playback=play_menu,
            view=view_menu,
            actions=menu("&Actions", "menu_actions"),
            export=menu("&Export", "menu_export"),
            tools=menu("&Tools", "menu_tools"),
            help=menu("&Help", "menu_help"),
            wait=wait_menu,
        )

    # Slots --------------------------------------------------------------------------------
    def set_mode(self, mode: str) -> None:
        """Re-run the lesson in `mode`, staying at the same user action."""
        step = self.player.current_event.step if self.player.current_event is not None else None

        def run() -> None:
            self.controller.set_mode(mode)
            self._jump_to_step(step)

        self._safely(run)
        # Programmatic switches and refused ones alike: the buttons show the mode in force.
        self.mode_actions[self.controller.mode].setChecked(True)
        self._update_action_states()

    def set_lesson(self, name: str) -> None:
        i = self.lesson_picker.findData(name)
        if i < 0 and name.endswith(".toml"):
            self._list_file_lesson(name)
            i = self.lesson_picker.findData(name)
        if i >= 0 and i != self.lesson_picker.currentIndex():
            self.lesson_picker.setCurrentIndex(i)  # emits: _lesson_chosen runs it
        elif i < 0:
            raise ValueError(f"unknown lesson {name!r}")

    def _lesson_chosen(self, i: int) -> None:
        name = self.lesson_picker.itemData(i)
        if not name:  # a chapter heading, chosen from code: stay on the lesson
            back = self.lesson_picker.findData(self.controller.scenario)
            self.lesson_picker.blockSignals(True)
            self.lesson_picker.setCurrentIndex(back)
            self.lesson_picker.blockSignals(False)
            return
        if not self._safely(lambda: self.controller.set_scenario(name, -1)):
            back = self.lesson_picker.findData(self.controller.scenario)
            self.lesson_picker.blockSignals(True)
            self.lesson_picker.setCurrentIndex(back)
            self.lesson_picker.blockSignals(False)

    def do(self, spec: UserAction) -> None:
        """Append the user's action, re-simulate, and play its events."""
        if self.controller.mode not in spec.modes:
            return
        from authflow.simulator.trace.trace import Step

        self.append(Step(spec.action, dict(spec.args), spec.narration))

    def wait(self, seconds: float, text: str) -> None:
        from authflow.simulator.trace.trace import Step

        self.append(Step("wait", {"seconds": seconds}, f"Time passes: {text}."))

    def append(self, step: Step) -> None:
        self.player.pause()
        before = len(self.player.trace.events) if self.player.trace is not None else 0
        # The re-run lands on the first new event: it travels, like a step forward.
        self._animate_next = True
        if not self._safely(lambda: self.controller.append_step(step)):
            return
        trace = self.player.trace
        if trace is not None and before < len(trace.events) - 1:
            self.player.play()

    def set_palette(self, palette: Palette) -> None:
        self.palette_roles = palette
        self.stage.set_palette(palette)
        self.narration.set_palette(palette)

    def _jump_to_step(self, step: int | None) -> None:
        trace = self.player.trace
        if trace is None or step is None:
            return
        last = -1
        for i, event in enumerate(trace.events):
            if event.step > step:
                break
            last = i
        self.player.set_trace(trace, last)

    def _step_forward(self) -> None:
        self.player.pause()
        self.player.step_forward()

    def _step_back(self) -> None:
        self.player.pause()
        self.player.step_back()

    def _jump_end(self) -> None:
        self.player.pause()
        if self.player.trace is not None:
            self.player.jump(len(self.player.trace.events) - 1)

    def _trace_changed(self, trace: object) -> None:
        assert self.player.trace is not None
        self.stage.set_trace(self.player.trace)
        t = self.player.trace
        self.setWindowTitle(
            f"Authflow — {t.title or t.scenario} ({MODE_TITLES.get(t.mode, t.mode)})"
        )
        self._previous_index = -2
        self._update_action_states()

    def _step_changed(self, index: int) -> None:
        forward = self._animate_next or index == self._previous_index + 1
        self._animate_next = False
        self._previous_index = index
        self.stage.show(index, animate=forward)
        self.narration.show_event(self.player.trace, self.player.current_event, index)

    def _playing_changed(self, playing: bool) -> None:
        # The icon follows in PlaybackControls (drawn in the theme's text colour).
        self.playback_actions["play"].setText("Pause" if playing else "Play")

    def _update_action_states(self) -> None:
        mode = self.controller.mode
        for spec in USER_ACTIONS:
            action = self.user_actions.get(spec.key)
            if action is None:
                continue
            usable = mode in spec.modes
            action.setEnabled(usable)
            action.setToolTip(spec.tip if usable else spec.why_not)

    def _packet_ms(self) -> int:
        if self.animation_ms is not None:
            return self.animation_ms
        return round(self.player.interval_ms * 0.6)

    def _safely(self, run: Callable[[], object]) -> bool:
        """Run a simulator call; on failure say why in the status bar and keep the old run."""
        try:
            run()
        except Exception as exc:  # the simulator's message is the user's answer
            message = f"Could not run that: {exc}"
            self.statusBar().showMessage(message, 10000)
            print(f"authflow: {message}", file=sys.stderr)
            return False
        return True

    def _full_screen(self, on: bool) -> None:
        if on:
            self.showFullScreen()
        else:
            self.showNormal()

    # Scaling ------------------------------------------------------------------------------
    def _follow_screen(self) -> None:
        """Size the text for the screen the window is on (and again when it moves to
        another): never for the window's own size, so resizing it changes no text."""
        handle = self.windowHandle()
        if handle is not None and not self._screen_followed:
            self._screen_followed = True
            handle.screenChanged.connect(lambda _screen: self._follow_screen())
        screen = self.screen()
        if screen is not None:
            self.scale_for_screen(screen.availableGeometry().size())

    def scale_for_screen(self, size: QSize) -> None:
        """Grow the interface's text for a screen of `size` (logical pixels, so Qt's
        high-DPI scaling is already in it): a projector's large screen gets large text."""
        factor = window_scale.text_factor(size)
        if abs(factor - self._font_factor) < 0.05:
            return
        self._font_factor = factor
        font = window_scale.scaled_font(self._base_font, factor)
        self.setFont(font)
        side = round(self._toolbar_icon_side * factor)
        for bar in self.findChildren(QToolBar):
            bar.setIconSize(QSize(side, side))
        self.controls.setFont(font)
        self.narration.set_base_font(font)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._follow_screen()
        if not self._docks_arranged:
            self._docks_arranged = True
            self.arrange_docks()

    def arrange_docks(self) -> None:
        """The first-show layout: one inspector area beside or below the stage
        (app/window/inspector_area.py). A layout restored from the settings replaces it."""
        inspector_area.arrange(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop the playback timer and any animation (tests call this on teardown)."""
        self.player.pause()
        self.stage.stop()


class _FirstPaint(QObject):
    """Calls `then` once, soon after `widget` first paints."""

    def __init__(self, then: Callable[[], object], widget: QWidget) -> None:
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
        return False
