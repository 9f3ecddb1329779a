"""Exports for documentation: PNG and SVG of a diagram, Mermaid text, curl / raw HTTP.

Every file is written atomically through QSaveFile: the bytes are produced in memory
first, and a failure (unwritable folder, full disk) raises `ExportError` with a clear
message and leaves neither a partial file nor a temporary one behind. An export picks
its own theme, independent of the screen's.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSaveFile, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QImage, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGraphicsScene,
    QWidget,
)

from app.export_actions import ExportActions as ExportActions  # the window's actions, kept light
from app.sequence.scene import SequenceScene
from app.sequence.theme import THEME_NAMES, DiagramTheme, palette_named, theme_named

if TYPE_CHECKING:
    from simulator.trace import Event, Trace

View = Literal["sequence", "stage"]
Format = Literal["png", "svg", "mermaid"]
SCALES: tuple[float, ...] = (1.0, 2.0, 3.0)
MAX_PIXELS = 400_000_000
"""Refuse PNGs beyond this many pixels (a 100,000-event diagram at 3x) instead of
failing inside QImage."""


class ExportError(Exception):
    """An export that could not be made; the message is meant for the user."""


# -- atomic writing ---------------------------------------------------------------------
def write_atomically(path: str | Path, data: bytes) -> None:
    """Write `data` to `path` all at once or not at all."""
    target = str(path)
    save = QSaveFile(target)
    if not save.open(QIODevice.OpenModeFlag.WriteOnly):
        raise ExportError(f"Cannot write {target}: {save.errorString()}. Nothing was saved.")
    written = save.write(QByteArray(data))
    if written != len(data):
        reason = save.errorString()
        save.cancelWriting()
        save.commit()  # with writing cancelled this only removes the temporary file
        raise ExportError(f"Could not write {target}: {reason}. Nothing was saved.")
    if not save.commit():
        raise ExportError(f"Could not save {target}: {save.errorString()}. Nothing was saved.")


def format_for(path: str | Path) -> Format:
    """The export format a file name asks for, by its extension."""
    suffix = Path(path).suffix.lower()
    if suffix == ".png":
        return "png"
    if suffix == ".svg":
        return "svg"
    if suffix in (".mmd", ".mermaid", ".md"):
        return "mermaid"
    raise ExportError(f"Cannot tell the format of {path}: use .png, .svg or .mmd.")


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


_FONT_FALLBACKS = "Verdana, Arial, sans-serif"
"""Appended to every font-family: DejaVu Sans (what the layout measured) is not on every
reader's machine, Verdana's widths are closest, and Qt's generic "Sans Serif" is not a
CSS family (browsers would fall back to a serif face)."""


def _tidy_svg(data: bytes, size: QSize) -> bytes:
    """Pixel width/height (QSvgGenerator writes millimetres) and CSS font fallbacks."""
    text = data.decode("utf-8")
    text = re.sub(
        r'<svg width="[^"]*" height="[^"]*"',
        f'<svg width="{size.width()}" height="{size.height()}"',
        text,
        count=1,
    )

    def family(match: re.Match[str]) -> str:
        names = [n.strip() for n in match.group(1).split(",") if n.strip() != "Sans Serif"]
        return f'font-family="{", ".join([*names, _FONT_FALLBACKS])}"'

    text = re.sub(r'font-family="([^"]*)"', family, text)
    return text.encode("utf-8")


def mermaid_text(trace: Trace) -> str:
    """The trace as Mermaid `sequenceDiagram` text, from the simulator's own generator."""
    try:
        from simulator import trace_format
    except ImportError as exc:
        raise ExportError("Mermaid export is not available in this build.") from exc
    text: str = trace_format.to_mermaid(trace)
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


def sequence_scene(trace: Trace, theme: DiagramTheme, step: int | None = None) -> SequenceScene:
    return SequenceScene(trace, theme, current=step)


def stage_scene(trace: Trace, theme_name: str, step: int | None) -> tuple[QGraphicsScene, QRectF]:
    """The stage showing `trace` at event `step` (default: the last), and the rect to export."""
    try:
        from app.stage.scene import StageScene
    except ImportError as exc:  # pragma: no cover - the stage ships with the app
        raise ExportError("The stage view is not available in this build.") from exc
    scene = StageScene(palette_named(theme_name), duration_ms=0)
    scene.set_trace(trace)
    index = len(trace.events) - 1 if step is None else step
    scene.show(index, animate=False)
    scene.stop()
    return scene, scene.sceneRect()


