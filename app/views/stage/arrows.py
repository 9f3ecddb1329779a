"""An arrow between two actors: two lanes, one per direction, like a wire diagram.

Requests go one way and answers come back the other, so each pair of actors gets two
parallel lanes with their own arrowheads. The lane the current packet travels is
drawn in its kind's colour; each lane keeps, faintly, the label of the last packet that
crossed it in the current user action, so a still picture shows the whole exchange.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPen, QPolygonF, QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from authflow.app.views.palette import Palette
from authflow.app.views.stage.layout import EM, SMALLEST
from authflow.app.views.stage.paint import font, metrics, note_text

LANE_GAP = 0.75 * EM
TRAIL_SCALE = SMALLEST


class ArrowItem(QGraphicsObject):
    """Two lanes between actors `a` and `b`: lane 0 runs a->b, lane 1 runs b->a."""

    def __init__(self, a: str, b: str, palette: Palette) -> None:
        super().__init__()
        self.a, self.b = a, b
        self.palette = palette
        self.line = QLineF()
        self.highlight: tuple[int, str] | None = None
        """(lane, palette role) of the lane the current packet travels, if any."""
        self.trail: list[str] = ["", ""]
        self.setZValue(1)
        # Painted into the view's cached background with the actors (see StageScene).
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents)

    def set_line(self, line: QLineF) -> None:
        self.prepareGeometryChange()
        self.line = QLineF(line)
        self.update()

    def lane(self, src: str, dst: str) -> QLineF:
        """The line a packet from `src` to `dst` follows."""
        index = 0 if (src, dst) == (self.a, self.b) else 1
        line = self._lane_line(index)
        return line if index == 0 else QLineF(line.p2(), line.p1())

    def lane_index(self, src: str) -> int:
        return 0 if src == self.a else 1

    def _normal(self) -> QPointF:
        length = self.line.length() or 1.0
        return QPointF(-self.line.dy() / length, self.line.dx() / length)

    def _lane_line(self, index: int) -> QLineF:
        n = self._normal()
        # Lane 0 (a->b) above (or left of) the centre line, lane 1 below.
        sign = -1.0 if index == 0 else 1.0
        if self.line.dx() < 0:
            sign = -sign
        off = QPointF(n.x() * LANE_GAP / 2 * sign, n.y() * LANE_GAP / 2 * sign)
        return QLineF(self.line.p1() + off, self.line.p2() + off)

    def set_state(self, highlight: tuple[int, str] | None, trail: list[str]) -> None:
        self.highlight = highlight
        self.trail = list(trail)
        self.update()

    def set_palette(self, palette: Palette) -> None:
        self.palette = palette
        self.update()

    def boundingRect(self) -> QRectF:
        pad = 2.2 * EM
        return QRectF(self.line.p1(), self.line.p2()).normalized().adjusted(-pad, -pad, pad, pad)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        """Unused: the item has no contents of its own; `draw` paints it."""

    def draw(self, painter: QPainter) -> None:
        """Paint both lanes in scene coordinates (the item sits at the origin)."""
        p = self.palette
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for index in (0, 1):
            lane = self._lane_line(index)
            if index == 1:
                lane = QLineF(lane.p2(), lane.p1())
            active = self.highlight is not None and self.highlight[0] == index
            color = p.color(self.highlight[1]) if active and self.highlight else p.color("arrow")
            pen = QPen(color, (0.18 if active else 0.1) * EM)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            head = 0.7 * EM
            shortened = QLineF(lane)
            if shortened.length() > head:
                shortened.setLength(lane.length() - head * 0.6)
            painter.drawLine(shortened)
            painter.setBrush(color)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawPolygon(_arrow_head(lane, head))
            text = self.trail[index]
            if text and not active:
                self._paint_trail(painter, lane, index, text)

    def _paint_trail(self, painter: QPainter, lane: QLineF, index: int, text: str) -> None:
        placed = self._trail_box(lane, index, text)
        if placed is None:
            return
        shown, transform, box = placed
        painter.save()
        painter.setTransform(transform, combine=True)
        painter.setFont(font(TRAIL_SCALE))
        painter.setPen(self.palette.color("muted"))
        painter.drawText(QPointF(box.left(), box.top() + metrics(TRAIL_SCALE).ascent()), shown)
        note_text(painter, box, EM * TRAIL_SCALE, shown)
        painter.restore()

    def _trail_box(
        self, lane: QLineF, index: int, text: str
    ) -> tuple[str, QTransform, QRectF] | None:
        """Where lane `index`'s faint label goes: (text as shown, the transform from
        scene coordinates, its box in those coordinates); None when the lane is too
        short for one."""
        m = metrics(TRAIL_SCALE)
        width = m.horizontalAdvance(text)
        room = lane.length() - 2 * EM
        if room < 3 * EM:
            return None
        if width > room:
            text = m.elidedText(text, Qt.TextElideMode.ElideRight, room)
            width = m.horizontalAdvance(text)
        mid = lane.pointAt(0.5)
        if abs(lane.dx()) < abs(lane.dy()):
            # A vertical lane: level text beside it, on the lane's own side.
            left_side = mid.x() < self.line.pointAt(0.5).x()
            x = mid.x() - 0.5 * EM - width if left_side else mid.x() + 0.5 * EM
            top = mid.y() + m.ascent() / 2 - m.ascent()
            return text, QTransform(), QRectF(x, top, width, m.height())
        angle = math.degrees(math.atan2(lane.dy(), lane.dx()))
        if angle > 90 or angle < -90:
            angle += 180
        transform = QTransform().translate(mid.x(), mid.y()).rotate(angle)
        above = mid.y() < self.line.pointAt(0.5).y() or (
            mid.y() == self.line.pointAt(0.5).y() and index == 0
        )
        baseline = -0.3 * EM - m.descent() if above else 0.3 * EM + m.ascent()
        return text, transform, QRectF(-width / 2, baseline - m.ascent(), width, m.height())

    def hide_trails_under(self, box: QRectF) -> None:
        """Drop the faint labels `box` (the packet at rest) would cover: a label half
        hidden under a packet reads as part of it."""
        for index in (0, 1):
            text = self.trail[index]
            if not text:
                continue
            lane = self._lane_line(index)
            if index == 1:
                lane = QLineF(lane.p2(), lane.p1())
            placed = self._trail_box(lane, index, text)
            if placed is not None and placed[1].map(QPolygonF(placed[2])).intersects(
                QPolygonF(box)
            ):
                self.trail[index] = ""
        self.update()


def _arrow_head(line: QLineF, size: float) -> QPolygonF:
    end = line.p2()
    length = line.length() or 1.0
    ux, uy = line.dx() / length, line.dy() / length
    base = QPointF(end.x() - ux * size, end.y() - uy * size)
    nx, ny = -uy * size * 0.45, ux * size * 0.45
    return QPolygonF(
        [end, QPointF(base.x() + nx, base.y() + ny), QPointF(base.x() - nx, base.y() - ny)]
    )
