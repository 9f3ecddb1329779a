"""A packet: one request, response or store hop travelling along its arrow.

A QGraphicsObject (PySide cannot inherit two wrapped classes, so the item itself
exposes the animatable `progress` Property); a QPropertyAnimation moves it from the
sender's edge to the receiver's. It shows the event's label and a badge per credential
it carries; a blocked request or a refused credential is drawn dashed with a no-entry
sign, an error response with a cross, so none of it relies on colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Property, QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPainterPath, QPen, QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from authflow.app import plain_text
from authflow.app.views.palette import Palette, kind_role
from authflow.app.views.stage.layout import EM
from authflow.app.views.stage.paint import (
    Badge,
    badge_size,
    draw_badge,
    draw_icon,
    draw_text,
    fit_badge,
    metrics,
)

LABEL_SCALE = 0.9
BADGE_GAP = 0.3 * EM
LABEL_LINES = 3
"""A label too long for its lane wraps onto at most this many lines, then elides."""
CALLOUT_LINES = 2


def wrap_lines(text: str, width: float, m: QFontMetricsF, max_lines: int) -> list[str]:
    """Greedy word wrap of `text` to `width`: a word too wide for a line, and the last
    line when text remains, are elided in the middle (ids keep both ends)."""
    lines: list[str] = []
    current = ""
    words = text.split(" ")
    while words:
        candidate = f"{current} {words[0]}" if current else words[0]
        if m.horizontalAdvance(candidate) <= width:
            current = candidate
            words.pop(0)
            continue
        if not current:
            # One word wider than a line (a URL): break it after a "/" or "." if one
            # fits, else where the line ends.
            word = words.pop(0)
            cut = _fitting_prefix(word, width, m)
            current, rest = word[:cut], word[cut:]
            if rest:
                words.insert(0, rest)
        lines.append(current)
        current = ""
        if len(lines) == max_lines - 1:
            current = " ".join(words)
            words = []
    if current:
        lines.append(current)
    elide = Qt.TextElideMode.ElideMiddle
    return [m.elidedText(line, elide, width) for line in lines[:max_lines]]


def _fitting_prefix(word: str, width: float, m: QFontMetricsF) -> int:
    """Length of the longest start of `word` that fits `width` (at least one character),
    preferring one that ends just after a "/" or a "."."""
    fits = 1
    while fits < len(word) and m.horizontalAdvance(word[: fits + 1]) <= width:
        fits += 1
    breaks = [i + 1 for i in range(fits) if word[i] in "/." and i + 1 < len(word)]
    good = [b for b in breaks if b >= fits // 2]
    return good[-1] if good else fits


def _area(rect: QRectF) -> float:
    return max(0.0, rect.width()) * max(0.0, rect.height())


def lane_room(line: QLineF) -> float:
    """How wide a packet on `line` may be: the lane's length when it runs across the
    stage; for a mostly vertical hop (server above its store) the column's width."""
    if abs(line.dy()) > abs(line.dx()):
        return 14 * EM
    return max(min(line.length() - 2.6 * EM, 40 * EM), 9 * EM)


