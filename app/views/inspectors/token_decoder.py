"""The token decoder: a JWT's header, payload and signature in three labelled colours.

Like jwt.io, but every time claim is read on the simulated clock and the verdict comes
from simulator.analysis.token_report with the server's own key and pinned algorithm. A session
cookie signed with itsdangerous shows its value and signature the same way.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSignalBlocker, Qt, Signal
from PySide6.QtGui import (
    QFont,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from authflow.app import plain_text
from authflow.app.session.player import Player
from authflow.app.views.inspectors.base import TraceInspector, caption, mono_font
from authflow.app.views.inspectors.tints import TOKEN_PARTS, theme_of, token_color, verdict_color
from authflow.app.views.inspectors.token_nodes import (
    is_signed_cookie,
    jwt_nodes,
    opaque_nodes,
    signed_cookie_nodes,
)
from authflow.app.views.inspectors.token_sources import (
    FoundToken,
    ServerKeys,
    find_tokens,
    server_keys,
)
from authflow.app.views.inspectors.trace_lookup import start_epoch
from authflow.app.views.inspectors.tree_model import TreeModel
from authflow.simulator.analysis.token_report import (
    Verdict,
    decode_jwt,
    inspect_signed_cookie,
    verify_jwt,
)

PARTS = ("header", "payload", "signature")
PART_ROLE = Qt.ItemDataRole.UserRole + 2
REQUIRED_CLAIMS = ("exp", "iat", "sub")
"""What the simulated server requires (simulator/server/jwt_tokens.py)."""


class TokenHighlighter(QSyntaxHighlighter):
    """Colours the three dot-separated segments of the text; dots stay plain."""

    def __init__(self, document: QTextDocument, owner: QWidget) -> None:
        super().__init__(document)
        self._owner = owner
        self.mode = "jwt"
        """"jwt"; "signed" (itsdangerous: value, then signature); "opaque" (one part)."""

    def highlightBlock(self, text: str) -> None:
        parts: tuple[str, ...]
        if self.mode == "opaque":
            segments, parts = [text], ("payload",)
        elif self.mode == "signed":
            value, dot, signature = text.rpartition(".")
            segments = [value, signature] if dot else [text]
            parts = ("payload", "signature")
        else:
            segments, parts = text.split("."), PARTS
        start = 0
        for number, segment in enumerate(segments):
            part = parts[min(number, len(parts) - 1)]
            fmt = QTextCharFormat()
            fmt.setForeground(token_color(self._owner, part))
            fmt.setFontWeight(QFont.Weight.Bold)
            self.setFormat(start, len(segment), fmt)
            start += len(segment) + 1


class TokenDecoder(TraceInspector):
    """Pick a token of the current event (or paste one) and read it part by part."""

    edit_token = Signal(str)
    """Emitted with the shown token when the user asks to edit and resend it."""

    PASTED = "Pasted by you"

    def __init__(self, player: Player | None = None, parent: QWidget | None = None) -> None:
        super().__init__(player, parent)
        self.found: list[FoundToken] = []
        self.verdict: Verdict | None = None
        self.kind = "jwt"
        self.source = QComboBox()
        self.source.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.source.setMinimumContentsLength(16)
        self._pinned: str | None = None
        """The token the user picked from the list; kept while later events still hold it."""
        self._pasted = False
        """True once the user pasted or typed a token: it stays while stepping."""
        self._shown = ""
        """The text last analysed."""
        self.source.currentIndexChanged.connect(self._on_source)
        self.source.activated.connect(self._on_activated)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("Paste a JWT (xxxxx.yyyyy.zzzzz) or a signed cookie value")
        self.text.setFont(mono_font())
        self.text.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)
        self.highlighter = TokenHighlighter(self.text.document(), self)
        self.text.textChanged.connect(self._on_text)
        self.legend = [QLabel(), QLabel(), QLabel()]
        for part in self.legend:  # coloured squares: the app's own words, rich on purpose
            part.setTextFormat(Qt.TextFormat.RichText)
        # The verdict quotes the token (its alg): a token must not draw its own "VALID".
        self.verdict_label = plain_text.label()
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = TreeModel(("Part / claim", "Value", "Meaning"), self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.fit_to_font()
        self.edit = QPushButton("Edit and resend…")
        self.edit.clicked.connect(lambda: self.edit_token.emit(self.text.toPlainText().strip()))
        top = QHBoxLayout()
        top.addWidget(caption("Token:"))
        top.addWidget(self.source, 1)
        legend = QHBoxLayout()
        for label in self.legend:
            legend.addWidget(label)
        legend.addStretch(1)
        # The button on a line of its own: beside the legend it kept the inspector area
        # wider than a laptop's stage leaves it.
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.text)
        layout.addLayout(legend)
        layout.addLayout(actions)
        layout.addWidget(self.verdict_label)
        layout.addWidget(self.tree, 1)
        self._paint_legend()
        self.refresh()

    # -- following the trace -------------------------------------------------------------

    def refresh(self) -> None:
        trace, index = self.trace, self.index
        self.found = [] if trace is None else find_tokens(trace, index)
        with QSignalBlocker(self.source):
            self.source.clear()
            for item in self.found:
                self.source.addItem(item.label)
            self.source.addItem(self.PASTED)
        values = [f.value for f in self.found]
        if self._pinned is not None and self._pinned in values:
            choice = values.index(self._pinned)  # the token the user picked, while present
        elif self._pasted:
            with QSignalBlocker(self.source):
                self.source.setCurrentIndex(len(self.found))
            self._analyse()  # a pasted token stays, judged at the new event's time
            return
        else:
            choice = 0  # the most relevant: the current request's own credential first
        with QSignalBlocker(self.source):
            self.source.setCurrentIndex(choice)
        self._on_source(choice)

    def show_token(self, token: str) -> None:
        """Show `token` as if pasted (also what tests and the resend editor call)."""
        self._pasted, self._pinned = True, None
        with QSignalBlocker(self.source):
            self.source.setCurrentIndex(self.source.count() - 1)
        self.text.setPlainText(token)

    def follow_trace(self) -> None:
        """Forget the user's pick or paste: show the current event's own token again."""
        self._pasted, self._pinned = False, None
        self.refresh()

    # -- analysis ------------------------------------------------------------------------

    def _on_activated(self, choice: int) -> None:
        """The user picked a source in the combo box."""
        if 0 <= choice < len(self.found):
            self._pasted, self._pinned = False, self.found[choice].value
        else:
            self._pasted, self._pinned = True, None

    def _on_source(self, choice: int) -> None:
        if 0 <= choice < len(self.found):
            with QSignalBlocker(self.text):
                self.text.setPlainText(self.found[choice].value)
        elif not self.found and choice == self.source.count() - 1 and self.trace is not None:
            with QSignalBlocker(self.text):
                self.text.setPlainText("")
        self._analyse()

    def _on_text(self) -> None:
        text = self.text.toPlainText().strip()
        if text == self._shown:
            return  # re-highlighting also signals textChanged; nothing was typed
        choice = self.source.currentIndex()
        if not 0 <= choice < len(self.found) or text != self.found[choice].value:
            self._pasted, self._pinned = True, None
            with QSignalBlocker(self.source):
                self.source.setCurrentIndex(self.source.count() - 1)
        self._analyse()

    def _keys(self) -> ServerKeys | None:
        return None if self.trace is None else server_keys(self.trace)

    def _now(self) -> tuple[float, float]:
        """(simulated seconds now, Unix time of t = 0)."""
        if self.trace is None or not 0 <= self.index < len(self.trace.events):
            return 0.0, start_epoch(self.trace) if self.trace is not None else 0.0
        return self.trace.events[self.index].t, start_epoch(self.trace)

    def _analyse(self) -> None:
        token = self.text.toPlainText().strip()
        self._shown = token
        now_t, epoch0 = self._now()
        keys = self._keys()
        self.edit.setEnabled(bool(token))
        if not token:
            self.kind = "jwt"
            self.verdict = None
            self.model.set_nodes([])
            self._set_verdict(None, "Nothing to decode: no token in this step. Paste one above.")
            return
        kind = self._kind_of(token)
        if kind != self.highlighter.mode:
            self.highlighter.mode = kind
            self._paint_legend()
        if kind == "opaque":
            self.kind = "opaque"
            self.model.set_nodes(opaque_nodes(token))
            self._set_verdict(
                None,
                "Not signed, so nothing to verify here: the server looks up its hash in the "
                "store (see the Store inspector); unknown, used or revoked means 401.",
            )
        elif kind == "jwt":
            self.kind = "jwt"
            parts = decode_jwt(token)
            self.model.set_nodes(jwt_nodes(parts, now_t, epoch0))
            kid = parts.header.get("kid") if parts.header else None
            key = None if keys is None else keys.key_for(kid)
            if keys is None or key is None:
                verdict = Verdict(False, parts.error) if parts.error else None
                note = (
                    "" if verdict else "cannot verify: the trace does not record the server's key"
                )
                self._set_verdict(verdict, note)
            else:
                verdict = verify_jwt(
                    token, key, [keys.algorithm], epoch0 + now_t, require=REQUIRED_CLAIMS
                )
                named = f" {kid}" if isinstance(kid, str) and kid in keys.jwt_keys else ""
                self._set_verdict(verdict, f"checked with the server's {keys.algorithm} key{named}")
        else:
            self.kind = "signed"
            value = token.split("=", 1)[1] if token.startswith("sid=") else token
            if keys is None or keys.session_secret is None:
                payload, _, signature = value.rpartition(".")
                verdict = None
                note = "cannot verify: the trace does not record the server's session secret"
            else:
                report = inspect_signed_cookie(value, keys.session_secret, keys.session_salt)
                payload, signature = report.payload, report.signature
                verdict = Verdict(report.ok, report.reason)
                note = "itsdangerous signature checked with the server's session secret"
            self.model.set_nodes(signed_cookie_nodes(value, payload, signature))
            self._set_verdict(verdict, note)
        self._colour_nodes()
        self.tree.expandAll()
        self.tree.resizeColumnToContents(1)
        low, high = self.scaled(200), self.scaled(420)
        self.tree.setColumnWidth(1, min(max(self.tree.columnWidth(1), low), high))
        self._fit_part_column()

    def _fit_part_column(self) -> None:
        """Part names (HEADER, PAYLOAD, SIGNATURE) and claim names shown whole."""
        self.tree.resizeColumnToContents(0)
        self.tree.setColumnWidth(0, max(self.tree.columnWidth(0), self.scaled(130)))

    def _kind_of(self, token: str) -> str:
        choice = self.source.currentIndex()
        if 0 <= choice < len(self.found) and self.found[choice].value == token:
            return self.found[choice].kind
        return "signed" if is_signed_cookie(token) else "jwt"

    def _set_verdict(self, verdict: Verdict | None, note: str) -> None:
        self.verdict = verdict
        if verdict is None:
            self.verdict_label.setText(note)
            self.verdict_label.setStyleSheet("font-weight: normal;")
            return
        mark = "✔ VALID" if verdict.ok else "✘ REJECTED"
        text = f"{mark}: {verdict.reason}" + (f" — {note}" if note else "")
        self.verdict_label.setText(text)
        self.verdict_label.setStyleSheet(f"color: {verdict_color(self, verdict.ok).name()};")

    def _root_parts(self) -> tuple[str, ...]:
        return {"jwt": PARTS, "signed": ("payload", "signature")}.get(self.kind, ("payload",))

    def _colour_nodes(self) -> None:
        for node, part in zip(self.model.roots, self._root_parts(), strict=False):
            node.foreground = token_color(self, part)
        self.model.layoutChanged.emit()

    def part_of_root(self, row: int) -> str:
        """Which colour role a top-level row uses (for tests and accessibility checks)."""
        return self._root_parts()[row]

    def _paint_legend(self) -> None:
        theme = theme_of(self)
        mode = self.highlighter.mode
        labels = {
            "jwt": ("HEADER", "PAYLOAD", "SIGNATURE"),
            "signed": ("", "VALUE", "SIGNATURE"),
            "opaque": ("", "OPAQUE TOKEN (random, unsigned)", ""),
        }[mode]
        for label, part, text in zip(self.legend, PARTS, labels, strict=True):
            label.setVisible(bool(text))
            colour = TOKEN_PARTS[theme][part]
            label.setText(
                f"<span style='color:{colour}'>■</span> <b style='color:{colour}'>{text}</b>"
            )
        self.highlighter.rehighlight()

    def fit_to_font(self) -> None:
        """Size the token box in lines, the verdict a size up and the columns, from the
        current font (again on FontChange: the window scales its text with its size)."""
        for column, width in enumerate((130, 260, 360)):
            self.tree.setColumnWidth(column, self.scaled(width))
        self._fit_part_column()
        lines = self.text.fontMetrics().lineSpacing()
        self.text.setMinimumHeight(2 * lines + 12)
        self.text.setMaximumHeight(4 * lines + 12)
        font = QFont(self.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.25)
        else:
            font.setPixelSize(round(font.pixelSize() * 1.25))
        font.setBold(True)
        self.verdict_label.setFont(font)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._paint_legend()
            self._analyse()
        super().changeEvent(event)
