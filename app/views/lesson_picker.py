"""The lesson picker: the course's titles, chapter by chapter, in course order.

A combo box whose chapter headings cannot be chosen; each lesson's item shows its
title and carries its name (`itemData`), so the rest of the window keeps speaking in
lesson names. A lesson opened from a file is listed under its own heading.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QWidget

from authflow.app import plain_text

if TYPE_CHECKING:
    from authflow.simulator.lessons.library import LessonInfo

FROM_FILE = "Opened from a file"


class LessonPicker(QComboBox):
    """Choose a lesson by its title; `current_name()` is the chosen lesson's name."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = QStandardItemModel(self)
        self.setModel(self._model)
        # As wide as a short title: the longest would hold the toolbar, and so the
        # window, wider than a laptop's screen. The list that opens shows them whole.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(26)

    def showPopup(self) -> None:
        view = self.view()
        view.setMinimumWidth(view.sizeHintForColumn(0) + 4 * self.fontMetrics().averageCharWidth())
        super().showPopup()

    def fill(self, lessons: Sequence[LessonInfo]) -> None:
        """List `lessons` (already in course order) under their chapters' headings."""
        self._model.clear()
        chapter = None
        for info in lessons:
            if info.chapter_shown != chapter:
                chapter = info.chapter_shown
                self._heading(chapter)
            self._lesson(info.name, info.title, info.summary)

    def add_file_lesson(self, path: str, title: str, summary: str = "") -> None:
        """List a lesson opened from a file (once), under its own heading."""
        if self.findData(path) >= 0:
            return
        if self.findText(FROM_FILE) < 0:
            self._heading(FROM_FILE)
        self._lesson(path, title or path, summary or path)

    def names(self) -> list[str]:
        """Every lesson listed, in order (headings left out)."""
        return [str(d) for i in range(self.count()) if (d := self.itemData(i))]

    def current_name(self) -> str:
        data = self.currentData()
        return str(data) if data else ""

    def _heading(self, text: str) -> None:
        item = QStandardItem(text)
        # Shown, never chosen: the arrow keys and the mouse skip it.
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        font = QFont(self.font())
        font.setBold(True)
        item.setFont(font)
        self._model.appendRow(item)

    def _lesson(self, name: str, title: str, summary: str) -> None:
        item = QStandardItem(title)
        item.setData(name, Qt.ItemDataRole.UserRole)
        if summary:
            item.setToolTip(plain_text.tip(summary))
        self._model.appendRow(item)
