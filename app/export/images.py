"""A scene as PNG or SVG bytes: the scale recorded as resolution, text kept as text in
the face the layout measured, and pictures too large for memory refused in words."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QBuffer, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontInfo, QFontMetricsF, QImage, QPainter
from PySide6.QtWidgets import QGraphicsScene

from authflow.app.export.options import ExportError

MAX_PIXELS = 400_000_000
"""Refuse PNGs beyond this many pixels (a 100,000-event diagram at 3x) instead of
failing inside QImage."""


@contextmanager
def _background(scene: QGraphicsScene, brush: QBrush) -> Iterator[None]:
    old = scene.backgroundBrush()
    scene.setBackgroundBrush(brush)
    try:
        yield
    finally:
        scene.setBackgroundBrush(old)


def render_png(
    scene: QGraphicsScene, rect: QRectF, scale: float = 1.0, background: QColor | None = None
) -> bytes:
    """PNG bytes of `rect` of `scene` at `scale`; `background` None is transparent."""
    if not 0.1 <= scale <= 8.0:
        raise ExportError(f"Scale {scale:g} is out of range (0.1 to 8).")
    width, height = math.ceil(rect.width() * scale), math.ceil(rect.height() * scale)
    if width * height > MAX_PIXELS or width <= 0 or height <= 0:
        raise ExportError(
            f"A {width} x {height} image is too large to export; choose a smaller scale or SVG."
        )
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    if image.isNull():
        raise ExportError(f"Not enough memory for a {width} x {height} image.")
    image.fill(background if background is not None else QColor(0, 0, 0, 0))
    # Record the scale as resolution, so documentation tools show a 2x image at 1x size.
    dots_per_meter = round(96 / 0.0254 * scale)
    image.setDotsPerMeterX(dots_per_meter)
    image.setDotsPerMeterY(dots_per_meter)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.scale(scale, scale)
        with _background(scene, QBrush(Qt.BrushStyle.NoBrush)):
            target = QRectF(0, 0, rect.width(), rect.height())
            scene.render(painter, target, rect, Qt.AspectRatioMode.IgnoreAspectRatio)
    finally:
        painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # The stubs say bytes for the format; PySide6 itself only accepts str.
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise ExportError("Could not encode the PNG image.")
    return bytes(buffer.data().data())


def render_svg(
    scene: QGraphicsScene, rect: QRectF, background: QColor | None = None, title: str = ""
) -> bytes:
    """SVG bytes of `rect` of `scene`; text stays text (QSvgGenerator writes <text>)."""
    from PySide6.QtSvg import QSvgGenerator

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    size = QSize(math.ceil(rect.width()), math.ceil(rect.height()))
    generator.setSize(size)
    generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
    generator.setTitle(title or "Authflow diagram")
    generator.setDescription("Exported from Authflow")
    painter = QPainter(generator)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if background is not None:
            painter.fillRect(QRectF(0, 0, size.width(), size.height()), background)
        with _background(scene, QBrush(Qt.BrushStyle.NoBrush)):
            target = QRectF(0, 0, rect.width(), rect.height())
            scene.render(painter, target, rect, Qt.AspectRatioMode.IgnoreAspectRatio)
    finally:
        painter.end()
    return _tidy_svg(bytes(buffer.data().data()), size)


def _css_family(written: str) -> str:
    """The CSS font-family for a family QSvgGenerator wrote: the face the layout measured
    (what Qt resolved the name to) first, then only the matching generic family.

    Naming the measured face keeps other renderers' text as wide as ours. The generic
    family must come last: rsvg-convert resolves "monospace, Verdana, ..." through the
    whole list and lands on a proportional face, so cookie values, tokens and URLs lost
    their columns. Qt's own "Sans Serif" and "Monospace" are not CSS names."""
    names = [n.strip().strip("'\"") for n in written.split(",") if n.strip()]
    font = QFont(names[0] if names else "")
    measured = QFontInfo(font).family()
    # QFontInfo.fixedPitch() says False for some monospaced faces (Noto Sans Mono): ask
    # the widths instead.
    metrics = QFontMetricsF(font)
    fixed = metrics.horizontalAdvance("i" * 8) == metrics.horizontalAdvance("W" * 8)
    generic = "monospace" if fixed else "sans-serif"
    return f"'{measured}', {generic}" if measured else generic


def _tidy_svg(data: bytes, size: QSize) -> bytes:
    """Pixel width/height (QSvgGenerator writes millimetres) and CSS font families."""
    text = data.decode("utf-8")
    text = re.sub(
        r'<svg width="[^"]*" height="[^"]*"',
        f'<svg width="{size.width()}" height="{size.height()}"',
        text,
        count=1,
    )
    families: dict[str, str] = {}

    def family(match: re.Match[str]) -> str:
        written = match.group(1)
        if written not in families:
            families[written] = _css_family(written)
        return f'font-family="{families[written]}"'

    text = re.sub(r'font-family="([^"]*)"', family, text)
    return text.encode("utf-8")
