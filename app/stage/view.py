"""The stage's view: fits the whole scene to the widget, whatever its size.

The scene's width follows the view's aspect ratio (see layout.py), so fitting never
letterboxes: a wider window spreads the actors, a taller one makes everything larger.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QResizeEvent
from PySide6.QtWidgets import QFrame, QGraphicsView, QWidget

from app.stage.scene import StageScene


class StageView(QGraphicsView):
    """A QGraphicsView that always shows the whole stage."""

    def __init__(self, scene: StageScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.stage = scene
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing
            | QPainter.RenderHint.TextAntialiasing
            | QPainter.RenderHint.SmoothPixmapTransform
        )
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(320, 180)
        self.setAccessibleName("Stage")

    def fit(self) -> None:
        w, h = self.viewport().width(), self.viewport().height()
        if w <= 0 or h <= 0:
            return
        self.stage.set_aspect(w / h)
        self.fitInView(self.stage.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    @property
    def scale_factor(self) -> float:
        """Screen pixels per scene unit (how large the stage's text currently is)."""
        return self.transform().m11()
