"""The one graphics item that paints the whole diagram, a row at a time.

It paints only the rows inside the exposed rectangle, so scrolling a 100,000-event
diagram costs what the screen shows. Arrows are told apart by what they carry with a
dash pattern and an arrowhead shape (and a badge), never by colour alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from authflow.app.views.eventlog_model import format_sim_time
from authflow.app.views.sequence import layout as lay
from authflow.app.views.sequence.theme import DiagramTheme
from authflow.simulator.trace.details import as_attack, as_cookie, as_request, as_verdict

if TYPE_CHECKING:
    from authflow.simulator.trace.trace import Event

STYLE_NAMES: dict[str, str] = {
    "none": "no credential",
    "cookie": "cookie",
    "bearer": "bearer token",
    "refresh": "refresh cookie",
}
HIGHLIGHT = 0.16
"""How much of the active colour tints the current row."""
_HEAD = 10.0
"""Arrowhead length."""


def _pen(color: QColor, width: float, style: str = "none") -> QPen:
    pen = QPen(color, width)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    if style == "bearer":
        pen.setDashPattern([4.0, 2.5])
    elif style == "refresh":
        pen.setDashPattern([5.0, 2.0, 1.0, 2.0])
    return pen


def _line_width(style: str) -> float:
    return {"none": 1.4, "cookie": 2.6, "bearer": 2.2, "refresh": 2.2}[style]


class DiagramPainter:
    """Paints parts of a `SequenceLayout` with a `DiagramTheme` onto any QPainter."""

    def __init__(self, layout: lay.SequenceLayout, theme: DiagramTheme) -> None:
        self.layout = layout
        self.theme = theme
        self.label_fm = QFontMetricsF(theme.label_font)
        self.small_fm = QFontMetricsF(theme.small_font)
        self.number_fm = QFontMetricsF(theme.number_font)
        self.header_fm = QFontMetricsF(theme.header_font)

    # -- whole diagram --------------------------------------------------------------
    def paint(self, p: QPainter, rect: QRectF, current: int | None = None) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        lo = self.layout
        rows = lo.rows_in(rect.top(), rect.bottom())
        if current is not None and current in rows:
            self.paint_highlight(p, current)
        self.paint_lifelines(p, max(rect.top(), lo.rows_top - lay.HEADER_GAP), rect.bottom())
        if rect.top() < lo.rows_top:
            if lo.title:
                self.paint_title(p)
            self.paint_header(p, lo.header_top)
        for row in rows:
            self.paint_row(p, row, show_time=self._time_changed(row), current=row == current)
        if rect.bottom() > lo.rows_bottom:
            self.paint_legend(p, lo.rows_bottom + 12.0)

    def _time_changed(self, row: int) -> bool:
        events = self.layout.events
        if row == 0:
            return True
        return format_sim_time(events[row].t) != format_sim_time(events[row - 1].t)

    # -- fixed parts ----------------------------------------------------------------
    def paint_title(self, p: QPainter) -> None:
        p.setFont(self.theme.title_font)
        p.setPen(self.theme.color("text"))
        p.drawText(QPointF(lay.MARGIN, lay.MARGIN + 20.0), self.layout.title)

    def paint_header(self, p: QPainter, top: float, opaque: bool = False) -> None:
        """The actor boxes; `opaque` paints a band behind them (the view's sticky header)."""
        lo, th = self.layout, self.theme
        if opaque:
            band = QRectF(0, top - 6.0, lo.width, lay.HEADER_H + 16.0)
            p.fillRect(band, th.color("background"))
            p.setPen(QPen(th.color("arrow"), 1.0))
            p.drawLine(band.bottomLeft(), band.bottomRight())
        p.setFont(th.header_font)
        for actor, x in lo.x_of.items():
            box = QRectF(x - lo.column / 2 + 14, top, lo.column - 28, lay.HEADER_H)
            role = "attack" if actor == "attacker" else "actor"
            p.setPen(QPen(th.color(role), 1.6))
            p.setBrush(QBrush(th.color("surface")))
            p.drawRoundedRect(box, 7, 7)
            p.setPen(th.color("text"))
            text = self.header_fm.elidedText(actor, Qt.TextElideMode.ElideRight, box.width() - 12)
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def paint_lifelines(self, p: QPainter, top: float, bottom: float) -> None:
        lo = self.layout
        bottom = min(bottom, lo.rows_bottom + 6.0)
        if bottom <= top:
            return
        p.setPen(QPen(self.theme.color("arrow"), 1.3))
        for x in lo.x_of.values():
            p.drawLine(QPointF(x, top), QPointF(x, bottom))

    def paint_highlight(self, p: QPainter, row: int) -> None:
        lo, th = self.layout, self.theme
        band = QRectF(lay.MARGIN - 8, lo.row_top(row), lo.width - 2 * lay.MARGIN + 16, 0)
        band.setBottom(lo.row_bottom(row))
        p.fillRect(band, self.tint("actor_active", HIGHLIGHT))
        p.fillRect(QRectF(band.left(), band.top(), 4, band.height()), th.color("actor_active"))

    def paint_legend(self, p: QPainter, top: float) -> None:
        lo, th = self.layout, self.theme
        y = top + 22.0
        x = lo.left
        p.setFont(th.small_font)
        p.setPen(th.color("muted"))
        p.drawText(QPointF(lay.MARGIN, y + 4), "Arrows:")
        for style in lo.styles_used:
            self.draw_arrow(p, x, x + 46, y, th.color("text"), style)
            p.setPen(th.color("text"))
            p.drawText(QPointF(x + 54, y + 4), STYLE_NAMES[style])
            x += 54 + self.small_fm.horizontalAdvance(STYLE_NAMES[style]) + 26
        if lo.any_blocked:
            self._no_entry(p, QPointF(x + 8, y), th.color("blocked"))
            p.setPen(th.color("text"))
            p.drawText(QPointF(x + 22, y + 4), "blocked")

    # -- rows -----------------------------------------------------------------------
    def paint_row(
        self, p: QPainter, row: int, show_time: bool = True, current: bool = False
    ) -> None:
        lo, th = self.layout, self.theme
        event = lo.events[row]
        top = lo.row_top(row)
        baseline = top + 20.0
        p.setFont(th.number_font)
        p.setPen(th.color("text"))
        number = str(row + 1)
        p.drawText(
            QPointF(lay.MARGIN + 30 - self.number_fm.horizontalAdvance(number), baseline), number
        )
        if show_time:
            p.setFont(th.small_font)
            p.setPen(th.color("muted"))
            p.drawText(QPointF(lay.MARGIN + 36, baseline), format_sim_time(event.t))
        if lay.is_arrow(event):
            self.paint_arrow_row(p, event, top, current)
        else:
            self.paint_note_row(p, event, top)

    def _arrow_color(self, event: Event) -> QColor:
        if event.kind == "request":
            request = as_request(event)
            if request.blocked:
                return self.theme.color("blocked")
            if request.origin_actor == "attacker":
                return self.theme.color("attack")
        if event.kind == "attack":
            return self.theme.color("attack")
        role = {"request": "request", "response": "response", "store": "store_hop"}
        return self.theme.color(role.get(event.kind, "muted"))

    def paint_arrow_row(self, p: QPainter, event: Event, top: float, current: bool = False) -> None:
        lo, th = self.layout, self.theme
        x1, x2 = lo.x_of[event.src], lo.x_of[event.dst]
        y = top + 30.0
        blocked = event.kind == "request" and as_request(event).blocked
        style = lay.line_style(event)
        color = self._arrow_color(event)
        self.draw_arrow(p, x1, x2, y, color, style, blocked=blocked)
        # Label centred above the arrow, kept inside its span.
        left, right = min(x1, x2), max(x1, x2)
        room = right - left - 16
        text = self.label_fm.elidedText(lay.arrow_label(event), Qt.TextElideMode.ElideRight, room)
        width = self.label_fm.horizontalAdvance(text)
        x = (left + right - width) / 2
        # A background plate keeps lifelines from striking through the label.
        plate = QRectF(x - 4, top + 7.0, width + 8, self.label_fm.height() + 2)
        p.fillRect(
            plate, self.tint("actor_active", HIGHLIGHT) if current else th.color("background")
        )
        p.setFont(th.label_font)
        p.setPen(th.color("text"))
        p.drawText(QPointF(x, top + 21.0), text)
        badges = lay.badges(event)
        if badges:
            self.paint_badges(p, badges, (left + right) / 2, y + 8.0, room)

    def paint_badges(
        self, p: QPainter, badges: tuple[lay.Badge, ...], centre: float, top: float, room: float
    ) -> None:
        th = self.theme
        pad = 7.0
        widths = [self.small_fm.horizontalAdvance(b.text) + 2 * pad for b in badges]
        total = sum(widths) + 6.0 * (len(badges) - 1)
        x = centre - min(total, max(room, total)) / 2
        p.setFont(th.small_font)
        for badge, w in zip(badges, widths, strict=True):
            box = QRectF(x, top, w, 18.0)
            color = th.color(badge.role)
            pen = QPen(color, 1.3)
            if badge.crossed:
                pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.setBrush(QBrush(self.tint(badge.role, 0.16)))
            p.drawRoundedRect(box, 9, 9)
            p.setPen(th.color("text"))
            p.drawText(QPointF(x + pad, top + 13.0), badge.text)
            x += w + 6.0

    def paint_note_row(self, p: QPainter, event: Event, top: float) -> None:
        lo, th = self.layout, self.theme
        xs = [lo.x_of[event.src], lo.x_of[event.dst]]
        left, right = min(xs), max(xs)
        text = lay.note_text(event)
        limit = lo.width - lay.MARGIN - lo.left
        text = self.label_fm.elidedText(text, Qt.TextElideMode.ElideRight, limit - 20)
        width = max(self.label_fm.horizontalAdvance(text) + 20, right - left + 40)
        box = QRectF((left + right - width) / 2, top + 5.0, width, lay.NOTE_ROW - 10.0)
        # Keep notes inside the diagram.
        if box.left() < lo.left:
            box.moveLeft(lo.left)
        if box.right() > lo.width - lay.MARGIN:
            box.moveRight(lo.width - lay.MARGIN)
        role, dashed = _note_role(event)
        pen = QPen(th.color(role), 1.4)
        if dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.setBrush(QBrush(th.color("surface")))
        p.drawRect(box)
        p.fillRect(QRectF(box.left(), box.top(), 4, box.height()), th.color(role))
        p.setFont(th.label_font)
        p.setPen(th.color("text"))
        p.drawText(box.adjusted(10, 0, -6, 0), Qt.AlignmentFlag.AlignVCenter, text)

    def tint(self, role: str, amount: float) -> QColor:
        """`role` blended into the background: opaque, so lifelines stay behind it."""
        a, b = self.theme.color("background"), self.theme.color(role)
        return QColor.fromRgbF(
            a.redF() + (b.redF() - a.redF()) * amount,
            a.greenF() + (b.greenF() - a.greenF()) * amount,
            a.blueF() + (b.blueF() - a.blueF()) * amount,
        )

    # -- arrows -----------------------------------------------------------------------
    def draw_arrow(
        self,
        p: QPainter,
        x1: float,
        x2: float,
        y: float,
        color: QColor,
        style: str,
        blocked: bool = False,
    ) -> None:
        direction = 1.0 if x2 >= x1 else -1.0
        width = _line_width(style)
        if blocked:
            end = x1 + (x2 - x1) * 0.5
            p.setPen(_pen(color, width, style))
            p.drawLine(QPointF(x1, y), QPointF(end - 9 * direction, y))
            self._no_entry(p, QPointF(end, y), self.theme.color("blocked"))
            return
        shaft_end = x2 - direction * (_HEAD - 1 if style != "none" else 1.5)
        p.setPen(_pen(color, width, style))
        p.drawLine(QPointF(x1, y), QPointF(shaft_end, y))
        self._head(p, x2, y, direction, color, style)

    def _head(self, p: QPainter, x: float, y: float, d: float, color: QColor, style: str) -> None:
        if style == "none":
            p.setPen(QPen(color, 1.6))
            p.drawLine(QPointF(x, y), QPointF(x - d * _HEAD, y - 5))
            p.drawLine(QPointF(x, y), QPointF(x - d * _HEAD, y + 5))
            return
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QBrush(color))
        tri = QPolygonF(
            [QPointF(x, y), QPointF(x - d * _HEAD, y - 5.5), QPointF(x - d * _HEAD, y + 5.5)]
        )
        p.drawPolygon(tri)
        if style == "refresh":
            # A second, open chevron: the refresh cookie's double head.
            p.setPen(QPen(color, 1.8))
            p.setBrush(Qt.BrushStyle.NoBrush)
            back = x - d * (_HEAD + 4)
            path = QPainterPath(QPointF(back - d * 7, y - 5.5))
            path.lineTo(QPointF(back, y))
            path.lineTo(QPointF(back - d * 7, y + 5.5))
            p.drawPath(path)

    def _no_entry(self, p: QPainter, c: QPointF, color: QColor) -> None:
        p.setPen(QPen(color, 2.0))
        p.setBrush(QBrush(self.theme.color("surface")))
        p.drawEllipse(c, 7.5, 7.5)
        p.drawLine(QPointF(c.x() - 5, c.y() + 5), QPointF(c.x() + 5, c.y() - 5))


def _note_role(event: Event) -> tuple[str, bool]:
    """Palette role of a note's outline, and whether it is dashed (a refusal)."""
    if event.kind == "verdict":
        return ("ok", False) if as_verdict(event).ok else ("blocked", True)
    if event.kind == "attack":
        return ("attack", not as_attack(event).success)
    if event.kind == "cookie":
        if as_cookie(event).action == "rejected":
            return ("blocked", True)
        return ("cookie", False)
    return ("muted", False)


class SequenceItem(QGraphicsItem):
    """The whole diagram as one item; paints only the rows it is asked to expose."""

    def __init__(self, layout: lay.SequenceLayout, theme: DiagramTheme) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self.painter = DiagramPainter(layout, theme)
        self.current: int | None = None

    @property
    def layout(self) -> lay.SequenceLayout:
        return self.painter.layout

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self.layout.width, self.layout.height)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        rect = option.exposedRect
        if rect.isEmpty():
            rect = self.boundingRect()
        self.painter.paint(painter, rect, self.current)

    def row_rect(self, row: int) -> QRectF:
        lo = self.layout
        return QRectF(0, lo.row_top(row), lo.width, lo.row_bottom(row) - lo.row_top(row))
