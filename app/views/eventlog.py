"""The event log panel: every trace event as a table row, filterable, in step with the player."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from authflow.app.session.player import Player
from authflow.app.views import palette as palette_mod
from authflow.app.views.eventlog_model import COLUMNS, EventFilterProxy, EventLogModel

if TYPE_CHECKING:
    from authflow.simulator.trace.trace import Event, Trace

_COLUMN_CHARS: tuple[int, ...] = (5, 10, 18, 10, 20, 46, 34, 24)
"""Initial column widths in average characters (the last one stretches)."""


class EventLogWidget(QWidget):
    """A filterable table of the trace's events; selecting a row jumps the player."""

    row_activated = Signal(int)
    """A trace index the user picked (emitted before `Player.jump`)."""

    def __init__(self, player: Player | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = EventLogModel(self)
        # The proxy sits between model and table only while a filter is set: with it
        # attached, every reset and append calls filterAcceptsRow (Python) per row,
        # 0.2 s for 100,000 events, for nothing when every row is shown.
        self.proxy = EventFilterProxy(self)
        self._player: Player | None = None
        self._syncing = False
        # Appends are settled once per event-loop pass (count label, follow scroll):
        # scrollToBottom costs ~0.1 ms, more than the append itself, and nothing is
        # painted between two appends of one burst anyway.
        self._settle_timer = QTimer(self)
        self._settle_timer.setSingleShot(True)
        self._settle_timer.setInterval(0)
        self._settle_timer.timeout.connect(self._settle_appends)

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self._setup_table()

        self.kind_button = QToolButton(self)
        self.kind_button.setText("Kinds: all")
        self.kind_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.kind_button.setToolTip("Show only events of the checked kinds")
        self.kind_button.setMenu(QMenu(self.kind_button))
        self.kind_actions: dict[str, QAction] = {}

        self.actor_combo = QComboBox(self)
        self.actor_combo.setToolTip("Show only events from or to this actor")
        self.actor_combo.addItem("All actors", None)
        self.actor_combo.currentIndexChanged.connect(self._on_actor_changed)

        self.follow_box = QCheckBox("Follow newest", self)
        self.follow_box.setToolTip("Keep the newest event in view as events are added")
        self.count_label = QLabel(self)
        # The count gives way (clipped) before the bar makes the inspector area wider
        # than a laptop's stage leaves it.
        self.count_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.kind_button)
        bar.addWidget(self.actor_combo)
        bar.addWidget(self.follow_box)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.table)

        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._on_context_menu)
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(self._on_rows_inserted)
        if player is not None:
            self.set_player(player)

    def _setup_table(self) -> None:
        table = self.table
        # No visible vertical header: with one, every auto-scrolled append costs ~3 ms in
        # headerData calls (measured); without it ~0.07 ms. The "#" column numbers rows.
        vheader = table.verticalHeader()
        vheader.setVisible(False)
        vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setShowGrid(False)
        table.setAlternatingRowColors(True)
        table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        hheader = table.horizontalHeader()
        hheader.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hheader.setStretchLastSection(True)
        hheader.setHighlightSections(False)
        self._fit_to_font()

    def _fit_to_font(self) -> None:
        """Rows one line high and columns so many characters wide, in the current font.

        Run again on FontChange: the window scales its text with its size, and a row
        height or column width kept from the small font would clip the larger text.
        """
        table = self.table
        for header in (table.horizontalHeader(), table.verticalHeader()):
            # WORKAROUND: a header does not always receive the table's new font (seen
            # after the first trace arrives); an empty font re-inherits the table's.
            header.setFont(QFont())
        metrics = QFontMetrics(table.font())
        table.verticalHeader().setDefaultSectionSize(metrics.height() + 8)
        char = metrics.averageCharWidth()
        hheader = table.horizontalHeader()
        for column, chars in enumerate(_COLUMN_CHARS[: len(COLUMNS)]):
            hheader.resizeSection(column, chars * char + 12)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_to_font()

    # -- wiring ---------------------------------------------------------------------
    def set_player(self, player: Player) -> None:
        self._player = player
        player.trace_changed.connect(self.set_trace)
        player.step_changed.connect(self.show_step)
        if player.trace is not None:
            self.set_trace(player.trace)
            self.show_step(player.index)

    def _ensure_kind_actions(self) -> None:
        """Fill the kind menu on first use (the simulator is not loaded at startup)."""
        if self.kind_actions:
            return
        from authflow.simulator.trace.trace import EVENT_KINDS

        menu = self.kind_button.menu()
        for kind in EVENT_KINDS:
            action = menu.addAction(kind)
            action.setCheckable(True)
            action.setChecked(True)
            action.toggled.connect(self._on_kinds_toggled)
            self.kind_actions[kind] = action

    def set_trace(self, trace: Trace | None) -> None:
        self._ensure_kind_actions()
        self.model.set_trace(trace)
        self._fill_actor_combo(trace.actors if trace is not None else ())
        if self._player is not None:
            self.show_step(self._player.index)

    def append_events(self, events: list[Event]) -> None:
        """Add events at the end (a growing run); the table follows them when asked to."""
        self.model.append_events(events)

    def set_palette(self, palette: palette_mod.Palette) -> None:
        """Colour the table from the theme's roles, so kind and status colours always
        sit on the background they were chosen for."""
        self.model.set_palette(palette)
        qp = self.table.palette()
        base, surface = palette.color("background"), palette.color("surface")
        highlight = palette.color("actor_active")
        on_highlight = QColor("#000000" if highlight.lightnessF() > 0.5 else "#FFFFFF")
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            qp.setColor(group, QPalette.ColorRole.Base, surface)
            qp.setColor(group, QPalette.ColorRole.AlternateBase, base)
            qp.setColor(group, QPalette.ColorRole.Text, palette.color("text"))
            qp.setColor(group, QPalette.ColorRole.Highlight, highlight)
            qp.setColor(group, QPalette.ColorRole.HighlightedText, on_highlight)
        self.table.setPalette(qp)

    def _fill_actor_combo(self, actors: tuple[str, ...]) -> None:
        current = self.actor_combo.currentData()
        self.actor_combo.blockSignals(True)
        self.actor_combo.clear()
        self.actor_combo.addItem("All actors", None)
        for actor in actors:
            self.actor_combo.addItem(actor, actor)
        index = self.actor_combo.findData(current) if current else 0
        self.actor_combo.setCurrentIndex(max(0, index))
        self.actor_combo.blockSignals(False)
        if self.actor_combo.currentData() != self.proxy.actor:
            self._apply_filter(self.proxy.kinds, self.actor_combo.currentData())

    # -- filters --------------------------------------------------------------------
    def set_kinds(self, kinds: set[str] | None) -> None:
        """Show only these kinds (None: all); the kind menu follows."""
        self._ensure_kind_actions()
        for kind, action in self.kind_actions.items():
            action.blockSignals(True)
            action.setChecked(kinds is None or kind in kinds)
            action.blockSignals(False)
        self._on_kinds_toggled()

    def set_actor(self, actor: str | None) -> None:
        index = self.actor_combo.findData(actor) if actor else 0
        self.actor_combo.setCurrentIndex(max(0, index))

    def _on_kinds_toggled(self, _checked: bool = False) -> None:
        checked = {k for k, a in self.kind_actions.items() if a.isChecked()}
        every = len(checked) == len(self.kind_actions)
        self.kind_button.setText("Kinds: all" if every else f"Kinds: {len(checked)}")
        self._apply_filter(None if every else checked, self.proxy.actor)

    def _on_actor_changed(self, _index: int) -> None:
        self._apply_filter(self.proxy.kinds, self.actor_combo.currentData())

    def _apply_filter(self, kinds: set[str] | frozenset[str] | None, actor: str | None) -> None:
        attached = self.table.model() is self.proxy
        self.proxy.set_filter(kinds, actor)  # re-filters only while attached
        if self.proxy.active != attached:
            self._attach_proxy(self.proxy.active)
        self._update_count()
        if self._player is not None:
            self.show_step(self._player.index)

    def _attach_proxy(self, on: bool) -> None:
        """Put the filter proxy between model and table (on) or take it out."""
        header = self.table.horizontalHeader()
        widths = [header.sectionSize(c) for c in range(header.count())]
        old_selection = self.table.selectionModel()
        if on:
            self.proxy.setSourceModel(self.model)
            self.table.setModel(self.proxy)
        else:
            self.table.setModel(self.model)
            self.proxy.setSourceModel(None)  # type: ignore[arg-type]
        old_selection.deleteLater()
        for column, width in enumerate(widths):
            header.resizeSection(column, width)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)

    def _view_row(self, source_row: int) -> QModelIndex:
        """The table's index for trace index `source_row` (invalid when filtered out)."""
        if not 0 <= source_row < self.model.rowCount():
            return QModelIndex()
        index = self.model.index(source_row, 0)
        return self.proxy.mapFromSource(index) if self.table.model() is self.proxy else index

    def _source_row(self, view_index: QModelIndex) -> int:
        if self.table.model() is self.proxy:
            return self.proxy.mapToSource(view_index).row()
        return view_index.row()

    def _update_count(self) -> None:
        shown, total = self.table.model().rowCount(), self.model.rowCount()
        self.count_label.setText(f"{total} events" if shown == total else f"{shown} of {total}")

    # -- selection <-> player -------------------------------------------------------
    def show_step(self, index: int) -> None:
        """Select the row of trace index `index` (if the filter shows it) and scroll to it."""
        proxy_index = self._view_row(index)
        self._syncing = True
        try:
            selection = self.table.selectionModel()
            if proxy_index.isValid():
                selection.setCurrentIndex(
                    proxy_index,
                    selection.SelectionFlag.ClearAndSelect | selection.SelectionFlag.Rows,
                )
                self.table.scrollTo(proxy_index, QAbstractItemView.ScrollHint.EnsureVisible)
            else:
                selection.clearSelection()
        finally:
            self._syncing = False

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing or not current.isValid():
            return
        row = self._source_row(current)
        self.row_activated.emit(row)
        if self._player is not None:
            self._player.jump(row)

    def _on_rows_inserted(self, *_args: Any) -> None:
        if not self._settle_timer.isActive():
            self._settle_timer.start()

    def _settle_appends(self) -> None:
        self._update_count()
        if self.follow_box.isChecked():
            self.table.scrollToBottom()

    def _on_context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        from authflow.app.views.request_copy import copy_request

        row = self._source_row(index)
        menu = QMenu(self)
        menu.addAction("Copy as curl", lambda: copy_request(self.model.trace, row, "curl"))
        menu.addAction("Copy as raw HTTP", lambda: copy_request(self.model.trace, row, "raw"))
        menu.exec(self.table.viewport().mapToGlobal(pos))
