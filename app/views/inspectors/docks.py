"""The inspectors of one window, and edit-and-resend wired between them.

Their docks appear with the window (app/window/panels.py docks them), but the inspectors inside
(and so the simulator, PyJWT and cryptography they import) are built when the first
trace arrives: the main window paints its first frame before importing the simulator,
and this keeps it so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDockWidget, QWidget

if TYPE_CHECKING:
    from authflow.app.session.player import Player
    from authflow.app.session.run_controller import RunController
    from authflow.app.views.inspectors.cookies_view import CookiesInspector
    from authflow.app.views.inspectors.headers import HeadersInspector
    from authflow.app.views.inspectors.resend_editor import ResendEditor
    from authflow.app.views.inspectors.storage_view import StorageInspector
    from authflow.app.views.inspectors.store_view import StoreInspector
    from authflow.app.views.inspectors.token_decoder import TokenDecoder

TITLES: tuple[str, ...] = (
    "Cookies",
    "Headers",
    "Token decoder",
    "Store",
    "Browser storage",
    "Edit and resend",
)


class Inspectors(QObject):
    """The inspector docks of one window; `build()` fills them (once)."""

    def __init__(self, player: Player, controller: RunController, parent: QObject) -> None:
        super().__init__(parent)
        self.player = player
        self.controller = controller
        self.docks: dict[str, QDockWidget] = {}
        self.built = False
        self.cookies: CookiesInspector | None = None
        self.headers: HeadersInspector | None = None
        self.token: TokenDecoder | None = None
        self.store: StoreInspector | None = None
        self.storage: StorageInspector | None = None
        self.resend: ResendEditor | None = None

    def build(self, _trace: object = None) -> None:
        """Create the inspectors, put them in their docks and follow the player."""
        if self.built:
            return
        self.built = True
        self.player.trace_changed.disconnect(self.build)
        from authflow.app.views.inspectors.cookies_view import CookiesInspector
        from authflow.app.views.inspectors.headers import HeadersInspector
        from authflow.app.views.inspectors.resend_editor import ResendEditor
        from authflow.app.views.inspectors.storage_view import StorageInspector
        from authflow.app.views.inspectors.store_view import StoreInspector
        from authflow.app.views.inspectors.token_decoder import TokenDecoder

        self.cookies = CookiesInspector(self.player)
        self.headers = HeadersInspector(self.player)
        self.token = TokenDecoder(self.player)
        self.store = StoreInspector(self.player)
        self.storage = StorageInspector(self.player)
        self.resend = ResendEditor(self.controller.append_step)
        widgets: tuple[QWidget, ...] = (
            self.cookies,
            self.headers,
            self.token,
            self.store,
            self.storage,
            self.resend,
        )
        for title, widget in zip(TITLES, widgets, strict=True):
            old = self.docks[title].widget()
            self.docks[title].setWidget(widget)
            if old is not None:
                old.deleteLater()
        self.headers.edit_requested.connect(self._edit_request)
        self.token.edit_token.connect(self._edit_token)
        # The answer to a hand-made request is the run's newest events: show its headers.
        self.resend.sent.connect(lambda _step: self.raise_dock("Headers"))

    def raise_dock(self, title: str) -> None:
        dock = self.docks[title]
        dock.show()
        dock.raise_()

    def _set_clock(self) -> None:
        from authflow.app.views.inspectors.trace_lookup import start_epoch

        event, trace = self.player.current_event, self.player.trace
        if self.resend is not None and trace is not None:
            self.resend.set_clock(None if event is None else event.t, start_epoch(trace))

    def _edit_request(self, detail: object) -> None:
        if isinstance(detail, dict) and self.resend is not None:
            self._set_clock()
            self.resend.load_request(detail)
            self.raise_dock("Edit and resend")

    def _edit_token(self, token: str) -> None:
        from authflow.app.views.inspectors.trace_lookup import plain

        if self.resend is None or self.headers is None:
            return
        request = self.headers.request_event
        self._set_clock()
        self.resend.load_token(token, None if request is None else plain(request.detail))
        self.raise_dock("Edit and resend")