def export(trace: Trace, path: str | Path, options: ExportOptions) -> None:
    """Render `trace` as `options` say and write it to `path` (format by extension)."""
    fmt = format_for(path)
    data = export_bytes(trace, fmt, options)
    write_atomically(path, data)


def export_bytes(trace: Trace, fmt: Format, options: ExportOptions) -> bytes:
    if fmt == "mermaid":
        return mermaid_text(trace).encode("utf-8")
    theme = theme_named(options.theme)
    if options.view == "stage":
        scene, rect = stage_scene(trace, options.theme, options.step)
    else:
        seq = sequence_scene(trace, theme, options.step)
        scene, rect = seq, seq.diagram_rect()
    background = None if options.transparent else theme.color("background")
    if fmt == "png":
        return render_png(scene, rect, options.scale, background)
    title = f"{trace.title or trace.scenario} ({trace.mode})"
    return render_svg(scene, rect, background, title)


# -- clipboard ------------------------------------------------------------------------
def request_event(trace: Trace | None, index: int) -> Event | None:
    """The request the event at `index` belongs to (simulator.exchanges' rule)."""
    if trace is None or not trace.events:
        return None
    from simulator.exchanges import request_for

    return request_for(trace.events, max(0, min(index, len(trace.events) - 1)))


def request_text_of(detail: Mapping[str, Any], form: Literal["curl", "raw"]) -> str:
    """A request event's detail as a curl command or raw HTTP/1.1 (simulator.http)."""
    from simulator import http

    plain = dict(detail)
    return http.curl_command(plain) if form == "curl" else http.raw_request(plain)


def request_text(trace: Trace | None, index: int, form: Literal["curl", "raw"]) -> str:
    event = request_event(trace, index)
    if event is None:
        raise ExportError("There is no request at or before this step to copy.")
    return request_text_of(event.detail, form)


def copy_request(trace: Trace | None, index: int, form: Literal["curl", "raw"]) -> str:
    """Put the request of step `index` on the clipboard as curl or raw HTTP; returns it."""
    text = request_text(trace, index, form)
    QGuiApplication.clipboard().setText(text)
    return text


# -- the dialog and the actions ---------------------------------------------------------
class ExportDialog(QDialog):
    """Asks what to export and how; `options()` and `file_format()` give the answer."""

    def __init__(self, parent: QWidget | None = None, default_theme: str = "light") -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.view_combo = QComboBox(self)
        self.view_combo.addItem("Sequence diagram", "sequence")
        self.view_combo.addItem("Stage", "stage")
        self.format_combo = QComboBox(self)
        self.format_combo.addItem("PNG image", "png")
        self.format_combo.addItem("SVG (text stays text)", "svg")
        self.format_combo.addItem("Mermaid sequenceDiagram", "mermaid")
        self.scale_combo = QComboBox(self)
        for scale in SCALES:
            self.scale_combo.addItem(f"{scale:g}x", scale)
        self.scale_combo.setCurrentIndex(1)
        self.background_combo = QComboBox(self)
        self.background_combo.addItem("Theme background", False)
        self.background_combo.addItem("Transparent", True)
        self.theme_combo = QComboBox(self)
        for name in THEME_NAMES:
            self.theme_combo.addItem(name.capitalize(), name)
        self.theme_combo.setCurrentIndex(max(0, self.theme_combo.findData(default_theme)))
        form = QFormLayout(self)
        form.addRow("What", self.view_combo)
        form.addRow("Format", self.format_combo)
        form.addRow("Scale", self.scale_combo)
        form.addRow("Background", self.background_combo)
        form.addRow("Theme", self.theme_combo)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.format_combo.currentIndexChanged.connect(self._update_enabled)
        self._update_enabled()

    def _update_enabled(self) -> None:
        fmt = self.file_format()
        self.scale_combo.setEnabled(fmt == "png")
        self.background_combo.setEnabled(fmt != "mermaid")
        self.theme_combo.setEnabled(fmt != "mermaid")
        self.view_combo.setEnabled(fmt != "mermaid")

    def file_format(self) -> Format:
        fmt: Format = self.format_combo.currentData()
        return fmt

    def options(self, step: int | None = None) -> ExportOptions:
        return ExportOptions(
            view=self.view_combo.currentData(),
            theme=self.theme_combo.currentData(),
            scale=float(self.scale_combo.currentData()),
            transparent=bool(self.background_combo.currentData()),
            step=step,
        )
