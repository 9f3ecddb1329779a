"""Drawing helpers shared by the stage items: fonts in ems, elided text, icons, badges.

Icons are drawn with QPainter paths rather than taken from a font, so a tick, a cross
or a no-entry sign looks the same on every machine, at every scale, in every theme.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGuiApplication,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QTransform,
)

from authflow.app.views.palette import Palette
from authflow.app.views.stage.layout import EM, SMALLEST


@cache
def font(scale: float = 1.0, bold: bool = False, mono: bool = False) -> QFont:
    """The stage font at `scale` ems: the system's family, sized in scene units."""
    if mono:
        f = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    else:
        f = QFont(QGuiApplication.font())
    f.setPixelSize(max(1, round(EM * scale)))
    f.setBold(bold)
    # Hinting snaps glyphs to the unscaled pixel grid; the view scales the scene, so
    # unhinted outlines keep text widths proportional at every zoom.
    f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    # No ligatures: in a PDF handout "ﬁ" is one glyph, and a search for "profile" misses it.
    f.setFeature(QFont.Tag("liga"), 0)
    return f


@dataclass(slots=True)
class TextRecord:
    """Where the stage's text went while a `recording()` was open (the geometry test
    reads it: overlaps, text leaving its card, the smallest text)."""

    texts: list[tuple[QRectF, QTransform, float, str]] = field(default_factory=list)
    """(box in the painter's coordinates, the painter's world transform, font pixel
    size in the world's units, text)."""
    cards: list[QPolygonF] = field(default_factory=list)
    """Boxes drawn inside an actor that text must stay inside or clear of."""


_recording: list[TextRecord] = []


@contextmanager
def recording() -> Iterator[TextRecord]:
    """Collect every line of text and every card drawn until the block ends (text is
    measured and recorded, not drawn)."""
    record = TextRecord()
    _recording.append(record)
    try:
        yield record
    finally:
        _recording.remove(record)


def note_text(painter: QPainter, rect: QRectF, pixel_size: float, text: str) -> None:
    """Tell an open `recording()` that `text` was drawn in `rect` (painter coordinates)."""
    if _recording and text:
        world = painter.worldTransform()
        scale = world.map(QLineF(0, 0, 0, 1)).length()
        _recording[-1].texts.append((QRectF(rect), QTransform(world), pixel_size * scale, text))


def note_card(painter: QPainter, rect: QRectF) -> None:
    """Tell an open `recording()` that a box that holds text was drawn at `rect`."""
    if _recording:
        _recording[-1].cards.append(painter.worldTransform().map(QPolygonF(rect)))


@cache
def metrics(scale: float = 1.0, bold: bool = False, mono: bool = False) -> QFontMetricsF:
    return QFontMetricsF(font(scale, bold, mono))


def line_height(scale: float = 1.0) -> float:
    """The height of a line at `scale` that may be set in the proportional or the
    monospaced font (a cookie row): the taller of the two, so rows never overlap."""
    return max(metrics(scale).height(), metrics(scale, mono=True).height())


def elide(
    text: str, width: float, scale: float = 1.0, bold: bool = False, mono: bool = False
) -> str:
    return metrics(scale, bold, mono).elidedText(text, Qt.TextElideMode.ElideRight, max(0.0, width))


def text_width(text: str, scale: float = 1.0, bold: bool = False, mono: bool = False) -> float:
    return metrics(scale, bold, mono).horizontalAdvance(text)


def draw_text(
    painter: QPainter,
    x: float,
    y: float,
    text: str,
    color: QColor,
    *,
    width: float | None = None,
    scale: float = 1.0,
    bold: bool = False,
    mono: bool = False,
) -> float:
    """Draw one line with its top-left at (x, y), elided to `width`; returns its height."""
    m = metrics(scale, bold, mono)
    if width is not None:
        text = m.elidedText(text, Qt.TextElideMode.ElideRight, max(0.0, width))
    if _recording:
        # Measured, not drawn: the geometry test walks thousands of layouts.
        note_text(painter, QRectF(x, y, m.horizontalAdvance(text), m.height()), EM * scale, text)
        return m.height()
    painter.setFont(font(scale, bold, mono))
    painter.setPen(color)
    painter.drawText(QPointF(x, y + m.ascent()), text)
    return m.height()


