"""The stage's view: fits the whole scene to the widget, whatever its size.

The scene's width follows the view's aspect ratio (see layout.py), so fitting never
letterboxes: a wider window spreads the actors, a taller one makes everything larger.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPixmapCache, QResizeEvent
from PySide6.QtWidgets import QFrame, QGraphicsView, QWidget

from authflow.app.views.stage.scene import StageScene


class StageView(QGraphicsView):
    """A QGraphicsView that always shows the whole stage."""

    def __init__(self, scene: StageScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.stage = scene
        # No SmoothPixmapTransform: the stage draws no scaled pixmaps, and the hint alone
        # turns off the raster engine's fast path for the unscaled ones it blits every
        # frame (the cached background and the packets' cached pixmaps then go through
        # the generic span blender instead of memcpy and SSE blending; 3x slower).
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        # The actors and arrows are drawn in the background (StageScene.drawBackground):
        # cached, an animation frame costs one blit plus the packet.
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        # drawBackground covers every pixel (it fills the exposed rect first), so the
        # viewport need not clear itself: one full-frame pass fewer (4K: 15 -> 8 ms).
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.viewport().setAutoFillBackground(False)
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
        # Packets cache their pixmaps at device resolution; at 4K a hundred of them
        # outgrow QPixmapCache's default 10 MB and would be redrawn every frame.
        needed_kb = self.viewport().width() * self.viewport().height() * 4 * 3 // 1024
        if QPixmapCache.cacheLimit() < needed_kb:
            QPixmapCache.setCacheLimit(needed_kb)

    @property
    def scale_factor(self) -> float:
        """Screen pixels per scene unit (how large the stage's text currently is)."""
        return self.transform().m11()
