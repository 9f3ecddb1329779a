"""The event log's Qt models: one row per trace event, and a kind/actor filter over it.

`EventLogModel` is a thin adapter over the trace's tuple of events: it formats cells on
demand and keeps nothing per row, so loading 100,000 events is one reset. The filter
proxy hides rows by kind and by actor; with no filter set it accepts every row without
calling back into Python per row beyond Qt's own bookkeeping.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from authflow.app import plain_text
from authflow.app.views import palette as palette_mod

if TYPE_CHECKING:
    from authflow.simulator.trace.details import Carry
    from authflow.simulator.trace.trace import Event, Trace

# authflow.simulator.trace.details (the trace's typed records) is imported inside the functions that
# read an event: the window paints its first frame before the simulator loads.

ModelIndex = QModelIndex | QPersistentModelIndex

COLUMNS: tuple[str, ...] = (
    "#",
    "Time",
    "Step",
    "Kind",
    "From → To",
    "Label",
    "Status",
    "Credential",
)
COL_NUMBER, COL_TIME, COL_STEP, COL_KIND, COL_ROUTE, COL_LABEL, COL_STATUS, COL_CREDENTIAL = range(
    8
)

EVENT_ROLE = Qt.ItemDataRole.UserRole + 1
"""data(index, EVENT_ROLE) is the row's `Event`."""
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
"""data(index, ROW_ROLE) is the row's index in the trace (what `Player.jump` takes)."""


def format_sim_time(t: float) -> str:
    """Simulated seconds as a clock reading: "0:00:05.2", or "2d 0:00:05" past a day."""
    t = max(0.0, t)
    days, rest = divmod(t, 86400.0)
    hours, rest = divmod(rest, 3600.0)
    minutes, seconds = divmod(rest, 60.0)
    if days >= 1:
        return f"{int(days)}d {int(hours)}:{int(minutes):02d}:{int(seconds):02d}"
    frac = f"{seconds:04.1f}"
    return f"{int(hours)}:{int(minutes):02d}:{frac}"


def event_status(event: Event) -> str:
    """The outcome in a few words: "200 OK", "✓ session", "✗ expired", "blocked", "hit"."""
    from authflow.simulator.trace import details

    kind = event.kind
    if kind == "response":
        response = details.as_response(event)
        return f"{response.status or ''} {response.reason}".strip()
    if kind == "request":
        return "blocked" if details.as_request(event).blocked else ""
    if kind == "verdict":
        # The label already names the check ("✓ session: alice"): say why.
        v = details.as_verdict(event)
        return f"{'✓' if v.ok else '✗'} {v.reason or v.check}".strip()
    if kind == "store":
        hit = details.as_store(event).hit
        return "" if hit is None else ("hit" if hit else "miss")
    if kind == "cookie":
        c = details.as_cookie(event)
        return f"{c.action}: {c.reason}" if c.reason else c.action
    if kind == "storage":
        return details.as_storage(event).action
    if kind == "attack":
        return "✗ succeeded" if details.as_attack(event).success else "✓ failed"
    return ""


def event_credential(event: Event) -> str:
    """What credential the event carried, e.g. "Cookie sid", "Bearer (access)"."""
    from authflow.simulator.trace import details

    return ", ".join(credential_text(carry) for carry in details.carries(event))


def credential_text(carry: Carry) -> str:
    """One carried credential as a short badge text."""
    header, name, role = carry.header, carry.name, carry.role
    if header == "Authorization":
        text = "Bearer" if role in ("access", "") else f"Bearer {role}"
    elif header in ("Cookie", "Set-Cookie"):
        text = f"{header} {name}".strip()
    else:
        text = header or name
    if carry.rejected:
        text += " (rejected)"
    elif carry.deletes:
        text += " (delete)"
    return text


_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.TextAlignmentRole,
        EVENT_ROLE,
        ROW_ROLE,
    }
)


