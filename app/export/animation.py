"""Animated exports of the stage: one frame per event, as WebP, GIF or APNG, for slides
and READMEs.

Qt writes single images only, so the frames are drawn with Qt (the same stage scene the
window shows) and handed to Pillow, which writes the animation. Every frame carries its
event number, so two events that look alike still make two frames (Pillow merges equal
neighbours), and a reader can tell where the clip is.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QTextOption

from authflow.app.export.options import ExportError
from authflow.app.views.palette import Palette
from authflow.app.views.sequence.theme import palette_named

if TYPE_CHECKING:
    from PIL.Image import Image

    from authflow.simulator.trace.trace import Trace

Animated = Literal["webp", "gif", "apng"]
ANIMATED: tuple[Animated, ...] = ("webp", "gif", "apng")
MIN_SIDE, MAX_SIDE = 160, 3840


@dataclass(frozen=True, slots=True)
class AnimationOptions:
    """One animated export as the dialog or the command line asked for it."""

    fmt: Animated = "webp"
    width: int = 1280
    height: int = 720
    seconds_per_step: float = 1.5
    theme: str = "light"
    caption: bool = True
    """The event's narration (and its number) in a band under the stage."""
    first: int = 0
    """First trace index shown."""
    last: int | None = None
    """Last trace index shown; None: the end of the run."""


def frame_range(trace: Trace, options: AnimationOptions) -> range:
    """The trace indexes the animation shows, or ExportError naming the valid range."""
    count = len(trace.events)
    last = count - 1 if options.last is None else options.last
    if count == 0:
        raise ExportError("This run has no events to animate.")
    if not 0 <= options.first <= last < count:
        raise ExportError(
            f"Steps {options.first + 1} to {last + 1} are out of range: "
            f"this run has steps 1 to {count}."
        )
    return range(options.first, last + 1)


def _check(options: AnimationOptions) -> None:
    for side in (options.width, options.height):
        if not MIN_SIDE <= side <= MAX_SIDE:
            raise ExportError(
                f"A {options.width} x {options.height} animation is out of range: "
                f"each side must be {MIN_SIDE} to {MAX_SIDE} pixels."
            )
    if not 0.1 <= options.seconds_per_step <= 60:
        raise ExportError("Seconds per step must be between 0.1 and 60.")


def frames(trace: Trace, options: AnimationOptions) -> Iterator[QImage]:
    """The frames, one per event of the range: the stage after it, and its caption."""
    from authflow.app.export.scenes import stage_scene
    from authflow.app.views.stage.paint import font

    _check(options)
    shown = frame_range(trace, options)
    palette = palette_named(options.theme)
    w, h = options.width, options.height
    band = _caption_height(h) if options.caption else 0
    scene, _ = stage_scene(trace, options.theme, shown.start)
    scene.set_aspect(w / (h - band))
    caption_font = QFont(font())
    caption_font.setPixelSize(max(11, round(h / 34)))
    for index in shown:
        scene.show(index, animate=False)
        image = QImage(w, h, QImage.Format.Format_RGB32)
        image.fill(palette.color("background"))
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
            stage = QRectF(0, 0, w, h - band)
            scene.render(painter, stage, scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
            if band:
                text = f"{index + 1}/{len(trace.events)}  {trace.events[index].explain}"
                _draw_caption(painter, QRectF(0, h - band, w, band), text, caption_font, palette)
            else:
                _draw_number(painter, w, index + 1, caption_font, palette.color("muted"))
        finally:
            painter.end()
        yield image


def _caption_height(height: int) -> int:
    return max(40, round(height * 0.16))


def _draw_caption(
    painter: QPainter, rect: QRectF, text: str, font: QFont, palette: Palette
) -> None:
    painter.fillRect(rect, palette.color("surface"))
    painter.setPen(palette.color("actor"))
    painter.drawLine(rect.topLeft(), rect.topRight())
    painter.setFont(font)
    painter.setPen(palette.color("text"))
    option = QTextOption(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    pad = font.pixelSize() * 0.8
    painter.drawText(rect.adjusted(pad, pad / 2, -pad, -pad / 2), text, option)


def _draw_number(painter: QPainter, width: int, number: int, font: QFont, color: QColor) -> None:
    painter.setFont(font)
    painter.setPen(color)
    size = font.pixelSize()
    rect = QRectF(0, size * 0.3, width - size * 0.6, size * 1.4)
    painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, str(number))


def to_pillow(image: QImage) -> Image:
    """A copy of `image` as a Pillow RGB image."""
    from PIL import Image

    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    data = bytes(rgb.constBits())
    return Image.frombuffer(
        "RGB", (rgb.width(), rgb.height()), data, "raw", "RGB", rgb.bytesPerLine(), 1
    ).copy()


def animate(trace: Trace, options: AnimationOptions) -> bytes:
    """The animation's file bytes."""
    try:
        from PIL import Image
    except ImportError as exc:  # pragma: no cover - Pillow is a dependency
        raise ExportError("Animated export needs Pillow (pip install Pillow).") from exc
    images = [to_pillow(frame) for frame in frames(trace, options)]
    step_ms = round(options.seconds_per_step * 1000)
    # The last frame holds longer, so a looping clip shows where it ends.
    durations = [step_ms] * len(images)
    durations[-1] = step_ms * 3
    out = io.BytesIO()
    first, rest = images[0], images[1:]
    common = {"save_all": True, "append_images": rest, "duration": durations, "loop": 0}
    if options.fmt == "webp":
        # Lossy at high quality: flat diagram colours stay clean and the file stays a
        # fraction of lossless; method 4 is Pillow's default speed/size balance.
        first.save(out, format="WEBP", quality=85, method=4, **common)
    elif options.fmt == "gif":
        palette = first.quantize(colors=255, method=Image.Quantize.MEDIANCUT)
        quantized = [im.quantize(palette=palette, dither=Image.Dither.NONE) for im in images]
        common["append_images"] = quantized[1:]
        quantized[0].save(out, format="GIF", optimize=False, disposal=1, **common)
    elif options.fmt == "apng":
        first.save(out, format="PNG", default_image=False, **common)
    else:  # pragma: no cover - Literal
        raise ExportError(f"Unknown animation format {options.fmt!r}.")
    return out.getvalue()
