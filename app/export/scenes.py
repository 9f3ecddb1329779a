"""The scenes an export draws: the stage at one event, or the whole sequence diagram.

Both are built afresh for the export, in the export's own theme, whatever the screen
shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF

from authflow.app.export.options import ExportError
from authflow.app.views.sequence.scene import SequenceScene
from authflow.app.views.sequence.theme import DiagramTheme, palette_named

if TYPE_CHECKING:
    from authflow.app.views.stage.scene import StageScene
    from authflow.simulator.trace.trace import Trace


def sequence_scene(trace: Trace, theme: DiagramTheme, step: int | None = None) -> SequenceScene:
    return SequenceScene(trace, theme, current=step)


def stage_scene(trace: Trace, theme_name: str, step: int | None) -> tuple[StageScene, QRectF]:
    """The stage showing `trace` at event `step` (default: the last), and the rect to export.

    Its items paint afresh instead of from their device caches, which would reach an
    SVG or PDF painter as bitmaps."""
    try:
        from authflow.app.views.stage.scene import StageScene
    except ImportError as exc:  # pragma: no cover - the stage ships with the app
        raise ExportError("The stage view is not available in this build.") from exc
    scene = StageScene(palette_named(theme_name), duration_ms=0)
    scene.set_item_caching(False)
    scene.set_trace(trace)
    index = len(trace.events) - 1 if step is None else step
    scene.show(index, animate=False)
    scene.stop()
    return scene, scene.sceneRect()
