"""Table models for the cookie inspector: the jar's rows and the cookies a request left out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from authflow.app import plain_text
from authflow.app.views.inspectors import clock_text
from authflow.app.views.inspectors.pair_model import PairModel
from authflow.app.views.inspectors.tints import change_brush
from authflow.simulator.trace.details import LeftOutRef
from authflow.simulator.trace.trace import CookieRow

Index = QModelIndex | QPersistentModelIndex

COLUMNS: tuple[str, ...] = (
    "Name",
    "Value",
    "Domain",
    "Path",
    "Expires / Max-Age",
    "Size",
    "HttpOnly",
    "Secure",
    "SameSite",
    "Change",
)
CHANGE_ROLE = Qt.ItemDataRole.UserRole + 1
"""The row's change mark: "added", "changed", "deleted" or ""."""


@dataclass(frozen=True, slots=True)
class JarRow:
    cookie: CookieRow
    change: str
    """"added", "changed" or "deleted" relative to the step's baseline; "" if unchanged."""


def _key(cookie: CookieRow) -> tuple[str, str, str]:
    return (cookie.name, cookie.domain, cookie.path)


def diff_rows(current: Sequence[CookieRow], before: Sequence[CookieRow] | None) -> list[JarRow]:
    """Current cookies marked added/changed, then the baseline's cookies now gone."""
    old = {_key(c): c for c in before or ()}
    rows: list[JarRow] = []
    for cookie in current:
        previous = old.get(_key(cookie))
        if before is not None and previous is None:
            change = "added"
        elif previous is not None and previous != cookie:
            change = "changed"
        else:
            change = ""
        rows.append(JarRow(cookie, change))
    now = {_key(c) for c in current}
    rows.extend(JarRow(c, "deleted") for c in before or () if _key(c) not in now)
    return rows


def _flag(value: bool) -> str:
    return "✓" if value else "-"


class CookieJarModel(QAbstractTableModel):
    """One row per cookie, DevTools' columns, expiry on the simulated clock."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[JarRow] = []
        self._now = 0.0

    @property
    def rows(self) -> list[JarRow]:
        return list(self._rows)

    def set_jar(
        self, current: Sequence[CookieRow], before: Sequence[CookieRow] | None, now: float
    ) -> None:
        self.beginResetModel()
        self._rows = diff_rows(current, before)
        self._now = now
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None

    def cell_text(self, row: JarRow, column: int) -> str:
        c = row.cookie
        texts = (
            c.name,
            c.value,
            c.domain if c.host_only else f".{c.domain}",
            c.path,
            clock_text.expiry(c.expires, self._now),
            str(c.size or len(c.name) + len(c.value)),
            _flag(c.http_only),
            _flag(c.secure),
            f"{c.same_site} (default)" if c.same_site_defaulted else c.same_site,
            row.change,
        )
        return texts[column]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            tooltip = self._tooltip(row, column)
            return plain_text.tip(tooltip) if isinstance(tooltip, str) else tooltip
        if role == Qt.ItemDataRole.BackgroundRole:
            return change_brush(row.change)
        if role == Qt.ItemDataRole.FontRole and row.change:
            font = QFont()
            font.setBold(row.change != "deleted")
            font.setStrikeOut(row.change == "deleted")
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[column] in (
            "Size",
            "HttpOnly",
            "Secure",
        ):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == CHANGE_ROLE:
            return row.change
        return None

    def _tooltip(self, row: JarRow, column: int) -> str:
        c = row.cookie
        name = COLUMNS[column]
        if name == "Value":
            return c.value
        if name == "SameSite" and c.same_site_defaulted:
            return "No valid SameSite attribute: Chromium treats the cookie as Lax."
        if name == "Domain":
            return (
                f"Host-only: sent to {c.domain} only"
                if c.host_only
                else f"Domain cookie: sent to {c.domain} and its subdomains"
            )
        if name == "Expires / Max-Age" and c.expires is None:
            return (
                "Session cookie: meant to end when the browser closes, but browsers with "
                "session restore keep it; the server must time the session out itself."
            )
        if name == "Change" and row.change:
            return f"{row.change.capitalize()} by the current user action so far."
        return self.cell_text(row, column)


class LeftOutModel(PairModel):
    """The cookies the jar did not attach to the current request, with its reason."""

    HEADERS = ("Cookie left out", "Reason the browser gave")

    def set_left_out(self, left_out: Sequence[LeftOutRef]) -> None:
        self.set_rows([(x.name, x.reason) for x in left_out])
