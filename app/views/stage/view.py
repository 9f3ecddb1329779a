"""The stage's view: fits the whole scene to the widget, never below a text floor.

The scene's width follows the view's aspect ratio (see layout.py), so fitting never
letterboxes: a wider window spreads the actors, a taller one makes everything larger.
The stage's smallest text must stay at least `text_floor` pixels high on screen
(DESIGN.md section 6): when the regular actors would shrink it below that, the stage
reflows into compact ones, and the view's minimum size is the compact stage at the
floor, so the window's docks give way before the stage's text does.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPixmapCache, QResizeEvent
from PySide6.QtWidgets import QFrame, QGraphicsView, QWidget

from authflow.app.views.stage.layout import COMPACT, EM, SMALLEST, STAGE_HEIGHT_EM, stage_size
from authflow.app.views.stage.scene import StageScene

LAPTOP_FLOOR_PX = 11.0
"""The least on-screen height of the stage's smallest text (DESIGN.md section 6)."""
PRESENTER_MINIMUM_FLOOR_PX = 6.0
"""In presenter mode the window is the screen and the narration shares it: the view's
minimum size is set this low, and the floor is met by choosing the actors' sizes."""
FIT_SLACK = 8
"""fitInView keeps 2 px clear on every side; the least size allows for it."""


class StageView(QGraphicsView):
    """A QGraphicsView that always shows the whole stage."""

    def __init__(self, scene: StageScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.stage = scene
        self.preferred_sizes = scene.sizes
        """The actors' sizes when there is room (the stage drops to COMPACT when not)."""
        self.text_floor = LAPTOP_FLOOR_PX
        self.minimum_floor = LAPTOP_FLOOR_PX
        """The floor the view's minimum size is computed at."""
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
        self.setAccessibleName("Stage")
        scene.cast_changed.connect(self._cast_changed)
        self.keep_legible()

    def set_text_floor(self, pixels: float, *, as_minimum: bool = True) -> None:
        """Keep the smallest stage text at least `pixels` high on screen. With
        `as_minimum` False (presenter mode, whose floor is sized from the window) the
        floor picks the actors' sizes but does not grow the view's minimum size: a
        window sized by its own text would grow without end."""
        if abs(pixels - self.text_floor) > 1e-3:
            self.text_floor = pixels
            self.minimum_floor = pixels if as_minimum else PRESENTER_MINIMUM_FLOOR_PX
            self.keep_legible()
            self.fit()

    @property
    def least_scale(self) -> float:
        """Screen pixels per scene unit at which the smallest text meets the floor."""
        return self.text_floor / (SMALLEST * EM)

    def least_size(self) -> tuple[int, int]:
        """The compact stage at the floor, in pixels (the view's minimum size)."""
        scale = self.minimum_floor / (SMALLEST * EM)
        width, _ = stage_size(0.0, tuple(self.stage.actors), COMPACT)
        return (
            math.ceil(width * scale + FIT_SLACK),
            math.ceil(STAGE_HEIGHT_EM * EM * scale + FIT_SLACK),
        )

    def _cast_changed(self) -> None:
        # New actors (a lesson with a load balancer) change the stage's least size and
        # its scene rect: refit now, not at the next resize (which may never come).
        self.keep_legible()
        self.fit()

    def keep_legible(self) -> None:
        self.setMinimumSize(*self.least_size())

    def fit(self) -> None:
        w, h = self.viewport().width(), self.viewport().height()
        if w <= 0 or h <= 0:
            return
        least = self.least_scale
        # The regular actors if they fit with their text above the floor, else compact.
        for sizes in (self.preferred_sizes, COMPACT):
            self.stage.set_sizes(sizes)
            self.stage.set_aspect(w / h)
            rect = self.stage.sceneRect()
            # fitInView keeps 2 px clear on each side.
            scale = min((w - 4) / rect.width(), (h - 4) / rect.height())
            if scale >= least:
                break
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
