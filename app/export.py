"""Exports for documentation: PNG and SVG of a diagram, Mermaid text, animations, handouts.

Every file is written atomically through QSaveFile: the bytes are produced in memory
first, and a failure (unwritable folder, full disk) raises `ExportError` with a clear
message and leaves neither a partial file nor a temporary one behind. An export picks
its own theme, independent of the screen's.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QBuffer, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontInfo,
    QFontMetricsF,
    QImage,
    QPainter,
)
from PySide6.QtWidgets import (
    QGraphicsScene,
)

from app import savefile
from app.export_actions import ExportActions as ExportActions  # the window's actions, kept light
from app.views.sequence.scene import SequenceScene
from app.views.sequence.theme import DiagramTheme, palette_named, theme_named

if TYPE_CHECKING:
    from app.views.stage.scene import StageScene
    from simulator.trace.trace import Trace

View = Literal["sequence", "stage"]
Format = Literal["png", "svg", "mermaid", "pdf", "har", "webp", "gif", "apng"]
ANIMATED: tuple[Format, ...] = ("webp", "gif", "apng")
SCALES: tuple[float, ...] = (1.0, 2.0, 3.0)
MAX_PIXELS = 400_000_000
"""Refuse PNGs beyond this many pixels (a 100,000-event diagram at 3x) instead of
failing inside QImage."""


class ExportError(Exception):
    """An export that could not be made; the message is meant for the user."""


# -- atomic writing ---------------------------------------------------------------------
def write_atomically(path: str | Path, data: bytes) -> None:
    """Write `data` to `path` all at once or not at all (app.savefile checks every byte)."""
    try:
        savefile.save_bytes(path, data)
    except savefile.SaveError as exc:
        raise ExportError(str(exc)) from None


_BY_SUFFIX: dict[str, Format] = {
    ".png": "png",
    ".svg": "svg",
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
    ".md": "mermaid",
    ".pdf": "pdf",
    ".har": "har",
    ".webp": "webp",
    ".gif": "gif",
    ".apng": "apng",
}


def format_for(path: str | Path, animate: bool = False) -> Format:
    """The export format a file name asks for, by its extension; with `animate` a .png
    is an animated PNG."""
    fmt = _BY_SUFFIX.get(Path(path).suffix.lower())
    if fmt is None:
        raise ExportError(
            f"Cannot tell the format of {path}: use .png, .svg, .mmd, .pdf, .har, "
            ".webp, .gif or .apng."
        )
    if animate and fmt == "png":
        return "apng"
    if animate and fmt not in ANIMATED:
        raise ExportError(f"{Path(path).name}: an animation is written as .webp, .gif or .png.")
    return fmt


# -- rendering --------------------------------------------------------------------------
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


def mermaid_text(trace: Trace) -> str:
    """The trace as Mermaid `sequenceDiagram` text, from the simulator's own generator."""
    try:
        from simulator.formats.text import to_mermaid
    except ImportError as exc:
        raise ExportError("Mermaid export is not available in this build.") from exc
    text = to_mermaid(trace)
    return text if text.endswith("\n") else text + "\n"


# -- what to export -------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ExportOptions:
    """One export as the dialog or the command line asked for it."""

    view: View = "sequence"
    theme: str = "light"
    scale: float = 1.0
    transparent: bool = False
    step: int | None = None
    """Trace index to show (stage) or highlight (sequence); None: the last / none."""
    animate: bool = False
    """One frame per event (WebP, GIF or APNG) instead of one picture."""
    neighbours: int | None = None
    """Sequence diagram only: keep just `step` and this many rows either side."""
    widescreen: bool = False
    """Pad the picture to a 16:9 page (slides)."""
    first: int = 0
    last: int | None = None
    """Animations: the trace indexes of the first and last frame (None: the end)."""
    size: tuple[int, int] = (1280, 720)
    """Animations: frame size in pixels."""
    seconds_per_step: float = 1.5
    caption: bool = True
    """Animations: the narration under the stage."""
    per: Literal["action", "event"] = "action"
    """Handout PDF: one page per user action, or per event."""
    summary: str = ""
    """Handout PDF: the lesson's summary for its title page."""


def lesson_summary(trace: Trace) -> str:
    """The summary line of the lesson `trace` ran, or "" (a custom or missing lesson)."""
    import simulator

    try:
        return simulator.load_scenario(trace.scenario).summary
    except (simulator.ScenarioError, OSError):
        return ""


def sequence_scene(trace: Trace, theme: DiagramTheme, step: int | None = None) -> SequenceScene:
    return SequenceScene(trace, theme, current=step)


def stage_scene(trace: Trace, theme_name: str, step: int | None) -> tuple[StageScene, QRectF]:
    """The stage showing `trace` at event `step` (default: the last), and the rect to export.

    Its items paint afresh instead of from their device caches, which would reach an
    SVG or PDF painter as bitmaps."""
    try:
        from app.views.stage.scene import StageScene
    except ImportError as exc:  # pragma: no cover - the stage ships with the app
        raise ExportError("The stage view is not available in this build.") from exc
    scene = StageScene(palette_named(theme_name), duration_ms=0)
    scene.set_item_caching(False)
    scene.set_trace(trace)
    index = len(trace.events) - 1 if step is None else step
    scene.show(index, animate=False)
    scene.stop()
    return scene, scene.sceneRect()


def export(trace: Trace, path: str | Path, options: ExportOptions) -> None:
    """Render `trace` as `options` say and write it to `path` (format by extension)."""
    fmt = format_for(path, options.animate)
    data = export_bytes(trace, fmt, options)
    write_atomically(path, data)


def export_bytes(trace: Trace, fmt: Format, options: ExportOptions) -> bytes:
    if fmt == "mermaid":
        return mermaid_text(trace).encode("utf-8")
    if fmt == "har":
        from simulator.formats.har import to_har_text

        return to_har_text(trace).encode("utf-8")
    if fmt == "pdf":
        from app.export_pdf import HandoutOptions, handout

        summary = options.summary or lesson_summary(trace)
        return handout(trace, HandoutOptions(options.per, options.theme, summary))
    if fmt in ANIMATED:
        from app.export_animation import AnimationOptions, animate

        width, height = options.size
        animation = AnimationOptions(
            fmt,  # type: ignore[arg-type]  # narrowed by ANIMATED
            width,
            height,
            options.seconds_per_step,
            options.theme,
            options.caption,
            options.first,
            options.last,
        )
        return animate(trace, animation)
    theme = theme_named(options.theme)
    scene: QGraphicsScene
    if options.view == "stage":
        scene, rect = stage_scene(trace, options.theme, options.step)
    elif options.neighbours is not None:
        from app.export_slides import neighbours_scene

        current = len(trace.events) - 1 if options.step is None else options.step
        scene, rect = neighbours_scene(trace, theme, current, options.neighbours)
    else:
        seq = sequence_scene(trace, theme, options.step)
        scene, rect = seq, seq.diagram_rect()
    if options.widescreen:
        from app.export_slides import widescreen

        rect = widescreen(rect)
    background = None if options.transparent else theme.color("background")
    if fmt == "png":
        return render_png(scene, rect, options.scale, background)
    title = f"{trace.title or trace.scenario} ({trace.mode})"
    return render_svg(scene, rect, background, title)
