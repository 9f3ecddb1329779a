"""The diagram on screen: follows the player, highlights its step, jumps on a click."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QFont,
    QGuiApplication,
    QMouseEvent,
    QPainter,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsView, QWidget

from authflow.app import plain_text
from authflow.app.session.player import Player
from authflow.app.views.sequence import layout as lay
from authflow.app.views.sequence.scene import SequenceScene
from authflow.app.views.sequence.theme import DiagramTheme

if TYPE_CHECKING:
    from authflow.simulator.trace.trace import Trace

MIN_ZOOM = 0.3
MAX_ZOOM = 4.0
READABLE = 0.85
"""Fit-to-width stops shrinking at this times the window's text scaling: the diagram's
13 px labels then read about as large as the interface's own text."""


def text_factor(font: QFont) -> float:
    """How much larger `font` is than the application's: the window's text scaling."""
    base = QGuiApplication.font()
    if font.pointSizeF() > 0 and base.pointSizeF() > 0:
        return font.pointSizeF() / base.pointSizeF()
    if font.pixelSize() > 0 and base.pixelSize() > 0:
        return font.pixelSize() / base.pixelSize()
    return 1.0


class SequenceView(QGraphicsView):
    """A `SequenceScene` kept in step with a `Player`; the actor header stays on top."""

    row_clicked = Signal(int)

    def __init__(
        self,
        player: Player | None = None,
        theme: DiagramTheme | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.diagram = SequenceScene(theme=theme, parent=self)
        self.setScene(self.diagram)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        # The sticky header is drawn in the foreground at the viewport's top, which a
        # scrolled blit would smear; only the visible rows are painted anyway.
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
        self.setMouseTracking(True)
        self.fit_action = QAction("Fit to width", self)
        self.fit_action.setCheckable(True)
        self.fit_action.setChecked(True)
        self.fit_action.setToolTip(
            "Scale the diagram to the panel's width, never below the window's text size "
            "(Ctrl + wheel zooms by hand)"
        )
        self.fit_action.toggled.connect(self._on_fit_toggled)
        self.addAction(self.fit_action)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self._player: Player | None = None
        if player is not None:
            self.set_player(player)

    # -- wiring ---------------------------------------------------------------------
    def set_player(self, player: Player) -> None:
        self._player = player
        player.trace_changed.connect(self._on_trace_changed)
        player.step_changed.connect(self._on_step_changed)
        if player.trace is not None:
            self._on_trace_changed(player.trace)
            self._on_step_changed(player.index)

    def set_theme(self, theme: DiagramTheme) -> None:
        self.diagram.set_theme(theme)
        self.viewport().update()

    def _on_trace_changed(self, trace: Trace | None) -> None:
        index = self._player.index if self._player is not None else None
        self.diagram.set_trace(trace, index)
        self.fit()
        self.viewport().update()

    # -- zoom -----------------------------------------------------------------------
    @property
    def zoom(self) -> float:
        return self.transform().m11()

    def fit_zoom(self) -> float:
        """The zoom that fills the panel's width with the diagram, but never smaller
        than the window's text scaling: a narrow panel scrolls sideways rather than
        shrinking the labels below the rest of the interface."""
        width = self.diagram.diagram_rect().width()
        readable = READABLE * text_factor(self.font())
        if width <= 0:
            return readable
        available = self.viewport().width() - 2
        return min(MAX_ZOOM, max(readable, available / width))

    def fit(self) -> None:
        """Apply fit-to-width, if it is on (Ctrl + wheel turns it off)."""
        if not self.fit_action.isChecked():
            return
        zoom = self.fit_zoom()
        if abs(zoom - self.zoom) > 1e-3:
            middle = self.visible_scene_rect().center().y()
            self.resetTransform()
            self.scale(zoom, zoom)
            # Keep the rows in view and the left edge (numbers, first lifeline) shown.
            self.centerOn(QPointF(0.0, middle))
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().minimum())
            if self.diagram.current is not None:
                self.ensure_lanes_visible(self.diagram.current)

    def _on_fit_toggled(self, on: bool) -> None:
        if on:
            self.fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.fit()

    def _on_step_changed(self, index: int) -> None:
        self.diagram.set_current(index)
        if self.diagram.current is not None:
            self.ensure_row_visible(index)
            self.ensure_lanes_visible(index)

    def ensure_lanes_visible(self, row: int) -> None:
        """Scroll sideways (only) so the lifelines `row` runs between are in view: at a
        readable zoom a narrow panel shows only part of the diagram's width."""
        layout = self.diagram.layout
        if not 0 <= row < len(layout.events):
            return
        event = layout.events[row]
        xs = [layout.x_of[a] for a in (event.src, event.dst) if a in layout.x_of]
        if not xs:
            return
        half = layout.column / 2
        left, right = min(xs) - half, max(xs) + half
        visible = self.visible_scene_rect()
        if left >= visible.left() and right <= visible.right():
            return
        x = (left + right) / 2 if right - left <= visible.width() else left + visible.width() / 2
        self.centerOn(QPointF(x, visible.center().y()))

    def ensure_row_visible(self, row: int) -> None:
        """Scroll vertically (only) so `row` shows below the sticky header."""
        rect = self.diagram.row_rect(row)
        visible = self.visible_scene_rect()
        header = lay.HEADER_H + 16.0
        if rect.top() >= visible.top() + header and rect.bottom() <= visible.bottom():
            return
        self.centerOn(QPointF(visible.center().x(), rect.center().y()))

    def visible_scene_rect(self) -> QRectF:
        return self.mapToScene(self.viewport().rect()).boundingRect()

    # -- input ----------------------------------------------------------------------
    def row_at_view(self, pos: QPointF) -> int | None:
        scene_pos = self.mapToScene(pos.toPoint())
        visible = self.visible_scene_rect()
        if self._header_shown(visible) and scene_pos.y() < visible.top() + lay.HEADER_H + 16.0:
            return None
        return self.diagram.row_at(scene_pos.y())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            row = self.row_at_view(event.position())
            if row is not None:
                self.row_clicked.emit(row)
                if self._player is not None:
                    self._player.jump(row)
                event.accept()
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        row = self.row_at_view(event.position())
        shape = Qt.CursorShape.PointingHandCursor if row is not None else Qt.CursorShape.ArrowCursor
        self.viewport().setCursor(shape)
        if row is not None:
            self.viewport().setToolTip(plain_text.tip(self.diagram.layout.events[row].explain))
        super().mouseMoveEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            factor = 1.15 if event.angleDelta().y() > 0 else 1 / 1.15
            scale = self.zoom * factor
            if MIN_ZOOM <= scale <= MAX_ZOOM:
                self.fit_action.setChecked(False)  # the user's zoom stays
                self.scale(factor, factor)
            event.accept()
            return
        super().wheelEvent(event)

    # -- painting -------------------------------------------------------------------
    def _header_shown(self, visible: QRectF) -> bool:
        return visible.top() > self.diagram.layout.header_top

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        visible = self.visible_scene_rect()
        if self._header_shown(visible) and self.diagram.layout.actors:
            self.diagram.item.painter.paint_header(painter, visible.top() + 6.0, opaque=True)
