"""The narration bar: the current event's explanation, large, with where we are.

The explanation is the biggest text in the window (it is what a lecture hall reads);
its size follows the window and the system font, never a fixed pixel count.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontInfo, QPalette, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from authflow.app import plain_text
from authflow.app.views.palette import Palette

if TYPE_CHECKING:
    from authflow.simulator.trace.trace import Event, Step, Trace

EXPLAIN_SCALE = 1.45
"""Explanation size relative to the window's font."""
ELLIPSIS = "…"
NO_CAP = 16777215
"""QWIDGETSIZE_MAX: a widget's maximum height when nothing caps it."""


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
        self._cap: int | None = None
        self._min_explain_px = 0
        self._asked_font = QFont(self.font())
        """The font set_base_font was given; fitting may draw smaller than this."""
        self._texts: dict[QLabel, str] = {self.action: "", self.explain: ""}
        """What the wrapped lines say in full, before any eliding."""
        self._fitted_width = -1
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
        self._asked_font = QFont(font)
        self.setFont(font)
        self._apply_fonts()
        self._fit()

    def set_height_cap(self, cap: int | None, min_explain_px: int = 0) -> None:
        """Keep the bar at most `cap` pixels tall (None: no cap).

        Under a cap the text first steps down in size, never below an explanation of
        `min_explain_px`; what still does not fit ends in "…", the whole text in its
        tooltip. A presenter's large text must not push the stage off the screen.
        """
        self._cap = cap
        self._min_explain_px = min_explain_px
        self.setMaximumHeight(NO_CAP if cap is None else cap)
        if cap is None:
            self.setFont(self._asked_font)
            self._apply_fonts()
            self._show_full_texts()
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Only a new width rewraps the text: the height is the fit's own doing.
        if self._cap is not None and event.size().width() != self._fitted_width:
            self._fit()

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
            # A step's first event often explains it in the step's own words: the
            # same sentence twice would cost the bar lines for nothing.
            if step.narration and step.narration.strip() != event.explain.strip():
                action += f" — {step.narration}"
        self._texts[self.action] = action
        self._texts[self.explain] = event.explain
        self._show_full_texts()
        self._fit()

    def _show_full_texts(self) -> None:
        self.action.setText(self._texts[self.action])
        self.action.setToolTip(plain_text.tip(self._texts[self.action]))
        self.explain.setText(self._texts[self.explain])
        self.explain.setToolTip("")

    # Fitting under a cap ------------------------------------------------------------------
    def _fit(self) -> None:
        cap, width = self._cap, self.width()
        if cap is None or width <= 0:
            return
        self._fitted_width = width
        self._show_full_texts()
        asked = self._asked_font
        base_px = asked.pixelSize() if asked.pixelSize() > 0 else QFontInfo(asked).pixelSize()
        floor_px = min(base_px, max(1, math.ceil(self._min_explain_px / EXPLAIN_SCALE)))
        if self._fits_at(base_px, width, cap):
            return
        if not self._fits_at(floor_px, width, cap):
            # Too long even at the smallest size: the lesson's line gives way before the
            # explanation, which is what the room reads.
            for label in (self.action, self.explain):
                self._elide(label, width, cap)
            return
        # The largest size that fits: the height grows with the size (near enough
        # monotonically for a search), and `low` always fits.
        low, high = floor_px, base_px
        while high - low > 1:
            mid = (low + high) // 2
            if self._fits_at(mid, width, cap):
                low = mid
            else:
                high = mid
        self._fits_at(low, width, cap)

    def _fits_at(self, base_px: int, width: int, cap: int) -> bool:
        """Use base text of `base_px` pixels; True if the bar then fits `cap`."""
        font = QFont(self._asked_font)
        font.setPixelSize(base_px)
        if font != self.font():
            self.setFont(font)
            self._apply_fonts()
        return self._needed_height(width) <= cap

    def _needed_height(self, width: int) -> int:
        layout = self.layout()
        assert layout is not None
        # A box layout caches its height for a width until the next activation; the
        # top row's cache would answer for the previous size.
        for i in range(layout.count()):
            item = layout.itemAt(i)
            inner = item.layout() if item is not None else None
            if inner is not None:
                inner.invalidate()
        layout.invalidate()
        return max(layout.totalHeightForWidth(width), layout.totalMinimumSize().height())

    def _label_width(self, label: QLabel, width: int) -> int:
        """The width the layout gives `label` in a bar `width` pixels wide."""
        layout = self.layout()
        assert layout is not None
        margins, own = layout.contentsMargins(), self.contentsMargins()
        inner = width - margins.left() - margins.right() - own.left() - own.right()
        inner -= 2 * self.frameWidth()
        if label is not self.action:
            return inner
        row = layout.itemAt(0)
        top = row.layout() if row is not None else None
        spacing = top.spacing() if top is not None else 0
        side = self.position.sizeHint().width() + self.time.sizeHint().width()
        return max(1, inner - side - 2 * spacing)

    def _elide(self, label: QLabel, width: int, cap: int) -> None:
        """Cut `label`'s text at a word, with "…", until the bar fits `cap`."""
        excess = self._needed_height(width) - cap
        if excess <= 0:
            return
        full = self._texts[label]
        label_width = self._label_width(label, width)
        words = full.split(" ")
        label.setText(words[0] + ELLIPSIS)
        # Never less than a line: shorter gains nothing beside "Step i / n", and the
        # explanation keeps its two-line minimum anyway.
        one_line = label.heightForWidth(label_width)
        label.setText(full)
        budget = max(one_line, label.heightForWidth(label_width) - excess)
        low, high = 1, len(words)
        while high - low > 1:
            mid = (low + high) // 2
            label.setText(" ".join(words[:mid]) + ELLIPSIS)
            if label.heightForWidth(label_width) <= budget:
                low = mid
            else:
                high = mid
        label.setText(" ".join(words[:low]).rstrip(" ,;:—") + ELLIPSIS)
        label.setToolTip(plain_text.tip(full))


def action_label(step: Step) -> str:
    """What the user did, in the simulator's words ("User logs in as alice")."""
    # Imported here: the window paints before it loads the simulator.
    from authflow.simulator.actions.catalogue import ActionError, check_args, describe

    try:
        return describe(step.action, check_args(step.action, step.args))
    except ActionError:
        return step.action
