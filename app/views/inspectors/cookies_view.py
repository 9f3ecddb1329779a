"""The cookie inspector: the browser's jar at the current event and what a request left out."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QVBoxLayout, QWidget

from authflow.app.session.player import Player
from authflow.app.views.inspectors import clock_text
from authflow.app.views.inspectors.base import TraceInspector, caption, hint
from authflow.app.views.inspectors.cookies_model import COLUMNS, CookieJarModel, LeftOutModel
from authflow.app.views.inspectors.trace_lookup import baseline
from authflow.app.views.wording import plural
from authflow.simulator.trace.details import as_request
from authflow.simulator.trace.exchanges import request_for


def _table(model: CookieJarModel | LeftOutModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setHighlightSections(False)
    return view


class CookiesInspector(TraceInspector):
    """DevTools-style jar table; changed rows tinted and labelled; left-out cookies listed."""

    def __init__(self, player: Player | None = None, parent: QWidget | None = None) -> None:
        super().__init__(player, parent)
        self.jar_model = CookieJarModel(self)
        self.left_out_model = LeftOutModel(self)
        self.title = caption("Cookie jar")
        self.jar_view = _table(self.jar_model)
        header = self.jar_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.left_out_title = hint()
        self.left_out_view = _table(self.left_out_model)
        self.left_out_view.horizontalHeader().setStretchLastSection(True)
        self.left_out_view.setMaximumHeight(120)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.jar_view, 3)
        layout.addWidget(self.left_out_title)
        layout.addWidget(self.left_out_view, 1)
        self.left_out_view.setColumnWidth(0, self.scaled(160))
        self.refresh()

    def fit_to_font(self) -> None:
        self.left_out_view.setColumnWidth(0, self.scaled(160))
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Fit every column to its text; long values stay elided (full text in the tooltip)."""
        self.jar_view.resizeColumnsToContents()
        for column, name in enumerate(COLUMNS):
            limit = self.scaled(260 if name == "Value" else 330)
            width = self.jar_view.columnWidth(column)
            self.jar_view.setColumnWidth(column, max(min(width + 12, limit), self.scaled(60)))

    def refresh(self) -> None:
        trace, index = self.trace, self.index
        if trace is None or not 0 <= index < len(trace.events):
            self.jar_model.set_jar((), None, 0.0)
            self.left_out_model.set_left_out(())
            self.title.setText("Cookie jar: no run yet")
            self.left_out_title.setText("")
            self.left_out_view.setVisible(False)
            return
        event = trace.events[index]
        before = baseline(trace, index)
        self.jar_model.set_jar(
            event.state.cookies, None if before is None else before.cookies, event.t
        )
        self._fit_columns()
        count = len(event.state.cookies)
        changes = sum(1 for r in self.jar_model.rows if r.change)
        self.title.setText(
            f"Browser cookie jar at {clock_text.at(event.t)} — {plural(count, 'cookie')}"
            + (f", {changes} changed by this action (tinted, see Change)" if changes else "")
        )
        request = request_for(trace.events, index)
        if request is None:
            self.left_out_model.set_left_out(())
            self.left_out_title.setText("No request in this step yet.")
            self.left_out_view.setVisible(False)
            return
        left_out = as_request(request).left_out
        self.left_out_model.set_left_out(left_out)
        self.left_out_view.setVisible(bool(left_out))
        self.left_out_title.setText(
            f"Left out of {request.label}: "
            + (plural(len(left_out), "cookie") if left_out else "none")
        )
