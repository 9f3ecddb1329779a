"""An export written to a file: any format, chosen by the file's extension, produced in
memory first and written atomically.

A failure (unwritable folder, full disk) raises `ExportError` with a clear message and
leaves neither a partial file nor a temporary one behind (authflow.app.savefile). An export picks
its own theme, independent of the screen's.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from authflow.app import savefile
from authflow.app.export.images import render_png, render_svg
from authflow.app.export.options import ANIMATED, ExportError, ExportOptions, Format, format_for
from authflow.app.export.scenes import sequence_scene, stage_scene
from authflow.app.views.sequence.theme import theme_named

if TYPE_CHECKING:
    from PySide6.QtWidgets import QGraphicsScene

    from authflow.simulator.trace.trace import Trace


def write_atomically(path: str | Path, data: bytes) -> None:
    """Write `data` to `path` all at once or not at all (app.savefile checks every byte)."""
    try:
        savefile.save_bytes(path, data)
    except savefile.SaveError as exc:
        raise ExportError(str(exc)) from None


def mermaid_text(trace: Trace) -> str:
    """The trace as Mermaid `sequenceDiagram` text, from the simulator's own generator."""
    try:
        from authflow.simulator.formats.text import to_mermaid
    except ImportError as exc:
        raise ExportError("Mermaid export is not available in this build.") from exc
    text = to_mermaid(trace)
    return text if text.endswith("\n") else text + "\n"


def lesson_summary(trace: Trace) -> str:
    """The summary line of the lesson `trace` ran, or "" (a custom or missing lesson)."""
    from authflow import simulator

    try:
        return simulator.load_scenario(trace.scenario).summary
    except (simulator.ScenarioError, OSError):
        return ""


def export(trace: Trace, path: str | Path, options: ExportOptions) -> None:
    """Render `trace` as `options` say and write it to `path` (format by extension)."""
    fmt = format_for(path, options.animate)
    data = export_bytes(trace, fmt, options)
    write_atomically(path, data)


def export_bytes(trace: Trace, fmt: Format, options: ExportOptions) -> bytes:
    if fmt == "mermaid":
        return mermaid_text(trace).encode("utf-8")
    if fmt == "har":
        from authflow.simulator.formats.har import to_har_text

        return to_har_text(trace).encode("utf-8")
    if fmt == "pdf":
        from authflow.app.export.handout import HandoutOptions, handout

        summary = options.summary or lesson_summary(trace)
        return handout(trace, HandoutOptions(options.per, options.theme, summary))
    if fmt in ANIMATED:
        from authflow.app.export.animation import AnimationOptions, animate

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
        from authflow.app.export.slides import neighbours_scene

        current = len(trace.events) - 1 if options.step is None else options.step
        scene, rect = neighbours_scene(trace, theme, current, options.neighbours)
    else:
        seq = sequence_scene(trace, theme, options.step)
        scene, rect = seq, seq.diagram_rect()
    if options.widescreen:
        from authflow.app.export.slides import widescreen

        rect = widescreen(rect)
    background = None if options.transparent else theme.color("background")
    if fmt == "png":
        return render_png(scene, rect, options.scale, background)
    title = f"{trace.title or trace.scenario} ({trace.mode})"
    return render_svg(scene, rect, background, title)
