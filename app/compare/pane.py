"""One pane of the side-by-side view: a run's title, its own stage and Player, the
current event's explanation, and a mark when this step's outcome differs from the
other panes'."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from authflow.app import plain_text
from authflow.app.session.player import Player
from authflow.app.views.stage.layout import COMPACT, EM, STAGE_HEIGHT_EM, stage_size
from authflow.app.views.stage.scene import StageScene
from authflow.app.views.stage.view import StageView
from authflow.simulator.config.modes import MODE_TITLES

if TYPE_CHECKING:
    from authflow.app.views.palette import Palette
    from authflow.simulator.analysis.compare import StepDiff
    from authflow.simulator.trace.trace import Trace

MIN_STAGE_EM_PX = 11.0
"""The least pixel size of the stage's text (its small print is 0.78 of it): a pane
is never made smaller than that needs, the row of panes scrolls instead. Three panes
side by side keep it from 1920 px wide up; on a laptop two fit and the third scrolls."""


def run_title(mode: str, overrides: dict[str, str]) -> str:
    """ "JWT" or "JWT · same_site=None" (scrypt cost and other test knobs left out)."""
    shown = {k: v for k, v in overrides.items() if k != "scrypt_n"}
    extra = ", ".join(f"{k}={v}" for k, v in shown.items())
    title = MODE_TITLES.get(mode, mode)
    return f"{title} · {extra}" if extra else title


class ComparePane(QFrame):
    """A run in a pane; the side-by-side window tells it which event to show."""

    def __init__(
        self,
        palette: Palette,
        duration_ms: Callable[[], int] | int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("compare_pane")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.palette_roles = palette
        self.player = Player(self)
        self.stage = StageScene(palette, duration_ms)
        self.stage.setParent(self)
        # Two or three panes side by side are narrow: narrower actors let the stage fill
        # the pane's width with text a third larger (9 px -> 12 px, 3 panes at 1920).
        self.stage.set_sizes(COMPACT)
        self.view = StageView(self.stage)
        self.title = QLabel()
        self.title.setObjectName("compare_pane_title")
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # the lesson's own title
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.difference = QLabel()
        self.difference.setObjectName("compare_pane_difference")
        self.difference.setWordWrap(True)
        self.difference.setTextFormat(Qt.TextFormat.PlainText)
        self.action = QLabel()
        self.action.setObjectName("compare_pane_action")
        self.action.setWordWrap(True)
        self.action.setTextFormat(Qt.TextFormat.PlainText)
        self.explain = QLabel()
        self.explain.setObjectName("compare_pane_explain")
        self.explain.setWordWrap(True)
        self.explain.setTextFormat(Qt.TextFormat.PlainText)
        self.explain.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(3)
        layout.addWidget(self.title)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.difference)
        layout.addWidget(self.action)
        layout.addWidget(self.explain)
        self.differs = False
        self.player.trace_changed.connect(self._trace_changed)
        self.player.step_changed.connect(self._step_changed)
        self._previous = -2
        self.set_palette(palette)
        self.set_base_font(self.font())
        self._keep_legible()

    @property
    def trace(self) -> Trace | None:
        return self.player.trace

    def set_run(self, trace: Trace, title: str, index: int = 0) -> None:
        self.title.setText(title)
        self.title.setToolTip(plain_text.tip(title))
        self.player.set_trace(trace, index)

    def set_base_font(self, font: QFont) -> None:
        """Size the pane's text from `font`: the title bold and larger, the rest as is."""
        self.setFont(font)
        # WORKAROUND: the pane's style sheet (its border) keeps Qt from passing a new
        # font down to its children, so the event line and the mode picker and settings
        # field above the stage stayed at the system size at 4K; hand it down by hand.
        for child in self.findChildren(QWidget):
            child.setFont(font)
        big = QFont(font)
        big.setBold(True)
        if font.pointSizeF() > 0:
            big.setPointSizeF(font.pointSizeF() * 1.3)
        self.title.setFont(big)
        bold = QFont(font)
        bold.setBold(True)
        self.difference.setFont(bold)
        larger = QFont(font)
        if font.pointSizeF() > 0:
            larger.setPointSizeF(font.pointSizeF() * 1.15)
        self.explain.setFont(larger)
        lines = self.explain.fontMetrics().lineSpacing()
        # Three lines of explanation fit without the stage jumping in height.
        self.explain.setMinimumHeight(round(lines * 3.2))

    def set_palette(self, palette: Palette) -> None:
        self.palette_roles = palette
        self.stage.set_palette(palette)
        self.stage.setBackgroundBrush(palette.color("background"))
        self._style_difference()

    def _style_difference(self) -> None:
        p = self.palette_roles
        colour = p.blocked if self.differs else p.muted
        self.difference.setStyleSheet(
            f"#compare_pane_difference {{ color: {p.text}; background: {p.surface};"
            f" border-left: 6px solid {colour}; padding: 3px 6px; }}"
        )
        border = f"3px solid {p.blocked}" if self.differs else f"1px solid {p.actor}"
        self.setStyleSheet(f"#compare_pane {{ border: {border}; }}")

    def mark(self, diff: StepDiff | None, run: int) -> None:
        """Say whether this step's outcome differs from the other panes', and what this
        run's outcome is."""
        outcome = diff.outcomes[run] if diff is not None and run < len(diff.outcomes) else None
        self.differs = bool(diff is not None and diff.differs)
        if diff is None:
            self.difference.setText("")
        elif outcome is None:
            self.difference.setText(f"≠ Step {diff.step + 1}: this run has no such step")
        elif diff.differs:
            self.difference.setText(f"≠ Outcome differs at step {diff.step + 1}: {outcome.text()}")
        else:
            self.difference.setText(f"= Same outcome at step {diff.step + 1}: {outcome.text()}")
        self.difference.setToolTip(plain_text.tip(self.difference.text()))
        self._style_difference()

    def show_index(self, index: int) -> None:
        """Show event `index` (the player emits; the stage animates a step forward)."""
        if self.player.trace is None:
            return
        if index < 0:
            if self.player.index >= 0:
                self.player.set_trace(self.player.trace, -1)
        else:
            self.player.jump(index)

    def _trace_changed(self, _trace: object) -> None:
        if self.player.trace is not None:
            self.stage.set_trace(self.player.trace)
            self._keep_legible()
            self.view.fit()
        self._previous = -2

    def _keep_legible(self) -> None:
        """The stage's least size at which its text is MIN_STAGE_EM_PX high: the view
        scales the whole stage to fit, so a narrower view would shrink the text."""
        scale = MIN_STAGE_EM_PX / EM
        width, _ = stage_size(0.0, tuple(self.stage.actors), self.stage.sizes)
        slack = 8  # fitInView keeps 2 px clear on every side, in both directions
        least_w, least_h = width * scale + slack, STAGE_HEIGHT_EM * EM * scale + slack
        self.view.setMinimumSize(math.ceil(least_w), math.ceil(least_h))

    def _step_changed(self, index: int) -> None:
        forward = index == self._previous + 1
        self._previous = index
        self.stage.show(index, animate=forward)
        trace, event = self.player.trace, self.player.current_event
        if trace is None or event is None:
            self.action.setText(trace.title if trace is not None else "")
            self.explain.setText("Press Step (→) to play the lesson in every pane at once.")
            return
        step = trace.steps[event.step] if 0 <= event.step < len(trace.steps) else None
        where = f"Event {index + 1} / {len(trace.events)}"
        if step is not None:
            where += f" · action {event.step + 1} / {len(trace.steps)}: {step.action}"
        self.action.setText(where)
        self.explain.setText(event.explain)

    def stop(self) -> None:
        """Stop the player's timer and the stage's animation (teardown)."""
        self.player.pause()
        self.stage.stop()
