"""The headers inspector: the current request and its response as tables, body and raw HTTP."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QEvent,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from authflow.app.session.player import Player
from authflow.app.views.inspectors.base import TraceInspector, caption, mono_font
from authflow.app.views.inspectors.pair_model import PairModel
from authflow.app.views.inspectors.tints import change_brush
from authflow.app.views.inspectors.trace_lookup import plain, request_for, response_to
from authflow.app.views.request_copy import request_text_of
from authflow.simulator.trace.details import ResponseDetail, as_request, as_response
from authflow.simulator.trace.trace import Event
from authflow.simulator.web import http

CREDENTIAL_HEADERS = frozenset({"cookie", "authorization", "set-cookie", "x-csrf-token"})
CREDENTIAL_ROLE = Qt.ItemDataRole.UserRole + 1


class HeadersModel(PairModel):
    """An ordered header list; credential-bearing headers bold and tinted."""

    HEADERS = ("Header", "Value")

    def set_headers(self, headers: Sequence[Sequence[Any]]) -> None:
        self.set_rows([(str(h[0]), str(h[1])) for h in headers if len(h) == 2])

    def is_credential(self, row: int) -> bool:
        return self._rows[row][0].lower() in CREDENTIAL_HEADERS

    def extra_data(self, row: int, role: int) -> Any:
        credential = self.is_credential(row)
        if role == Qt.ItemDataRole.FontRole and credential:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and credential:
            return change_brush("credential")
        if role == CREDENTIAL_ROLE:
            return credential
        return None


def body_text(body: Any) -> str:
    """A JSON body pretty-printed, a text body (a page) as it is, or a note that there is none."""
    if body is None:
        return "(no body)"
    if isinstance(body, str):
        return body
    return json.dumps(plain(body), indent=2, ensure_ascii=False)


def raw_response(response: ResponseDetail) -> str:
    return http.Response(response.status, response.headers, plain(response.body)).raw()


def _mono(editor: QPlainTextEdit) -> QPlainTextEdit:
    editor.setReadOnly(True)
    editor.setFont(mono_font())
    editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
    return editor


class _Half(QWidget):
    """One message (request or response): a caption, the header table and the body."""

    def __init__(self) -> None:
        super().__init__()
        self.title = caption()
        self.model = HeadersModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.setWordWrap(False)
        self.body = _mono(QPlainTextEdit())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.body, 2)

    def set_message(self, title: str, headers: Sequence[Sequence[Any]], body: str) -> None:
        self.title.setText(title)
        self.model.set_headers(headers)
        self.body.setPlainText(body)
        self.fit_name_column()

    def fit_name_column(self) -> None:
        """Show header names whole: as wide as the longest, at least "Content-Type"
        wide, at most half the table (a long name then elides in the middle)."""
        self.table.resizeColumnToContents(0)
        chars = self.table.fontMetrics().horizontalAdvance("Content-Type") + 24
        most = max(chars, self.table.viewport().width() // 2)
        width = self.table.columnWidth(0)
        self.table.setColumnWidth(0, min(max(width, chars), most))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.fit_name_column()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_name_column()


class HeadersInspector(TraceInspector):
    """Request and response of the current step; copy as curl or raw HTTP; edit and resend."""

    edit_requested = Signal(object)
    """Emitted with the request event's detail (a dict) when the user asks to edit it."""

    def __init__(self, player: Player | None = None, parent: QWidget | None = None) -> None:
        super().__init__(player, parent)
        self.request_event: Event | None = None
        self.response_event: Event | None = None
        self.request_half = _Half()
        self.response_half = _Half()
        # Side by side: inspectors dock below the stage, wide and short.
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.request_half)
        split.addWidget(self.response_half)
        self.raw = _mono(QPlainTextEdit())
        self.raw.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.tabs = QTabWidget()
        self.tabs.addTab(split, "Headers")
        self.tabs.addTab(self.raw, "Raw HTTP")
        self.copy_curl = QPushButton("Copy as curl")
        self.copy_raw = QPushButton("Copy raw HTTP")
        self.edit = QPushButton("Edit and resend…")
        self.copy_curl.clicked.connect(self._copy_curl)
        self.copy_raw.clicked.connect(self._copy_raw)
        self.edit.clicked.connect(self._edit)
        buttons = QHBoxLayout()
        for button in (self.copy_curl, self.copy_raw, self.edit):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.tabs)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        trace, index = self.trace, self.index
        request = None if trace is None else request_for(trace, index)
        response = None
        if trace is not None and request is not None:
            response = response_to(trace, index, request)
        self.request_event, self.response_event = request, response
        for button in (self.copy_curl, self.copy_raw, self.edit):
            button.setEnabled(request is not None)
        if request is None:
            self.request_half.set_message("No request in this step yet.", (), "")
            self.response_half.set_message("", (), "")
            self.raw.setPlainText("")
            return
        d = as_request(request)
        who = "attacker" if d.origin_actor == "attacker" else str(request.src)
        where = " · cross-site" if d.context.cross_site else ""
        blocked = f" · BLOCKED by the browser: {d.block_reason}" if d.blocked else ""
        self.request_half.set_message(
            f"Request from {who}: {d.method} {d.url}{where}{blocked}",
            d.headers,
            body_text(d.body),
        )
        # The raw text needs a whole request: a detail without a method or URL says so.
        raw = self._safe(request_text_of, request.detail, "raw")
        if response is None:
            self.response_half.set_message("Response: not yet (step forward)", (), "")
        else:
            r = as_response(response)
            self.response_half.set_message(
                f"Response: {r.status or ''} {r.reason}", r.headers, body_text(r.body)
            )
            raw += "\n\n" + self._safe(raw_response, r)
        self.raw.setPlainText(raw)

    @staticmethod
    def _safe(render: Any, detail: object, *form: str) -> str:
        try:
            return str(render(detail, *form))
        except (KeyError, TypeError, ValueError) as exc:
            return f"(cannot render: {exc})"

    def _copy_curl(self) -> None:
        if self.request_event is not None:
            text = self._safe(request_text_of, self.request_event.detail, "curl")
            QGuiApplication.clipboard().setText(text)

    def _copy_raw(self) -> None:
        if self.request_event is not None:
            text = self._safe(request_text_of, self.request_event.detail, "raw")
            QGuiApplication.clipboard().setText(text)

    def _edit(self) -> None:
        if self.request_event is not None:
            self.edit_requested.emit(plain(self.request_event.detail))
