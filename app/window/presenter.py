"""Presenter mode: full screen, the stage and narration in large type, remote-control keys.

F5 (or the toolbar's Present button) enters, Esc leaves. While presenting, the keys a
presenter remote sends drive playback: PageDown / Right / Space / Enter step on, PageUp /
Left / Backspace step back, B or "." blanks the screen, Home restarts; + and - change the
text size, remembered per screen. Docks are hidden unless pinned (View > Keep in
presenter mode). The narration's text is at least 1/30 of the screen's height, and the
narration at most NARRATION_MAX_SHARE of it; the step counter keeps off the actors.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QMargins,
    QObject,
    QPoint,
    QRect,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QFont, QKeyEvent, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDockWidget,
    QLabel,
    QLayout,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTextEdit,
    QToolBar,
    QWidget,
)

from authflow.app.views.stage.layout import EM, SMALLEST, STAGE_HEIGHT_EM
from authflow.app.views.stage.view import LAPTOP_FLOOR_PX

if TYPE_CHECKING:
    from authflow.app.window.host import Host
    from authflow.simulator.trace.trace import Trace

FORWARD = frozenset(
    {Qt.Key.Key_PageDown, Qt.Key.Key_Right, Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter}
)
BACK = frozenset({Qt.Key.Key_PageUp, Qt.Key.Key_Left, Qt.Key.Key_Backspace})
BLANK = frozenset({Qt.Key.Key_B, Qt.Key.Key_Period})
BIGGER = frozenset({Qt.Key.Key_Plus, Qt.Key.Key_Equal})
SMALLER = frozenset({Qt.Key.Key_Minus, Qt.Key.Key_Underscore})
HANDLED = (
    FORWARD
    | BACK
    | BLANK
    | BIGGER
    | SMALLER
    | {
        Qt.Key.Key_Escape,
        Qt.Key.Key_Home,
        Qt.Key.Key_End,
        Qt.Key.Key_0,
    }
)

KEYS_HELP: tuple[tuple[str, str], ...] = (
    ("F5", "Enter or leave presenter mode"),
    ("Esc", "Leave presenter mode"),
    ("PageDown, Right, Space, Enter", "Next event"),
    ("PageUp, Left, Backspace", "Previous event"),
    ("B or .", "Blank the screen (again to come back)"),
    ("Home", "Back to the first event"),
    ("End", "Last event"),
    ("+ / - / 0 (Ctrl + / - / 0 outside)", "Larger / smaller / default text size"),
)

NARRATION_LINES_PER_SCREEN = 24
"""At scale 1 the narration's text is 1/24 of the screen's height."""
SCALE_MIN, SCALE_MAX, SCALE_STEP = 0.8, 2.0, 0.1
"""At the smallest scale the text is 1/30 of the screen: still readable at the back."""
EXPLAIN_SCALE = 1.45
"""The narration's explanation is this much larger than its base font (narration.py)."""
NARRATION_MAX_SHARE = 0.3
"""The most of the window's height the narration may take: the stage is what the room
watches, so at a large text size a long explanation steps down (no smaller than the
smallest scale draws it), then ends in "…", rather than squeezing the stage."""
COUNTER_MIN_PX = 12
PRESENTER_FLOOR_DIVISOR = 60
"""The stage's smallest text is at least 1/60 of the screen's height (DESIGN.md 6)."""
STAGE_EDGE_PX = 16
"""The window's edges and the stage's margins, beside the stage and the narration."""

ScaleStore = Callable[[str, float | None], float | None]
"""(screen name, scale or None to read) -> the stored scale (persistence provides one)."""


def _is_text_input(widget: QWidget | None) -> bool:
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    return isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit | QAbstractSpinBox)