class PacketItem(QGraphicsObject):
    """One event in flight: label and badges in a box pointed toward its receiver."""

    def __init__(self, palette: Palette) -> None:
        super().__init__()
        self.palette = palette
        self.label = ""
        self.shown_label = ""
        """The label as drawn: its lines joined by newlines."""
        self.label_lines: list[str] = [""]
        self.kind = "request"
        self.badges: tuple[Badge, ...] = ()
        self.rows: list[list[Badge]] = []
        self.icon = ""
        """"no_entry" (blocked), "cross" (error status or miss) or ""."""
        self.refused = False
        self.line = QLineF()
        self.stop_at = 1.0
        """Where along the line it rests (a blocked request stops before the server)."""
        self._progress = 0.0
        self._size = (4 * EM, 2 * EM)
        self._span = (0.0, 1.0)
        self._offset = QPointF()
        """Where a packet too wide for its lane rests instead: beside the lane."""
        self._bounds = self._bounding()
        self.setZValue(10)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def set_packet(
        self,
        label: str,
        kind: str,
        line: QLineF,
        badges: Sequence[Badge] = (),
        *,
        icon: str = "",
        refused: bool = False,
        stop_at: float = 1.0,
        avoid: Sequence[QRectF] = (),
        obstacles: Sequence[QRectF] = (),
    ) -> None:
        """Show a packet on `line`; `avoid` (the sender's and receiver's boxes) bounds
        its travel so the box never covers either actor."""
        self.prepareGeometryChange()
        self.label, self.kind, self.line = label, kind, QLineF(line)
        self.badges, self.icon, self.refused, self.stop_at = tuple(badges), icon, refused, stop_at
        self._size = self._measure()
        self._bounds = self._bounding()
        self._span = self._free_span(avoid)
        self._offset = self._clear_offset([*avoid, *obstacles])
        self.update()
        self._place()

    def _free_span(self, avoid: Sequence[QRectF]) -> tuple[float, float]:
        """The part of the line (as t in 0..1) where the box overlaps neither actor."""
        samples = 48
        # With the pointed tip: on a short lane the box alone can stop just clear of
        # the receiver while the tip covers its title (lb to server-2 at scale-out).
        boxes = [
            (i / samples, self._bounds.translated(self.line.pointAt(i / samples)))
            for i in range(samples + 1)
        ]
        free = [t for t, box in boxes if not any(box.intersects(r) for r in avoid)]
        if free:
            return free[0], free[-1]
        # A lane shorter than the packet (browser to attacker): rest where it hides the
        # least of the two actors. While the box spans the whole gap every spot hides
        # the same area; the first such spot pushed all the overhang onto the sender
        # (over the browser's footer), the middle one shares it between the two actors'
        # margins.
        covered = [(t, sum(_area(box.intersected(r)) for r in avoid)) for t, box in boxes]
        least = min(c for _, c in covered)
        ties = [t for t, c in covered if c <= least + 1e-6]
        middle = (ties[0] + ties[-1]) / 2
        return middle, middle

    def _clear_offset(self, obstacles: Sequence[QRectF]) -> QPointF:
        """For a lane shorter than the packet (the load balancer to a server): the
        shift across the lane that puts the resting box clear of every actor, so it
        covers none of their text; none when it already is, or when no shift helps."""
        start, end = self._span
        if start != end:
            return QPointF()
        spot = self._bounds.translated(self.line.pointAt(start))
        if not any(spot.intersects(r) for r in obstacles):
            return QPointF()
        length = self.line.length() or 1.0
        normal = QPointF(-self.line.dy() / length, self.line.dx() / length)
        step = 0.5 * EM
        for i in range(1, 40):
            for sign in (-1.0, 1.0):
                shift = normal * (sign * i * step)
                if not any(spot.translated(shift).intersects(r) for r in obstacles):
                    return shift
        return QPointF()

    def _measure(self) -> tuple[float, float]:
        """Size the box and lay the badges out in rows no wider than the lane allows."""
        m = metrics(LABEL_SCALE, bold=True)
        icon_w = m.height() * 1.1 if self.icon else 0.0
        limit = lane_room(self.line)
        # A label longer than the lane wraps (and only past LABEL_LINES elides: the
        # narration and the inspectors carry the full text).
        self.label_lines = wrap_lines(self.label, limit - icon_w, m, LABEL_LINES)
        self.shown_label = "\n".join(self.label_lines)
        label_w = max(m.horizontalAdvance(line) for line in self.label_lines) + icon_w
        rows: list[list[tuple[Badge, float]]] = []
        row_w = 0.0
        # A badge wider than the lane (a long "cross-site from …" on the short
        # browser-attacker lane) made the box overhang both actors; it is shortened
        # instead, and the tooltip keeps every word.
        fitted = [fit_badge(badge, limit) for badge in self.badges]
        words = "".join(self.label_lines).replace(" ", "")
        shortened = words != self.label.replace(" ", "") or fitted != list(self.badges)
        self.setToolTip(
            plain_text.tip("\n".join([self.label, *(b.text for b in self.badges)]))
            if shortened
            else ""
        )
        for badge in fitted:
            bw = badge_size(badge)[0]
            if rows and row_w + BADGE_GAP + bw <= limit:
                rows[-1].append((badge, bw))
                row_w += BADGE_GAP + bw
            else:
                rows.append([(badge, bw)])
                row_w = bw
        self.rows = [[b for b, _ in row] for row in rows]
        widths = [sum(w for _, w in row) + BADGE_GAP * (len(row) - 1) for row in rows]
        w = max([label_w, *widths])
        h = m.height() + (len(self.label_lines) - 1) * m.lineSpacing()
        if rows:
            badge_h = badge_size(self.badges[0])[1]
            h += len(rows) * (0.25 * EM + badge_h)
        return w + 2.2 * EM, h + 0.7 * EM

    @property
    def size(self) -> tuple[float, float]:
        return self._size

    def get_progress(self) -> float:
        return self._progress

    def set_progress(self, value: float) -> None:
        self._progress = value
        self._place()

    progress = Property(float, get_progress, set_progress)

    def resting_rect(self) -> QRectF:
        """Where the box ends up (progress 1), in scene coordinates."""
        start, end = self._span
        point = self.line.pointAt(start + (end - start) * self.stop_at) + self._offset
        return self._bounds.translated(point)

    def _place(self) -> None:
        """Progress 0: touching the sender; 1: touching the receiver (or `stop_at` of
        the way, for a request the browser refused to send)."""
        start, end = self._span
        t = start + (end - start) * self._progress * self.stop_at
        self.setPos(self._snapped(self.line.pointAt(t) + self._offset))

    def _snapped(self, point: QPointF) -> QPointF:
        """`point` moved (by under half a screen pixel) onto the view's pixel grid.

        Qt blits the cached pixmap at a whole pixel anyway; but at a fractional
        position the item's rounded device rect is one pixel wider or taller every few
        frames, and each time Qt reallocates the pixmap and calls paint() again (a few
        packets per frame at 4K). On the grid the cache is reused while it moves."""
        scene = self.scene()
        views = scene.views() if scene is not None else []
        if len(views) != 1:
            return point
        transform = views[0].viewportTransform()
        if transform.type().value > QTransform.TransformationType.TxScale.value:
            return point
        device = transform.map(point)
        inverse, invertible = transform.inverted()
        if not invertible:
            return point
        return inverse.map(QPointF(round(device.x()), round(device.y())))

    def boundingRect(self) -> QRectF:
        # Qt asks several times per item per frame: precomputed in set_packet.
        return self._bounds

    def _bounding(self) -> QRectF:
        # Tight: the cached pixmap is blended every frame, so every spare pixel costs
        # (a hundred packets at 4K). The pointed tip sticks out on the leading side.
        w, h = self._size
        pen = 0.1 * EM
        tip = 0.7 * EM + pen
        left = tip if self.line.dx() < 0 else pen
        right = pen if self.line.dx() < 0 else tip
        return QRectF(-w / 2 - left, -h / 2 - pen, w + left + right, h + 2 * pen)

    def _body(self) -> QPainterPath:
        w, h = self._size
        rect = QRectF(-w / 2, -h / 2, w, h)
        tip = 0.7 * EM
        path = QPainterPath()
        rightward = self.line.dx() >= 0
        r = 0.35 * EM
        if rightward:
            path.moveTo(rect.left() + r, rect.top())
            path.lineTo(rect.right(), rect.top())
            path.lineTo(rect.right() + tip, 0)
            path.lineTo(rect.right(), rect.bottom())
            path.lineTo(rect.left() + r, rect.bottom())
            path.quadTo(rect.left(), rect.bottom(), rect.left(), rect.bottom() - r)
            path.lineTo(rect.left(), rect.top() + r)
            path.quadTo(rect.left(), rect.top(), rect.left() + r, rect.top())
        else:
            path.moveTo(rect.right() - r, rect.top())
            path.lineTo(rect.left(), rect.top())
            path.lineTo(rect.left() - tip, 0)
            path.lineTo(rect.left(), rect.bottom())
            path.lineTo(rect.right() - r, rect.bottom())
            path.quadTo(rect.right(), rect.bottom(), rect.right(), rect.bottom() - r)
            path.lineTo(rect.right(), rect.top() + r)
            path.quadTo(rect.right(), rect.top(), rect.right() - r, rect.top())
        path.closeSubpath()
        return path

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        p = self.palette
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        color = p.color("blocked" if self.refused else kind_role(self.kind))
        pen = QPen(
            color, 0.16 * EM, Qt.PenStyle.DashLine if self.refused else Qt.PenStyle.SolidLine
        )
        painter.setPen(pen)
        fill = p.color("surface")
        painter.setBrush(fill)
        painter.drawPath(self._body())
        # A band of the kind's colour down the trailing side, so kind reads at a glance.
        w, h = self._size
        m = metrics(LABEL_SCALE, bold=True)
        x = -w / 2 + 1.1 * EM
        y = -h / 2 + 0.35 * EM
        if self.icon:
            icon_h = m.height()
            draw_icon(painter, self.icon, QRectF(x, y, icon_h, icon_h), p.color("blocked"))
            x += icon_h * 1.1
        for i, line in enumerate(self.label_lines):
            top = y + i * m.lineSpacing()
            draw_text(painter, x, top, line, p.color("text"), scale=LABEL_SCALE, bold=True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        stripe = QRectF(-w / 2 + 0.25 * EM, -h / 2 + 0.3 * EM, 0.35 * EM, h - 0.6 * EM)
        painter.drawRoundedRect(stripe, 0.15 * EM, 0.15 * EM)
        by = y + m.height() + (len(self.label_lines) - 1) * m.lineSpacing() + 0.25 * EM
        for row in self.rows:
            bx = -w / 2 + 1.1 * EM
            for badge in row:
                bx += draw_badge(painter, bx, by, badge, p) + BADGE_GAP
            by += badge_size(row[0])[1] + 0.25 * EM


class CalloutItem(QGraphicsObject):
    """A note pinned to an actor for events that do not travel: a verdict, a cookie
    stored or rejected, a storage write, an attack's outcome."""

    def __init__(self, palette: Palette) -> None:
        super().__init__()
        self.palette = palette
        self.text = ""
        """The note as drawn: its lines joined by newlines."""
        self.lines: list[str] = [""]
        self.icon = ""
        self.role = "muted"
        self._w = 4 * EM
        self._h = 2 * EM
        self.setZValue(11)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def set_callout(self, text: str, icon: str, role: str, max_width: float) -> None:
        self.prepareGeometryChange()
        self.icon, self.role = icon, role
        m = metrics(0.9, bold=True)
        icon_w = m.height() * 1.2 if icon else 0.0
        self.lines = wrap_lines(text, max_width - icon_w - 1.2 * EM, m, CALLOUT_LINES)
        self.text = "\n".join(self.lines)
        self._w = max(m.horizontalAdvance(line) for line in self.lines) + icon_w + 1.2 * EM
        self._h = m.height() + (len(self.lines) - 1) * m.lineSpacing() + 0.7 * EM
        self.update()

    @property
    def size(self) -> tuple[float, float]:
        return self._w, self._h

    def boundingRect(self) -> QRectF:
        return QRectF(-0.2 * EM, -0.2 * EM, self._w + 0.4 * EM, self._h + 0.4 * EM)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        p = self.palette
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        color = p.color(self.role)
        painter.setPen(QPen(color, 0.14 * EM))
        painter.setBrush(p.color("surface"))
        painter.drawRoundedRect(QRectF(0, 0, self._w, self._h), 0.4 * EM, 0.4 * EM)
        m = metrics(0.9, bold=True)
        x = 0.6 * EM
        if self.icon:
            draw_icon(painter, self.icon, QRectF(x, 0.35 * EM, m.height(), m.height()), color)
            x += m.height() * 1.2
        for i, line in enumerate(self.lines):
            top = 0.35 * EM + i * m.lineSpacing()
            draw_text(painter, x, top, line, p.color("text"), scale=0.9, bold=True)