class EventLogModel(QAbstractTableModel):
    """Every event of a trace as a row; cells are formatted when Qt asks for them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._events: list[Event] = []
        self._trace: Trace | None = None
        self._palette: palette_mod.Palette = palette_mod.LIGHT

    # -- loading ------------------------------------------------------------------
    @property
    def trace(self) -> Trace | None:
        return self._trace

    def set_trace(self, trace: Trace | None) -> None:
        self.beginResetModel()
        self._trace = trace
        self._events = list(trace.events) if trace is not None else []
        self.endResetModel()

    def append_events(self, events: Iterable[Event]) -> None:
        """Add events at the end (a live run growing); views keep their scroll."""
        new = list(events)
        if not new:
            return
        first = len(self._events)
        self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
        self._events.extend(new)
        self.endInsertRows()

    def set_palette(self, palette: palette_mod.Palette) -> None:
        self._palette = palette
        if self._events:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._events) - 1, len(COLUMNS) - 1),
                [Qt.ItemDataRole.ForegroundRole],
            )

    def event_at(self, row: int) -> Event:
        return self._events[row]

    @property
    def events(self) -> Sequence[Event]:
        return self._events

    # -- QAbstractTableModel ------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._events)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # The delegate asks ~10 roles per cell per paint; answer the unused ones first.
        if role not in _ROLES or not index.isValid():
            return None
        row = index.row()
        if not 0 <= row < len(self._events):
            return None
        event = self._events[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(event, row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_text.tip(event.explain) or None
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(event, index.column())
        if role == EVENT_ROLE:
            return event
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (COL_NUMBER, COL_TIME):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, event: Event, row: int, column: int) -> str:
        if column == COL_NUMBER:
            return str(row + 1)
        if column == COL_TIME:
            return format_sim_time(event.t)
        if column == COL_STEP:
            return self._step_text(event.step)
        if column == COL_KIND:
            return event.kind
        if column == COL_ROUTE:
            return event.src if event.src == event.dst else f"{event.src} → {event.dst}"
        if column == COL_LABEL:
            return event.label
        if column == COL_STATUS:
            return event_status(event)
        if column == COL_CREDENTIAL:
            return event_credential(event)
        return ""

    def _step_text(self, step: int) -> str:
        steps = self._trace.steps if self._trace is not None else ()
        if 0 <= step < len(steps):
            return f"{step + 1} {steps[step].action}"
        return str(step + 1)

    def _foreground(self, event: Event, column: int) -> QColor | None:
        if column == COL_STATUS:
            status = event_status(event)
            if status.startswith("✗") or status == "blocked":
                return self._palette.color("blocked")
            if status.startswith("✓"):
                return self._palette.color("ok")
            return None
        if column == COL_KIND:
            return self._palette.color(palette_mod.kind_role(event.kind))
        return None


class EventFilterProxy(QSortFilterProxyModel):
    """Shows only events of the chosen kinds that involve the chosen actor."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._kinds: frozenset[str] | None = None
        self._actor: str | None = None
        self.setDynamicSortFilter(False)

    @property
    def kinds(self) -> frozenset[str] | None:
        return self._kinds

    @property
    def actor(self) -> str | None:
        return self._actor

    @property
    def active(self) -> bool:
        return self._kinds is not None or self._actor is not None

    def set_kinds(self, kinds: Iterable[str] | None) -> None:
        """Show only these kinds; None shows every kind."""
        self.set_filter(kinds, self._actor)

    def set_actor(self, actor: str | None) -> None:
        """Show only events from or to `actor`; None shows every actor."""
        self.set_filter(self._kinds, actor)

    def set_filter(self, kinds: Iterable[str] | None, actor: str | None) -> None:
        new_kinds = None if kinds is None else frozenset(kinds)
        new_actor = actor or None
        if (new_kinds, new_actor) == (self._kinds, self._actor):
            return

        def change() -> None:
            self._kinds, self._actor = new_kinds, new_actor

        self._change_filter(change)

    def _change_filter(self, change: Callable[[], None]) -> None:
        # Qt 6.10 replaced invalidateRowsFilter() (now deprecated, and warnings are
        # errors in the tests) with a begin/end pair around the change.
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - Qt before 6.10
            change()
            self.invalidateRowsFilter()

    def accepts(self, event: Event) -> bool:
        if self._kinds is not None and event.kind not in self._kinds:
            return False
        return self._actor is None or self._actor in (event.src, event.dst)

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        if not self.active:
            return True
        model = self.sourceModel()
        if not isinstance(model, EventLogModel):
            return True
        return self.accepts(model.event_at(source_row))
