"""Playback controls: restart, back, play/pause, forward, a scrubber, jump to N, speed.

A thin view over the Player: buttons call its slots and its signals set the buttons,
so keyboard shortcuts and these controls can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import (
    QAction,
    QColor,
    QIcon,
    QKeySequence,
    QPainter,
    QPalette,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QSpinBox,
    QToolButton,
    QWidget,
)

from authflow.app.session.player import SPEEDS, Player

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStyle

# QStyle only by name: touching the class makes PySide build its Python enums, ~10 ms
# before the main window's first frame, which draws its own icons (PlaybackControls).
ActionSpec = tuple[str, str, "QStyle.StandardPixmap | None", list[str], Callable[[], object]]
"""(key, text, the style's standard icon or None, shortcut keys, slot)."""


def make_actions(
    owner: QWidget, specs: Sequence[ActionSpec], name_prefix: str, tip_suffix: str = ""
) -> dict[str, QAction]:
    """Window-wide playback actions with their keys shown in the tooltip."""
    out: dict[str, QAction] = {}
    for key, text, icon, keys, slot in specs:
        action = QAction(text, owner)
        if icon is not None:
            action.setIcon(owner.style().standardIcon(icon))
        action.setObjectName(f"{name_prefix}{key}")
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setToolTip(f"{text}{tip_suffix} ({', '.join(keys)})")
        action.triggered.connect(slot)
        owner.addAction(action)
        out[key] = action
    return out


class PlaybackControls(QWidget):
    """Buttons for the player's actions plus scrubber, jump box and speed choice."""

    def __init__(self, player: Player, actions: dict[str, QAction], parent: QWidget | None = None):
        super().__init__(parent)
        self.player = player
        self.buttons: dict[str, QToolButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        for name in ("restart", "back", "play", "forward"):
            button = QToolButton()
            button.setDefaultAction(actions[name])
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setObjectName(f"playback_{name}")
            self.buttons[name] = button
            layout.addWidget(button)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("playback_slider")
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.slider.setAccessibleName("Event")
        self.slider.valueChanged.connect(self._slider_moved)
        layout.addWidget(self.slider, 1)
        layout.addWidget(QLabel("Jump to"))
        self.jump = QSpinBox()
        self.jump.setObjectName("playback_jump")
        self.jump.setKeyboardTracking(False)
        self.jump.setAccessibleName("Jump to event")
        self.jump.valueChanged.connect(self._jump_changed)
        layout.addWidget(self.jump)
        layout.addWidget(QLabel("Speed"))
        self.speed = QComboBox()
        self.speed.setObjectName("playback_speed")
        self.speed.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for s in SPEEDS:
            self.speed.addItem(f"{s:g}x", s)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.currentIndexChanged.connect(self._speed_chosen)
        layout.addWidget(self.speed)
        player.trace_changed.connect(self._trace_changed)
        player.step_changed.connect(self._step_changed)
        player.speed_changed.connect(self._speed_changed)
        self._actions = actions
        player.playing_changed.connect(self.refresh_icons)
        self.refresh_icons()

    def refresh_icons(self, *_: object) -> None:
        """Draw the buttons' icons in the current text colour (themes change it)."""
        paint_icons(self._actions, self, self.player.playing)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.refresh_icons()

    def _trace_changed(self, trace: object) -> None:
        n = len(self.player.trace.events) if self.player.trace is not None else 0
        for widget in (self.slider, self.jump):
            widget.blockSignals(True)
        self.slider.setRange(0, max(0, n - 1))
        self.jump.setRange(0, n)  # 0: before the first event
        self.jump.setSuffix(f" / {n}")
        for widget in (self.slider, self.jump):
            widget.blockSignals(False)
        self._step_changed(self.player.index)

    def _step_changed(self, index: int) -> None:
        for widget in (self.slider, self.jump):
            widget.blockSignals(True)
        self.slider.setValue(max(0, index))
        self.jump.setValue(index + 1)
        for widget in (self.slider, self.jump):
            widget.blockSignals(False)

    def _slider_moved(self, value: int) -> None:
        self.player.pause()
        self.player.jump(value)

    def _jump_changed(self, value: int) -> None:
        if value >= 1:
            self.player.pause()
            self.player.jump(value - 1)

    def _speed_chosen(self, i: int) -> None:
        self.player.set_speed(float(self.speed.itemData(i)))

    def _speed_changed(self, speed: float) -> None:
        i = self.speed.findData(speed)
        if i >= 0 and i != self.speed.currentIndex():
            self.speed.blockSignals(True)
            self.speed.setCurrentIndex(i)
            self.speed.blockSignals(False)


def paint_icons(actions: Mapping[str, QAction], widget: QWidget, playing: bool) -> None:
    """Give each playback action (keyed "play", "back", ...) its icon drawn in `widget`'s
    text colour; "play" shows pause while `playing`."""
    color = widget.palette().color(QPalette.ColorRole.ButtonText)
    for key, action in actions.items():
        action.setIcon(media_icon("pause" if key == "play" and playing else key, color))


def media_icon(kind: str, color: QColor, side: int = 64) -> QIcon:
    """A playback icon ("play", "pause", "back", "forward", "restart", "end") drawn in
    `color`, so it stays visible on dark and high-contrast themes."""
    pixmap = QPixmap(side, side)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    s = float(side)

    def triangle(left: float, right: float, pointing_right: bool) -> None:
        tip, base = (right, left) if pointing_right else (left, right)
        painter.drawPolygon(
            QPolygonF([QPointF(base, s * 0.2), QPointF(tip, s * 0.5), QPointF(base, s * 0.8)])
        )

    def bar(x: float) -> None:
        painter.drawRect(int(x), int(s * 0.2), max(2, int(s * 0.1)), int(s * 0.6))

    if kind == "play":
        triangle(s * 0.28, s * 0.78, True)
    elif kind == "pause":
        bar(s * 0.3)
        bar(s * 0.6)
    elif kind == "forward":
        triangle(s * 0.15, s * 0.5, True)
        triangle(s * 0.5, s * 0.85, True)
    elif kind == "back":
        triangle(s * 0.15, s * 0.5, False)
        triangle(s * 0.5, s * 0.85, False)
    elif kind == "restart":
        bar(s * 0.12)
        triangle(s * 0.25, s * 0.55, False)
        triangle(s * 0.55, s * 0.85, False)
    elif kind == "end":
        triangle(s * 0.15, s * 0.45, True)
        triangle(s * 0.45, s * 0.75, True)
        bar(s * 0.78)
    painter.end()
    return QIcon(pixmap)
