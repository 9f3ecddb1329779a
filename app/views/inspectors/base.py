"""What every inspector shares: following a Player's trace and current event."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QLabel, QWidget

from authflow.app import plain_text
from authflow.app.session.player import Player
from authflow.simulator.trace.trace import Trace


class TraceInspector(QWidget):
    """Re-renders whenever the player's trace or current event changes (back or forward)."""

    def __init__(self, player: Player | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._player: Player | None = None
        self.trace: Trace | None = None
        self.index = -1
        if player is not None:
            self.attach(player)

    def attach(self, player: Player) -> None:
        self._player = player
        player.trace_changed.connect(self._on_trace)
        player.step_changed.connect(self._on_step)
        if player.trace is not None:
            self.trace = player.trace
            self.index = player.index

    def sizeHint(self) -> QSize:
        # Docked below the stage: wide and short, so the stage keeps most of the window.
        return QSize(900, 260)

    def show_event_at(self, trace: Trace | None, index: int) -> None:
        """Render `trace[index]` (also the entry point for tests and a future live mode)."""
        self.trace = trace
        self.index = index
        self.refresh()

    def refresh(self) -> None:  # pragma: no cover - every inspector overrides it
        raise NotImplementedError

    def scaled(self, pixels: int) -> int:
        """`pixels` (a width chosen at the system font size) at the current text size."""
        return round(pixels * text_factor(self))

    def fit_to_font(self) -> None:
        """Re-size what is sized in pixels; called again when the window scales its text."""

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.fit_to_font()

    def _on_trace(self, trace: object) -> None:
        self.trace = trace if isinstance(trace, Trace) else None

    def _on_step(self, index: int) -> None:
        if self._player is not None:
            self.trace = self._player.trace
        self.index = index
        self.refresh()


def text_factor(widget: QWidget) -> float:
    """How much larger `widget`'s text is than the application's (the window scales its
    text with its size: a projector gets large text)."""
    font, base = widget.font(), QGuiApplication.font()
    if font.pointSizeF() > 0 and base.pointSizeF() > 0:
        return font.pointSizeF() / base.pointSizeF()
    if font.pixelSize() > 0 and base.pixelSize() > 0:
        return font.pixelSize() / base.pixelSize()
    return 1.0


def mono_font() -> QFont:
    """The fixed-width family and nothing else: size follows the widget's parent.

    `QFontDatabase.systemFont(FixedFont)` carries its own point size, which would keep
    code and JSON at the system size while the window scales its text for a projector.
    """
    font = QFont()
    font.setFamilies([QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()])
    font.setStyleHint(QFont.StyleHint.Monospace)
    return font


def caption(text: str = "") -> QLabel:
    """A wrapped, selectable line that says what the view below shows."""
    label = plain_text.label(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    font = label.font()
    font.setWeight(QFont.Weight.DemiBold)
    label.setFont(font)
    return label


def hint(text: str = "") -> QLabel:
    """A secondary, wrapped, selectable line."""
    label = plain_text.label(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
