"""Slide-ready sequence diagrams: one step and its neighbours, on a 16:9 page.

A lecturer pastes one step into a slide: the crop keeps the title and the actor boxes
on top, then only the rows around the current event (highlighted), drawn by the same
painter as the full diagram, so a cropped row looks exactly like the row in the app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF
from PySide6.QtGui import QBrush, QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QStyleOptionGraphicsItem, QWidget

from authflow.app.views.sequence import layout as lay
from authflow.app.views.sequence.items import DiagramPainter
from authflow.app.views.sequence.theme import DiagramTheme

if TYPE_CHECKING:
    from authflow.simulator.trace.trace import Trace

WIDESCREEN = 16 / 9
NEIGHBOURS = 2
"""Rows shown on each side of the current one by default."""


def rows_around(count: int, current: int, neighbours: int) -> range:
    """Rows current-neighbours .. current+neighbours, shifted to stay inside 0..count-1."""
    span = min(count, 2 * neighbours + 1)
    first = max(0, min(current - neighbours, count - span))
    return range(first, first + span)


class CropItem(QGraphicsItem):
    """The diagram's title and actor boxes, then only `rows`."""

    def __init__(self, painter: DiagramPainter, rows: range, current: int) -> None:
        super().__init__()
        self.diagram = painter
        self.rows = rows
        self.current = current
        lo = painter.layout
        self.shift = lo.row_top(rows.start) - lo.rows_top
        """How far up the kept rows move to sit under the header."""
        self.rows_height = lo.row_bottom(rows.stop - 1) - lo.row_top(rows.start)

    def boundingRect(self) -> QRectF:
        lo = self.diagram.layout
        return QRectF(0, 0, lo.width, lo.rows_top + self.rows_height + lay.MARGIN)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        lo, dp = self.diagram.layout, self.diagram
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if lo.title:
            dp.paint_title(painter)
        dp.paint_header(painter, lo.header_top)
        dp.paint_lifelines(painter, lo.rows_top - lay.HEADER_GAP, lo.rows_top)
        painter.save()
        painter.translate(0, -self.shift)
        top = lo.row_top(self.rows.start)
        dp.paint(painter, QRectF(0, top, lo.width, self.rows_height), self.current)
        painter.restore()


def neighbours_scene(
    trace: Trace, theme: DiagramTheme, current: int, neighbours: int = NEIGHBOURS
) -> tuple[QGraphicsScene, QRectF]:
    """A scene with the crop around event `current`, and the rect to export."""
    layout = lay.SequenceLayout(trace, theme, title=True)
    painter = DiagramPainter(layout, theme)
    rows = rows_around(len(layout), current, max(0, neighbours))
    scene = QGraphicsScene()
    scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
    item = CropItem(painter, rows, current)
    scene.addItem(item)
    scene.setBackgroundBrush(QBrush(theme.color("background")))
    rect = item.boundingRect()
    scene.setSceneRect(rect)
    return scene, rect


def widescreen(rect: QRectF, aspect: float = WIDESCREEN) -> QRectF:
    """`rect` grown (never cropped) to `aspect`, its content centred."""
    out = QRectF(rect)
    if rect.width() / rect.height() < aspect:
        out.setWidth(rect.height() * aspect)
    else:
        out.setHeight(rect.width() / aspect)
    out.moveCenter(rect.center())
    return out
