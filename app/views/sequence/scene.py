"""The diagram's scene: one trace, one theme, the current step highlighted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRectF
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QGraphicsScene

from authflow.app.views.sequence.items import DiagramPainter, SequenceItem
from authflow.app.views.sequence.layout import SequenceLayout
from authflow.app.views.sequence.theme import DiagramTheme, theme_named

if TYPE_CHECKING:
    from authflow.simulator.trace.trace import Trace


class SequenceScene(QGraphicsScene):
    """A lifeline diagram of a trace; `set_current` moves the highlight."""

    def __init__(
        self,
        trace: Trace | None = None,
        theme: DiagramTheme | None = None,
        title: bool = True,
        current: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        # One item: no spatial index to maintain.
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self._theme = theme or theme_named("light")
        self._title = title
        self._trace: Trace | None = None
        self.item = SequenceItem(SequenceLayout(None, self._theme, title), self._theme)
        self.addItem(self.item)
        self.set_trace(trace, current)

    @property
    def trace(self) -> Trace | None:
        return self._trace

    @property
    def theme(self) -> DiagramTheme:
        return self._theme

    @property
    def layout(self) -> SequenceLayout:
        return self.item.layout

    @property
    def current(self) -> int | None:
        return self.item.current

    def set_trace(self, trace: Trace | None, current: int | None = None) -> None:
        self._trace = trace
        self._relayout(current)

    def set_theme(self, theme: DiagramTheme) -> None:
        self._theme = theme
        self._relayout(self.item.current)

    def _relayout(self, current: int | None) -> None:
        self.item.prepareGeometryChange()
        layout = SequenceLayout(self._trace, self._theme, self._title)
        self.item.painter = DiagramPainter(layout, self._theme)
        self.item.current = (
            current if current is not None and 0 <= current < len(self.layout) else None
        )
        self.setBackgroundBrush(QBrush(self._theme.color("background")))
        self.setSceneRect(self.item.boundingRect())
        self.update()

    def diagram_rect(self) -> QRectF:
        """The whole diagram, what an export renders."""
        return self.item.boundingRect()

    def set_current(self, row: int | None) -> None:
        """Highlight `row` (None or out of range: no highlight); repaints two rows only."""
        if row is not None and not 0 <= row < len(self.layout):
            row = None
        old = self.item.current
        if old == row:
            return
        self.item.current = row
        for r in (old, row):
            if r is not None:
                self.item.update(self.item.row_rect(r))

    def row_at(self, y: float) -> int | None:
        return self.layout.row_at(y)

    def row_rect(self, row: int) -> QRectF:
        return self.item.row_rect(row)
