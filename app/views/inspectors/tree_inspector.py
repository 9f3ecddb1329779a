"""An inspector that shows one tree (store keys, browser storage) under a caption."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QTreeView, QVBoxLayout, QWidget

from authflow.app.session.player import Player
from authflow.app.views.inspectors.base import TraceInspector, caption
from authflow.app.views.inspectors.tree_model import Node, TreeModel
from authflow.simulator.trace.trace import Trace


class TreeInspector(TraceInspector):
    """Subclasses name the columns, their widths at the system font size, what the
    caption says before any run, and build the nodes for one event in `show_tree`."""

    COLUMNS: tuple[str, ...] = ()
    WIDTHS: tuple[int, ...] = ()
    FIT_TO_CONTENTS: tuple[int, ...] = ()
    """Columns re-fitted to their contents after each refresh."""
    EMPTY_TITLE = ""

    def __init__(self, player: Player | None = None, parent: QWidget | None = None) -> None:
        super().__init__(player, parent)
        self.model = TreeModel(self.COLUMNS, self)
        self.title = caption(self.EMPTY_TITLE)
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setUniformRowHeights(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.fit_to_font()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.view)
        self.refresh()

    def fit_to_font(self) -> None:
        for column, width in enumerate(self.WIDTHS):
            self.view.setColumnWidth(column, self.scaled(width))

    def refresh(self) -> None:
        trace, index = self.trace, self.index
        if trace is None or not 0 <= index < len(trace.events):
            self.model.set_nodes([])
            self.title.setText(f"{self.EMPTY_TITLE}: no run yet")
            return
        self.model.set_nodes(self.show_tree(trace, index))
        self.view.expandAll()
        for column in self.FIT_TO_CONTENTS:
            self.view.resizeColumnToContents(column)

    def show_tree(self, trace: Trace, index: int) -> list[Node]:
        """The tree's top-level nodes at `trace[index]`; may also set the caption."""
        raise NotImplementedError  # pragma: no cover - every subclass overrides it
