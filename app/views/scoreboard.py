"""The scoreboard view: runs side by side as a table, exportable as PNG and Markdown.

The figures and their text come from `simulator.analysis.scoreboard.table`; this module only
lays them out (one column per run, one row per figure) and writes the exports. The
Markdown export is `simulator.analysis.scoreboard.to_markdown` of the same scoreboards, so it
matches the table on screen cell for cell.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QIODevice, Qt
from PySide6.QtGui import QFont, QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from authflow.app import plain_text, savefile

if TYPE_CHECKING:
    from authflow.simulator.analysis.scoreboard import Scoreboard


class ExportError(OSError):
    """A file that could not be written; the message names it and says why."""


def save_bytes(path: str | Path, data: bytes) -> None:
    """Write atomically: the old file stays whole if anything fails."""
    try:
        savefile.save_bytes(path, data)
    except savefile.SaveError as exc:
        raise ExportError(str(exc)) from None


class ScoreboardView(QWidget):
    """A table of scoreboards with "Copy Markdown", "Export Markdown…" and "Export PNG…"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scoreboard")
        self.boards: tuple[Scoreboard, ...] = ()
        self.title = QLabel("Scoreboard: the whole run")
        self.title.setObjectName("scoreboard_title")
        bold = QFont(self.title.font())
        bold.setBold(True)
        self.title.setFont(bold)
        self.table = QTableWidget()
        self.table.setObjectName("scoreboard_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.copy_button = QPushButton("Copy Markdown")
        self.copy_button.setObjectName("scoreboard_copy")
        self.copy_button.setToolTip("Copy the table as Markdown, for documentation")
        self.copy_button.clicked.connect(self.copy_markdown)
        self.markdown_button = QPushButton("Export Markdown…")
        self.markdown_button.setObjectName("scoreboard_export_markdown")
        self.markdown_button.clicked.connect(self._ask_markdown)
        self.png_button = QPushButton("Export PNG…")
        self.png_button.setObjectName("scoreboard_export_png")
        self.png_button.clicked.connect(self._ask_png)
        self.status = plain_text.label()  # quotes file names and errors
        self.status.setObjectName("scoreboard_status")
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.status)
        for button in (self.copy_button, self.markdown_button, self.png_button):
            top.addWidget(button)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(4, 4, 4, 4)
        self.box.addLayout(top)
        self.box.addWidget(self.table, 1)

    def set_base_font(self, font: QFont) -> None:
        """Size every text from `font` (the window's, which follows its size)."""
        self.setFont(font)
        bold = QFont(font)
        bold.setBold(True)
        self.title.setFont(bold)
        if self.boards:
            self.set_boards(self.boards)  # items keep their own fonts: redraw them

    def set_boards(self, boards: Sequence[Scoreboard]) -> None:
        """Show one column per run; rows whose figures differ between runs are bold."""
        from authflow.simulator.analysis.scoreboard import table

        self.boards = tuple(boards)
        header, rows = table(self.boards)
        self.table.clear()
        self.table.setColumnCount(len(header) - 1)
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels(list(header[1:]))
        self.table.setVerticalHeaderLabels([row[0] for row in rows])
        for r, row in enumerate(rows):
            differ = len(set(row[1:])) > 1
            for c, text in enumerate(row[1:]):
                item = QTableWidgetItem(text)
                item.setToolTip(plain_text.tip(text))
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                if differ:
                    font = QFont(self.table.font())
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()

    def content_height(self) -> int:
        """Height that shows every row without scrolling (title bar and margins too)."""
        table = self.table
        height = table.horizontalHeader().height() + 2 * table.frameWidth()
        height += sum(table.rowHeight(r) for r in range(table.rowCount()))
        layout = self.box
        margins = layout.contentsMargins()
        top = self.copy_button.sizeHint().height()
        return height + top + margins.top() + margins.bottom() + layout.spacing() + 2

    # What the table shows -------------------------------------------------------------
    def cell_texts(self) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
        """The header and rows exactly as on screen (header's first cell empty)."""
        columns = self.table.columnCount()
        header = ("", *(self._header(c) for c in range(columns)))
        rows = []
        for r in range(self.table.rowCount()):
            label = self.table.verticalHeaderItem(r)
            cells = []
            for c in range(columns):
                item = self.table.item(r, c)
                cells.append(item.text() if item is not None else "")
            rows.append((label.text() if label is not None else "", *cells))
        return header, tuple(rows)

    def _header(self, column: int) -> str:
        item = self.table.horizontalHeaderItem(column)
        return item.text() if item is not None else ""

    def markdown(self) -> str:
        from authflow.simulator.analysis.scoreboard import to_markdown

        return to_markdown(self.boards)

    # Exports --------------------------------------------------------------------------
    def image(self) -> QPixmap:
        """The table at its full height (no scroll bars), as drawn on screen."""
        table = self.table
        height = table.horizontalHeader().height() + 2 * table.frameWidth()
        height += sum(table.rowHeight(r) for r in range(table.rowCount()))
        old = table.minimumHeight()
        table.setMinimumHeight(height)
        self.adjustSize()
        pixmap = self.grab()
        table.setMinimumHeight(old)
        return pixmap

    def export_png(self, path: str | Path) -> None:
        from PySide6.QtCore import QBuffer

        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not self.image().save(buffer, "PNG"):
            raise ExportError(f"{path}: could not encode the PNG")
        save_bytes(path, bytes(buffer.data().data()))

    def export_markdown(self, path: str | Path) -> None:
        save_bytes(path, self.markdown().encode("utf-8"))

    def copy_markdown(self) -> None:
        QGuiApplication.clipboard().setText(self.markdown())
        self.status.setText("Markdown copied")

    def _ask_markdown(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the scoreboard as Markdown", "scoreboard.md", "Markdown (*.md)"
        )
        if path:
            self._try(lambda: self.export_markdown(path), path)

    def _ask_png(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the scoreboard as PNG", "scoreboard.png", "PNG image (*.png)"
        )
        if path:
            self._try(lambda: self.export_png(path), path)

    def _try(self, write: Callable[[], None], path: str) -> None:
        try:
            write()
        except ExportError as exc:
            self.status.setText(str(exc))
        else:
            self.status.setText(f"Saved {Path(path).name}")
