"""A read-only tree model over plain nodes (the shape of Qt's jsonmodel example).

The store, browser-storage and token-decoder inspectors build `Node` trees from trace
data and hand them to one `TreeModel`; the model only adapts them to Qt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from authflow.app import plain_text

Index = QModelIndex | QPersistentModelIndex

CHANGE_ROLE = Qt.ItemDataRole.UserRole + 1
"""The node's change mark ("added", "changed", "deleted", "read", "written" or "")."""


@dataclass(eq=False)
class Node:
    """One row: its column texts, what to tint it with and its children."""

    texts: tuple[str, ...]
    children: list[Node] = field(default_factory=list)
    change: str = ""
    tooltip: str = ""
    foreground: QColor | None = None
    background: QColor | None = None
    bold: bool = False
    strike: bool = False
    monospace: bool = False
    parent: Node | None = field(default=None, repr=False)

    def add(self, child: Node) -> Node:
        child.parent = self
        self.children.append(child)
        return child

    def row(self) -> int:
        return 0 if self.parent is None else self.parent.children.index(self)


class TreeModel(QAbstractItemModel):
    """Shows a list of top-level `Node`s; `set_nodes` swaps the whole tree."""

    def __init__(self, headers: Sequence[str], parent: Any = None) -> None:
        super().__init__(parent)
        self._headers = tuple(headers)
        self._root = Node(())

    @property
    def roots(self) -> list[Node]:
        return self._root.children

    def set_nodes(self, nodes: Sequence[Node]) -> None:
        self.beginResetModel()
        self._root = Node(())
        for node in nodes:
            self._root.add(node)
        self.endResetModel()

    def node(self, index: Index) -> Node:
        if index.isValid():
            node = index.internalPointer()
            assert isinstance(node, Node)
            return node
        return self._root

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column, self.node(parent).children[row])

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid():
            return QModelIndex()
        up = self.node(child).parent
        if up is None or up is self._root:
            return QModelIndex()
        return self.createIndex(up.row(), 0, up)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self.node(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._headers)
        ):
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self.node(index)
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return node.texts[column] if column < len(node.texts) else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            if node.tooltip:
                return plain_text.tip(node.tooltip)
            return plain_text.tip(node.texts[column]) if column < len(node.texts) else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return node.foreground
        if role == Qt.ItemDataRole.BackgroundRole:
            return node.background
        if role == Qt.ItemDataRole.FontRole and (node.bold or node.strike or node.monospace):
            font = QFont()
            if node.monospace and column == 1:
                font.setFamilies(["monospace"])
                font.setStyleHint(QFont.StyleHint.Monospace)
            font.setBold(node.bold)
            font.setStrikeOut(node.strike)
            return font
        if role == CHANGE_ROLE:
            return node.change
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
