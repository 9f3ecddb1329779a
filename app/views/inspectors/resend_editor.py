"""Edit and resend: change a request's headers, cookies, body or token by hand and send it.

The editor only builds a `send` step; the simulator re-runs the lesson with it appended,
so the answer (401, 200, a rejected cookie) is the server's real verification. Input
that could not be a request gets a clear message here instead (see request_edit.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QSignalBlocker, QSize, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from authflow.app import plain_text
from authflow.app.views.inspectors import clock_text
from authflow.app.views.inspectors.base import mono_font
from authflow.app.views.inspectors.request_edit import (
    EditError,
    edit_token,
    parse_body,
    parse_headers,
    parse_method,
    parse_path,
)
from authflow.app.views.inspectors.tints import verdict_color
from authflow.simulator.analysis.token_report import decode_jwt, looks_like_jwt, time_value
from authflow.simulator.config import json_text
from authflow.simulator.trace.clock import START_EPOCH
from authflow.simulator.trace.details import RequestDetail
from authflow.simulator.trace.trace import Step

SKIPPED_HEADERS = frozenset({"host", "content-length"})
SIDE_BY_SIDE_PX = 820
"""From this width (at 96 dpi) the request and its token sit side by side."""
"""Headers the sender computes itself; editing them would only confuse the lesson."""
SIGNATURE_CHOICES = (
    "Keep the original signature (tampering)",
    "Re-sign with the key typed below",
    "Remove the signature (for an alg: none forgery)",
)


def _editor(lines: int) -> QPlainTextEdit:
    editor = QPlainTextEdit()
    editor.setFont(mono_font())
    editor.setTabChangesFocus(True)
    editor.setMinimumHeight(editor.fontMetrics().lineSpacing() * lines + 12)
    return editor


class ResendEditor(QWidget):
    """A request form; Send hands a `send` Step to `send_step` (RunController.append_step)."""

    sent = Signal(object)
    """Emitted with the Step after the simulator accepted it."""

    def __init__(
        self, send_step: Callable[[Step], None] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.send_step = send_step
        self.now_t: float | None = None
        """Simulated time of the event the form was loaded from (to read exp/iat)."""
        self.start_epoch = float(START_EPOCH)
        self.sender_box = QComboBox()
        self.sender_box.addItem("the victim's browser", "browser")
        self.sender_box.addItem("the attacker's machine", "attacker")
        self.method = QComboBox()
        self.method.setEditable(True)
        self.method.addItems(["GET", "POST"])
        self.path = QLineEdit("/api/profile")
        self.headers = _editor(2)
        self.headers.setPlaceholderText("Authorization: Bearer eyJ…\nCookie: sid=…")
        self.body = _editor(1)
        self.body.setPlaceholderText('{"amount": 100, "to": "mallory"}  (empty: no body)')
        form = QFormLayout()
        line = QHBoxLayout()
        line.addWidget(self.method)
        line.addWidget(self.path, 1)
        form.addRow("Send from", self.sender_box)
        form.addRow("Request", line)
        form.addRow("Headers", self.headers)
        form.addRow("Body (JSON)", self.body)

        self.token_box = QGroupBox("Token in the headers (decoded; edit the JSON)")
        self.token_pick = QComboBox()
        self.token_pick.currentIndexChanged.connect(self._load_token)
        self.token_header = QLineEdit()
        self.token_header.setFont(mono_font())
        self.token_payload = _editor(3)
        self.signing = QComboBox()
        self.signing.addItems(SIGNATURE_CHOICES)
        for combo in (self.token_pick, self.signing):
            # Long choices must not hold the inspector area wider than a laptop allows.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(14)
        self.key = QLineEdit()
        self.key.setPlaceholderText("key to re-sign with (for HS256: the shared secret)")
        self.apply = QPushButton("Put the edited token in the headers")
        self.apply.clicked.connect(self.apply_token)
        token_form = QFormLayout(self.token_box)
        token_form.setVerticalSpacing(4)
        token_form.addRow("Token", self.token_pick)
        token_form.addRow("Header", self.token_header)
        token_form.addRow("Payload", self.token_payload)
        self.claim_times = plain_text.label()
        self.claim_times.setWordWrap(True)
        token_form.addRow("", self.claim_times)
        self.token_payload.textChanged.connect(self._show_claim_times)
        token_form.addRow("Signature", self.signing)
        token_form.addRow("Key", self.key)
        token_form.addRow("", self.apply)

        self.message = plain_text.label()  # the server's answer quotes what was sent
        self.message.setWordWrap(True)
        self.send_button = QPushButton("Send")
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self.send)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.send_button)
        # Request above its token in a narrow panel (the inspector area beside the
        # stage), side by side in a wide one (below it): see resizeEvent.
        self.columns = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        columns = self.columns
        columns.addLayout(form, 3)
        columns.addWidget(self.token_box, 2)
        # The form scrolls inside its panel rather than holding the inspector area (and
        # so the window) larger than a laptop's screen leaves it.
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(0, 0, 0, 0)
        inner_layout.addLayout(columns, 1)
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)
        self.headers.textChanged.connect(self._refresh_tokens)
        self._tokens: list[tuple[int, str]] = []
        self._refresh_tokens()
        self.message.setText(
            "Start from a request: Headers → “Edit and resend…”, or Token decoder → "
            "“Edit and resend…”; or type one here."
        )

    def sizeHint(self) -> QSize:
        return QSize(900, 260)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        wide = event.size().width() >= SIDE_BY_SIDE_PX * self.logicalDpiX() / 96
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self.columns.direction() != direction:
            self.columns.setDirection(direction)

    # -- loading -------------------------------------------------------------------------

    def set_clock(self, now_t: float | None, start_epoch: float) -> None:
        """The simulated time the user is looking at, so claims read as times, not numbers."""
        self.now_t = now_t
        self.start_epoch = start_epoch
        self._show_claim_times()

    def _show_claim_times(self) -> None:
        try:
            payload = json_text.loads(self.token_payload.toPlainText() or "{}")
        except json_text.JsonTextError:
            self.claim_times.setText("")
            return
        parts = []
        for claim in ("iat", "nbf", "exp"):
            seconds = time_value(payload.get(claim) if isinstance(payload, dict) else None)
            if seconds is not None:
                t = clock_text.epoch_to_t(seconds, self.start_epoch)
                when = clock_text.at(t)
                if self.now_t is not None and claim == "exp":
                    when += f" ({clock_text.until(t, self.now_t)})"
                parts.append(f"{claim} = {when}")
        self.claim_times.setText("  ·  ".join(parts))

    def load_request(self, detail: Mapping[str, Any]) -> None:
        """Fill the form from a request event's detail (Headers inspector's "Edit and resend")."""
        request = RequestDetail.of(detail)
        sender = "attacker" if request.origin_actor == "attacker" else "browser"
        self.sender_box.setCurrentIndex(self.sender_box.findData(sender))
        self.method.setCurrentText(request.method or "GET")
        self.path.setText(request.path or "/")
        lines = [f"{n}: {v}" for n, v in request.headers if n.lower() not in SKIPPED_HEADERS]
        self.headers.setPlainText("\n".join(lines))
        body = request.body
        self.body.setPlainText("" if body is None else json.dumps(body, indent=2))
        self.show_message("Edit anything, then Send: the simulated server answers.", ok=True)

    def load_token(self, token: str, request: Mapping[str, Any] | None = None) -> None:
        """Edit `token`: in `request` when it carries it, else in a GET /api/profile."""
        if request is not None and any(token in v for _n, v in RequestDetail.of(request).headers):
            self.load_request(request)
        else:
            header = (
                f"Authorization: Bearer {token}"
                if looks_like_jwt(token)
                else f"Cookie: sid={token}"
            )
            self.load_request(
                {
                    "method": "GET",
                    "path": "/api/profile",
                    "headers": [],
                    "body": None,
                    "origin_actor": "attacker",
                }
            )
            self.headers.setPlainText(header)
        for row, (_, value) in enumerate(self._tokens):
            if value == token:
                self.token_pick.setCurrentIndex(row)

    def _refresh_tokens(self) -> None:
        found: list[tuple[int, str]] = []
        for number, line in enumerate(self.headers.toPlainText().splitlines()):
            for word in re.split(r"[\s;=,]+", line.partition(":")[2]):
                if looks_like_jwt(word):
                    found.append((number, word))
        if found == self._tokens:
            return
        current = self.token_pick.currentText()
        self._tokens = found
        with QSignalBlocker(self.token_pick):
            self.token_pick.clear()
            for number, value in found:
                name = self.headers.toPlainText().splitlines()[number].partition(":")[0]
                self.token_pick.addItem(f"{name.strip()}: {value[:24]}…")
            index = self.token_pick.findText(current)
            self.token_pick.setCurrentIndex(max(index, 0))
        self.token_box.setEnabled(bool(found))
        self._load_token()

    def _load_token(self) -> None:
        row = self.token_pick.currentIndex()
        if not 0 <= row < len(self._tokens):
            self.token_header.setText("")
            self.token_payload.setPlainText("")
            return
        parts = decode_jwt(self._tokens[row][1])
        self.token_header.setText(json.dumps(dict(parts.header or {}), ensure_ascii=False))
        self.token_payload.setPlainText(
            json.dumps(dict(parts.payload or {}), indent=1, ensure_ascii=False)
        )

    # -- editing and sending -------------------------------------------------------------

    def apply_token(self) -> bool:
        """Re-encode the edited token and put it in place of the old one in the headers."""
        row = self.token_pick.currentIndex()
        if not 0 <= row < len(self._tokens):
            self.show_message("There is no JWT in the headers to edit.", ok=False)
            return False
        number, old = self._tokens[row]
        try:
            new = edit_token(
                old,
                self.token_header.text(),
                self.token_payload.toPlainText(),
                self.signing.currentIndex(),
                self.key.text(),
            )
        except EditError as exc:
            self.show_message(str(exc), ok=False)
            return False
        lines = self.headers.toPlainText().splitlines()
        lines[number] = lines[number].replace(old, new)
        self.headers.setPlainText("\n".join(lines))
        how = ("kept the old signature", "re-signed it", "removed the signature")
        self.show_message(f"Token re-encoded ({how[self.signing.currentIndex()]}).", ok=True)
        return True

    def build_step(self) -> Step:
        """The `send` step for what the form says; raises EditError for impossible input."""
        method = parse_method(self.method.currentText())
        path = parse_path(self.path.text())
        headers = parse_headers(self.headers.toPlainText())
        body = parse_body(self.body.toPlainText())
        sender = str(self.sender_box.currentData() or "browser")
        who = "the browser" if sender == "browser" else "the attacker"
        return Step(
            "send",
            {"from": sender, "method": method, "path": path, "headers": headers, "body": body},
            f"A hand-edited {method} {path} is sent from {who}.",
        )

    def send(self) -> Step | None:
        try:
            step = self.build_step()
        except EditError as exc:
            self.show_message(str(exc), ok=False)
            return None
        if self.send_step is None:
            self.show_message("Nothing to send to: no run is loaded.", ok=False)
            return None
        try:
            self.send_step(step)
        except Exception as exc:  # the simulator refusing input must not close the app
            self.show_message(f"The simulator could not run this request: {exc}", ok=False)
            return None
        self.show_message("Sent: the server's answer is the new last event of the run.", ok=True)
        self.sent.emit(step)
        return step

    def show_message(self, text: str, ok: bool) -> None:
        mark = "✔" if ok else "⚠"
        self.message.setText(f"{mark} {text}")
        self.message.setStyleSheet(f"color: {verdict_color(self, ok).name()};")