def draw_icon(painter: QPainter, icon: str, rect: QRectF, color: QColor) -> None:
    """Draw `icon` ("check", "cross", "no_entry", "warning", "lock", "dot") into `rect`."""
    painter.save()
    side = min(rect.width(), rect.height())
    r = QRectF(0, 0, side, side)
    r.moveCenter(rect.center())
    pen = QPen(color, max(1.0, side * 0.14))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    x, y, s = r.x(), r.y(), side
    if icon == "check":
        path = QPainterPath(QPointF(x + 0.15 * s, y + 0.55 * s))
        path.lineTo(x + 0.42 * s, y + 0.8 * s)
        path.lineTo(x + 0.87 * s, y + 0.22 * s)
        painter.drawPath(path)
    elif icon == "cross":
        painter.drawLine(QPointF(x + 0.2 * s, y + 0.2 * s), QPointF(x + 0.8 * s, y + 0.8 * s))
        painter.drawLine(QPointF(x + 0.8 * s, y + 0.2 * s), QPointF(x + 0.2 * s, y + 0.8 * s))
    elif icon == "no_entry":
        inner = r.adjusted(0.1 * s, 0.1 * s, -0.1 * s, -0.1 * s)
        painter.drawEllipse(inner)
        painter.drawLine(QPointF(x + 0.24 * s, y + 0.76 * s), QPointF(x + 0.76 * s, y + 0.24 * s))
    elif icon == "warning":
        path = QPainterPath(QPointF(x + 0.5 * s, y + 0.08 * s))
        path.lineTo(x + 0.95 * s, y + 0.9 * s)
        path.lineTo(x + 0.05 * s, y + 0.9 * s)
        path.closeSubpath()
        painter.drawPath(path)
        painter.drawLine(QPointF(x + 0.5 * s, y + 0.38 * s), QPointF(x + 0.5 * s, y + 0.62 * s))
        painter.drawPoint(QPointF(x + 0.5 * s, y + 0.77 * s))
    elif icon == "lock":
        body = QRectF(x + 0.18 * s, y + 0.45 * s, 0.64 * s, 0.45 * s)
        painter.setBrush(QBrush(color))
        painter.drawRoundedRect(body, 0.06 * s, 0.06 * s)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawArc(QRectF(x + 0.3 * s, y + 0.12 * s, 0.4 * s, 0.6 * s), 0, 180 * 16)
    else:
        painter.setBrush(QBrush(color))
        painter.drawEllipse(r.adjusted(0.3 * s, 0.3 * s, -0.3 * s, -0.3 * s))
    painter.restore()


@dataclass(frozen=True, slots=True)
class Badge:
    """A credential (or result) a packet carries, drawn as a pill on the packet."""

    text: str
    role: str
    """Palette role of the pill's colour."""
    refused: bool = False
    """Rejected or left out: drawn dashed, struck through, with a no-entry sign."""
    short: str = ""
    """What to write instead when `text` is too wide for its packet ("cross-site")."""


BADGE_SCALE = SMALLEST


def badge_size(badge: Badge) -> tuple[float, float]:
    m = metrics(BADGE_SCALE, bold=True)
    icon = m.height() * 0.9 if badge.refused else 0.0
    return m.horizontalAdvance(badge.text) + 0.9 * EM + icon, m.height() + 0.3 * EM


def fit_badge(badge: Badge, width: float) -> Badge:
    """`badge` no wider than `width`: its short form, else its text elided."""
    if badge_size(badge)[0] <= width:
        return badge
    m = metrics(BADGE_SCALE, bold=True)
    room = width - (badge_size(replace(badge, text=""))[0])
    if badge.short and m.horizontalAdvance(badge.short) <= room:
        return replace(badge, text=badge.short)
    return replace(badge, text=m.elidedText(badge.text, Qt.TextElideMode.ElideRight, room))


def draw_badge(painter: QPainter, x: float, y: float, badge: Badge, palette: Palette) -> float:
    """Draw `badge` with its top-left at (x, y); returns its width."""
    w, h = badge_size(badge)
    rect = QRectF(x, y, w, h)
    color = palette.color("blocked" if badge.refused else badge.role)
    painter.save()
    if badge.refused:
        pen = QPen(color, 0.12 * EM, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(palette.color("surface"))
    else:
        painter.setPen(QPen(color.darker(130), 0.06 * EM))
        painter.setBrush(color)
    painter.drawRoundedRect(rect, h / 2, h / 2)
    tx = x + 0.45 * EM
    if badge.refused:
        icon_rect = QRectF(tx - 0.1 * EM, y, h * 0.9, h)
        draw_icon(painter, "no_entry", icon_rect, color)
        tx += h * 0.9
    text_color = color if badge.refused else readable_on(color)
    m = metrics(BADGE_SCALE, bold=True)
    draw_text(painter, tx, y + 0.15 * EM, badge.text, text_color, scale=BADGE_SCALE, bold=True)
    if badge.refused:
        painter.setPen(QPen(color, 0.08 * EM))
        mid = y + h / 2
        painter.drawLine(QPointF(tx, mid), QPointF(tx + m.horizontalAdvance(badge.text), mid))
    painter.restore()
    return w


def readable_on(background: QColor) -> QColor:
    """Black or white, whichever reads better on `background`."""
    lum = 0.2126 * background.redF() + 0.7152 * background.greenF() + 0.0722 * background.blueF()
    return QColor("#000000") if lum > 0.45 else QColor("#FFFFFF")
