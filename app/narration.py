"""The narration bar: the current event's explanation, large, with where we are.

The explanation is the biggest text in the window (it is what a lecture hall reads);
its size follows the window and the system font, never a fixed pixel count.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.palette import Palette

if TYPE_CHECKING:
    from simulator.trace import Event, Step, Trace

EXPLAIN_SCALE = 1.45
"""Explanation size relative to the window's font."""


def clock(seconds: float) -> str:
    """Simulated time as "t = 0:15" / "t = 1:02:03" / "t = 8d 0:00:00"."""
    s = max(0, round(seconds))
    days, s = divmod(s, 86400)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    text = f"{h}:{m:02d}:{s:02d}" if h or days else f"{m}:{s:02d}"
    return f"t = {days}d {text}" if days else f"t = {text}"


class NarrationBar(QFrame):
    """Shows `event.explain`, "Step i / n", the simulated time and the lesson's line."""

    def __init__(self, palette: Palette, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("narration")
        self.palette_roles = palette
        self.position = QLabel()
        self.position.setObjectName("narration_position")
        self.time = QLabel()
        self.time.setObjectName("narration_time")
        self.action = QLabel()
        self.action.setObjectName("narration_action")
        self.action.setTextFormat(Qt.TextFormat.PlainText)
        # Long lesson lines wrap instead of widening the window's minimum size.
        self.action.setWordWrap(True)
        self.explain = QLabel()
        self.explain.setObjectName("narration_explain")
        self.explain.setWordWrap(True)
        self.explain.setTextFormat(Qt.TextFormat.PlainText)
        self.explain.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.position)
        top.addWidget(self.time)
        top.addWidget(self.action, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.explain)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.set_palette(palette)
        self._apply_fonts()
        self.show_event(None, None, -1)

    def set_palette(self, palette: Palette) -> None:
        self.palette_roles = palette
        # Only the frame itself is styled: a stylesheet rule matching the labels would
        # pin their fonts and stop them following the window's font.
        self.setStyleSheet(
            f"#narration {{ background: {palette.surface}; border: none;"
            f" border-top: 3px solid {palette.actor_active}; }}"
        )
        for label, role in (
            (self.position, "text"),
            (self.time, "muted"),
            (self.action, "muted"),
            (self.explain, "text"),
        ):
            qpalette = label.palette()
            qpalette.setColor(QPalette.ColorRole.WindowText, palette.color(role))
            label.setPalette(qpalette)

    def set_base_font(self, font: QFont) -> None:
        """Size every line from `font` (the window's font, which follows its size)."""
        self.setFont(font)
        self._apply_fonts()

    def _apply_fonts(self) -> None:
        base = self.font()
        for label in (self.time, self.action):
            label.setFont(base)
        big = QFont(base)
        size = base.pointSizeF()
        if size > 0:
            big.setPointSizeF(size * EXPLAIN_SCALE)
        else:
            big.setPixelSize(round(base.pixelSize() * EXPLAIN_SCALE))
        self.explain.setFont(big)
        bold = QFont(base)
        bold.setBold(True)
        self.position.setFont(bold)
        # Two lines of the explanation always fit without the bar jumping in height.
        self.explain.setMinimumHeight(round(self.explain.fontMetrics().lineSpacing() * 2.2))

    def show_event(self, trace: Trace | None, event: Event | None, index: int) -> None:
        total = len(trace.events) if trace is not None else 0
        if event is None or trace is None:
            self.position.setText(f"Step 0 / {total}")
            self.time.setText(clock(0))
            self.action.setText(trace.title if trace is not None else "")
            self.explain.setText(
                "Choose an action in the toolbar (Log in, View profile…) or press Space to play."
            )
            return
        self.position.setText(f"Step {index + 1} / {total}")
        self.time.setText(clock(event.t))
        action = ""
        if 0 <= event.step < len(trace.steps):
            step = trace.steps[event.step]
            action = f"Action {event.step + 1} / {len(trace.steps)}: {action_label(step)}"
            if step.narration:
                action += f" — {step.narration}"
        self.action.setText(action)
        self.action.setToolTip(action)
        self.explain.setText(event.explain)


def action_label(step: Step) -> str:
    """What the user did, in the simulator's words ("User logs in as alice")."""
    # Imported here: the window paints before it loads the simulator.
    from simulator.actions import ActionError, check_args, describe

    try:
        return describe(step.action, check_args(step.action, step.args))
    except ActionError:
        return step.action