class StepCounter(QLabel):
    """The small "Step 4 / 12" in the stage's corner."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("presenter_counter")
        self.setAccessibleName("Step counter")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._style: tuple[int, str, str, str] | None = None

    def set_style(self, pixel_size: int, text: str, background: str, border: str) -> None:
        style = (pixel_size, text, background, border)
        if style == self._style:
            return  # placed on every step: a style sheet set again re-polishes the label
        self._style = style
        font = QFont(self.font())
        font.setPixelSize(pixel_size)
        font.setBold(True)
        self.setFont(font)
        pad = max(4, pixel_size // 3)
        self.setStyleSheet(
            f"#presenter_counter {{ color: {text}; background: {background};"
            f" border: 2px solid {border}; border-radius: {pad}px; padding: 0 {pad}px; }}"
        )

    def place(self, avoid: Sequence[QRect] = ()) -> bool:
        """Put the counter in a top (else bottom) corner of the stage, as far right as
        it can go without touching a rectangle of `avoid` (the actors, in the stage's
        pixels); True if such a place was found, else it sits where it overlaps least."""
        self.adjustSize()
        parent = self.parentWidget()
        if parent is None:
            return True
        margin = max(8, self.height() // 3)
        w, h = self.width(), self.height()
        right = parent.width() - w - margin
        stride = max(8, w // 4)
        best: tuple[int, QPoint] | None = None
        for y in (margin, parent.height() - h - margin):
            for x in range(right, margin - 1, -stride):
                spot = QRect(x, y, w, h)
                clear = spot.adjusted(-margin // 2, -margin // 2, margin // 2, margin // 2)
                overlap = sum(_area(clear.intersected(r)) for r in avoid)
                if overlap == 0:
                    self.move(x, y)
                    return True
                if best is None or overlap < best[0]:
                    best = (overlap, QPoint(x, y))
        self.move(best[1] if best is not None else QPoint(max(0, right), margin))
        return False


def _area(rect: QRect) -> int:
    return max(0, rect.width()) * max(0, rect.height())


class PresenterMode(QObject):
    """Turns the window into a projector view and back."""

    active_changed = Signal(bool)
    blanked_changed = Signal(bool)

    def __init__(self, host: Host, full_screen: bool = True) -> None:
        window = host.qt
        super().__init__(window)
        self.host = host
        self.window = window
        """The Qt window it turns into a projector view (its menus, bars, docks, state)."""
        self.full_screen = full_screen
        """False in screenshots and tests that size the window themselves."""
        self.scale_store: ScaleStore | None = None
        self.pinned: set[str] = set()
        """objectNames of docks kept visible while presenting."""
        self._scales: dict[str, float] = {}
        self._active = False
        self._saved_state = QByteArray()
        self._saved_geometry = QByteArray()
        self._saved_margins = QMargins()
        self._saved_spacing = -1
        self._was_full_screen = False
        self._was_maximized = False
        self._focus_before: QWidget | None = None
        self.counter = StepCounter(host.stage_view)
        self.counter.hide()
        self.blank = QWidget(window)
        self.blank.setObjectName("presenter_blank")
        self.blank.setAccessibleName("Blank screen: press B to come back")
        self.blank.setAutoFillBackground(True)
        black = QPalette()
        black.setColor(QPalette.ColorRole.Window, QColor("#000000"))
        self.blank.setPalette(black)
        self.blank.hide()
        # Fonts follow the window's size once a resize settles (full screen arrives late
        # on X11 and after the window's own font scaling).
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self._layout)
        # The counter moves after the stage has fitted its new size (the filter sees the
        # stage's resize before the stage does).
        self._replace_counter = QTimer(self)
        self._replace_counter.setSingleShot(True)
        self._replace_counter.setInterval(0)
        self._replace_counter.timeout.connect(self._update_counter)
        self._counter_px = COUNTER_MIN_PX
        self._changed_for: Trace | None = None
        self._changed_text = ""
        self._counter_colours = ("", "", "")

        self.action = QAction("&Present", window)
        self.action.setObjectName("action_present")
        self.action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.action.setToolTip("Presenter mode: full screen, large text, remote-control keys")
        self.action.setCheckable(True)
        self.action.triggered.connect(self.set_active)
        window.addAction(self.action)
        self.pin_menu = QMenu("&Keep in presenter mode", window)
        self.pin_menu.setObjectName("menu_presenter_pins")
        self.pin_menu.aboutToShow.connect(self._fill_pin_menu)
        self.size_menu = self._make_size_menu()

        host.player.step_changed.connect(self._update_counter)
        host.player.trace_changed.connect(lambda _t: self._update_counter())

    # Public API ---------------------------------------------------------------------------
    @property
    def active(self) -> bool:
        return self._active

    @property
    def blanked(self) -> bool:
        return not self.blank.isHidden()

    def set_active(self, on: bool) -> None:
        if on:
            self.enter()
        else:
            self.leave()

    def enter(self) -> None:
        if self._active:
            return
        w, h = self.window, self.host
        self._active = True
        self._saved_state = w.saveState()
        self._saved_geometry = w.saveGeometry()
        self._was_full_screen = w.isFullScreen()
        self._was_maximized = w.isMaximized()
        self._focus_before = QApplication.focusWidget()
        self._saved_margins = h.narration.contentsMargins()
        top = self._narration_top_row()
        self._saved_spacing = top.spacing() if top is not None else -1
        w.menuBar().hide()
        w.statusBar().hide()
        h.controls.hide()
        for bar in w.findChildren(QToolBar):
            bar.hide()
        for dock in w.findChildren(QDockWidget):
            dock.setVisible(dock.objectName() in self.pinned)
        if self.full_screen:
            w.showFullScreen()
        self.counter.show()
        self.counter.raise_()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)  # sees the window's resizes and every key
        self.action.setChecked(True)
        h.stage_view.setFocus()
        self._layout()
        self.active_changed.emit(True)

    def leave(self) -> None:
        if not self._active:
            return
        w, h = self.window, self.host
        self._active = False
        self._refit.stop()
        self._replace_counter.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.set_blanked(False)
        self.counter.hide()
        w.menuBar().show()
        w.statusBar().show()
        h.controls.show()
        if self.full_screen and not self._was_full_screen:
            if self._was_maximized:
                w.showMaximized()
            else:
                w.showNormal()
            w.restoreGeometry(self._saved_geometry)
        w.restoreState(self._saved_state)
        h.narration.set_height_cap(None)
        h.narration.set_base_font(w.font())
        h.stage_view.set_text_floor(LAPTOP_FLOOR_PX)
        h.stage_view.stage.set_palette(h.palette_roles)
        h.narration.setContentsMargins(self._saved_margins)
        top = self._narration_top_row()
        if top is not None:
            top.setSpacing(self._saved_spacing)
        self.action.setChecked(False)
        if self._focus_before is not None and self._focus_before.isVisible():
            self._focus_before.setFocus()
        self.active_changed.emit(False)

    def saved_state(self) -> QByteArray:
        """The dock layout to remember: the one from before presenting, while presenting."""
        return self._saved_state if self._active else self.window.saveState()

    def set_blanked(self, on: bool) -> None:
        if on == self.blanked:
            return
        if on:
            self.blank.setGeometry(self.window.rect())
            self.blank.show()
            self.blank.raise_()
        else:
            self.blank.hide()
        self.blanked_changed.emit(on)

    @property
    def scale(self) -> float:
        name = self._screen_name()
        if name not in self._scales and self.scale_store is not None:
            stored = self.scale_store(name, None)
            if stored is not None:
                self._scales[name] = stored
        return self._scales.get(name, 1.0)

    def set_scale(self, scale: float) -> None:
        """Text size for the current screen, clamped to 0.8..2 and remembered."""
        scale = round(max(SCALE_MIN, min(SCALE_MAX, scale)), 2)
        name = self._screen_name()
        self._scales[name] = scale
        if self.scale_store is not None:
            self.scale_store(name, scale)
        if self._active:
            self._layout()

    def narration_pixel_size(self) -> int:
        """Height in pixels of the narration's explanation while presenting (asked for:
        a long explanation at a large scale is drawn smaller to fit NARRATION_MAX_SHARE)."""
        height = self._screen_height()
        return max(
            self.min_narration_pixel_size(), round(height / NARRATION_LINES_PER_SCREEN * self.scale)
        )

    def min_narration_pixel_size(self) -> int:
        """The explanation never gets smaller than this, however long it is."""
        return round(self._screen_height() / 30)

    # Keys ---------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Resize:
            if watched is self.window:
                self._refit.start()
            elif watched is self.host.stage_view:
                self._replace_counter.start()
            return False
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self.window:
            return False
        if not isinstance(event, QKeyEvent):
            return False
        key = Qt.Key(event.key())
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key not in HANDLED or modifiers not in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.ShiftModifier,
        ):
            return False
        if key != Qt.Key.Key_Escape and _is_text_input(QApplication.focusWidget()):
            return False  # typing in a pinned editor
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # the key comes to us as a KeyPress, not to a window shortcut
            return True
        self.handle_key(key)
        return True

    def handle_key(self, key: Qt.Key) -> None:
        if self.blanked:
            # Any key brings the picture back; only Esc also leaves.
            self.set_blanked(False)
            if key == Qt.Key.Key_Escape:
                self.leave()
            return
        actions = self.host.playback_actions
        if key in FORWARD:
            actions["forward"].trigger()
        elif key in BACK:
            actions["back"].trigger()
        elif key in BLANK:
            self.set_blanked(True)
        elif key == Qt.Key.Key_Home:
            actions["restart"].trigger()
        elif key == Qt.Key.Key_End:
            actions["end"].trigger()
        elif key in BIGGER:
            self.set_scale(self.scale + SCALE_STEP)
        elif key in SMALLER:
            self.set_scale(self.scale - SCALE_STEP)
        elif key == Qt.Key.Key_0:
            self.set_scale(1.0)
        elif key == Qt.Key.Key_Escape:
            self.leave()

    # Layout -------------------------------------------------------------------------------
    def _screen_name(self) -> str:
        screen = self.window.screen()
        return screen.name() if screen is not None else ""

    def _screen_height(self) -> int:
        """The presenting window's height: the screen's once full screen is granted, and
        still the right measure when a window manager refuses full screen."""
        return self.window.height()

    def _layout(self) -> None:
        if not self._active:
            return
        w, h = self.window, self.host
        explain_px = self.narration_pixel_size()
        font = QFont(w.font())
        font.setPixelSize(max(1, round(explain_px / EXPLAIN_SCALE)))
        # Projectors crop the picture's edges: keep the text a little way in, and the
        # "Step i / n", time and action line apart at this size.
        margin = explain_px // 2
        h.narration.setContentsMargins(margin, margin // 3, margin, margin // 3)
        top = self._narration_top_row()
        if top is not None:
            top.setSpacing(margin)
        cap = round(w.height() * NARRATION_MAX_SHARE)
        h.narration.set_height_cap(cap, self.min_narration_pixel_size())
        h.narration.set_base_font(font)
        theme = h.palette_roles
        # The narration says the same "Step i / n": at large text the counter need not
        # outgrow the smallest narration, it only takes stage from the actors.
        counter_px = min(round(explain_px * 0.7), self.min_narration_pixel_size())
        self._counter_px = max(COUNTER_MIN_PX, counter_px)
        self._counter_colours = (theme.text, theme.surface, theme.actor_active)
        self._update_counter()
        if self.blanked:
            self.blank.setGeometry(QRect(w.rect()))
        h.stage_view.set_text_floor(self.stage_text_floor(), as_minimum=False)
        # The back row cannot read grey details (cookie flags, verdict reasons, counters):
        # while presenting they take the theme's text colour.
        h.stage_view.stage.set_palette(replace(theme, muted=theme.text))
        h.stage_view.fit()

    def stage_text_floor(self) -> float:
        """The stage's smallest text while presenting: 1/60 of the screen's height for
        the back row, times the text size (+ / -); never so large that the stage could
        not fit the screen beside the narration (the window must stay on the screen)."""
        wanted = self._screen_height() / PRESENTER_FLOOR_DIVISOR * self.scale
        room = min(self._screen_height(), self.window.height())
        stage_px = room * (1 - NARRATION_MAX_SHARE) - STAGE_EDGE_PX
        return min(wanted, SMALLEST * EM * stage_px / (STAGE_HEIGHT_EM * EM))

    def _narration_top_row(self) -> QLayout | None:
        layout = self.host.narration.layout()
        item = layout.itemAt(0) if layout is not None and layout.count() else None
        return item.layout() if item is not None else None

    def _update_counter(self, _index: int | None = None) -> None:
        player = self.host.player
        total = len(player.trace.events) if player.trace is not None else 0
        text = f"Step {player.index + 1} / {total}"
        changed = self._changed_settings(player.trace)
        self.counter.setText(f"{text}\n{changed}" if changed else text)
        if self._active:
            self._place_counter()

    def _changed_settings(self, trace: Trace | None) -> str:
        """A discreet line under the step counter naming the settings that differ from
        the lesson's, so the room knows the story is not the lesson's own ("" if none)."""
        if trace is None:
            return ""
        if self._changed_for is not trace:
            from authflow.simulator.lessons.scenarios import (
                ScenarioError,
                changed_from_lesson,
                load_scenario,
            )

            try:
                scenario = load_scenario(self.host.controller.scenario)
                rows = changed_from_lesson(scenario, trace.mode, trace.settings)
            except ScenarioError:
                rows = []
            self._changed_for = trace
            self._changed_text = (
                "Changed: " + ", ".join(f"{key} = {value}" for key, _, value in rows)
                if rows
                else ""
            )
        return self._changed_text

    def _place_counter(self) -> None:
        """Keep the counter off the actors: at a large text size a short stage has no
        free corner for it, so it steps down in size until it finds one."""
        view = self.host.stage_view
        actors = [
            view.mapFromScene(item.sceneBoundingRect()).boundingRect()
            for item in self.host.stage.actors.values()
            if item.isVisible()
        ]
        px = self._counter_px
        while True:
            self.counter.set_style(px, *self._counter_colours)
            if self.counter.place(actors) or px <= COUNTER_MIN_PX:
                return
            px = max(COUNTER_MIN_PX, round(px * 0.85))

    def _make_size_menu(self) -> QMenu:
        """View > Presenter text size: the same control as + / - / 0 while presenting."""
        menu = QMenu("Presenter &text size", self.window)
        menu.setObjectName("menu_presenter_text")
        specs = (
            ("larger", "&Larger", ["Ctrl++", "Ctrl+="], SCALE_STEP),
            ("smaller", "&Smaller", ["Ctrl+-"], -SCALE_STEP),
            ("default", "&Default size", ["Ctrl+0"], 0.0),
        )
        self.size_actions: dict[str, QAction] = {}
        for key, text, keys, delta in specs:
            action = QAction(text, self.window)
            action.setObjectName(f"action_presenter_text_{key}")
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setToolTip(f"Presenter mode's text: {text.replace('&', '').lower()}")
            action.triggered.connect(
                lambda _c=False, d=delta: self.set_scale(self.scale + d if d else 1.0)
            )
            self.window.addAction(action)
            menu.addAction(action)
            self.size_actions[key] = action
        menu.aboutToShow.connect(self._show_scale)
        return menu

    def _show_scale(self) -> None:
        screen = self._screen_name() or "this screen"
        self.size_actions["default"].setText(
            f"&Default size (now {round(self.scale * 100)}% on {screen})"
        )

    def _fill_pin_menu(self) -> None:
        self.pin_menu.clear()
        for dock in self.window.findChildren(QDockWidget):
            name = dock.objectName()
            action = self.pin_menu.addAction(dock.windowTitle())
            action.setCheckable(True)
            action.setChecked(name in self.pinned)
            action.toggled.connect(lambda on, n=name: self.pin(n, on))

    def pin(self, dock_name: str, on: bool = True) -> None:
        """Keep the dock called `dock_name` (its objectName) visible while presenting."""
        if on:
            self.pinned.add(dock_name)
        else:
            self.pinned.discard(dock_name)


def install(host: Host) -> PresenterMode:
    """Presenter mode with its toolbar button and View menu entries."""
    presenter = PresenterMode(host)
    bar = host.toolbars.mode
    bar.addSeparator()
    bar.addAction(presenter.action)
    view_menu = host.menus.view
    view_menu.addSeparator()
    view_menu.addAction(presenter.action)
    view_menu.addMenu(presenter.size_menu)
    view_menu.addMenu(presenter.pin_menu)
    return presenter
