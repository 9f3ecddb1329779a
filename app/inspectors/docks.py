"""Puts the inspectors into the main window as tabbed docks and wires edit-and-resend."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from app.inspectors.cookies_view import CookiesInspector
from app.inspectors.headers import HeadersInspector
from app.inspectors.resend_editor import ResendEditor
from app.inspectors.storage_view import StorageInspector
from app.inspectors.store_view import StoreInspector
from app.inspectors.token_decoder import TokenDecoder
from app.inspectors.trace_lookup import plain
from app.player import Player
from app.run_controller import RunController


class InspectorHost(Protocol):
    """What the main window offers the inspectors."""

    player: Player
    controller: RunController

    def add_dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget: ...


@dataclass
class Inspectors:
    cookies: CookiesInspector
    headers: HeadersInspector
    store: StoreInspector
    storage: StorageInspector
    token: TokenDecoder
    resend: ResendEditor
    docks: dict[str, QDockWidget]


def install_inspectors(window: Any) -> Inspectors:
    """Create every inspector, dock them as tabs at the bottom, and follow the player."""
    player: Player = window.player
    controller: RunController = window.controller
    inspectors = Inspectors(
        cookies=CookiesInspector(player),
        headers=HeadersInspector(player),
        store=StoreInspector(player),
        storage=StorageInspector(player),
        token=TokenDecoder(player),
        resend=ResendEditor(controller.append_step),
        docks={},
    )
    area = Qt.DockWidgetArea.BottomDockWidgetArea
    widgets: tuple[tuple[str, QWidget], ...] = (
        ("Cookies", inspectors.cookies),
        ("Headers", inspectors.headers),
        ("Token decoder", inspectors.token),
        ("Store", inspectors.store),
        ("Browser storage", inspectors.storage),
        ("Edit and resend", inspectors.resend),
    )
    first: QDockWidget | None = None
    for title, widget in widgets:
        dock = window.add_dock(title, widget, area)
        dock.setObjectName(f"inspector-{title.lower().replace(' ', '-')}")
        inspectors.docks[title] = dock
        if first is None:
            first = dock
        elif isinstance(window, QMainWindow):
            window.tabifyDockWidget(first, dock)
    if first is not None:
        first.raise_()

    def edit_request(detail: object) -> None:
        if isinstance(detail, dict):
            inspectors.resend.load_request(detail)
            _raise(inspectors.docks["Edit and resend"])

    def edit_token(token: str) -> None:
        request = inspectors.headers.request_event
        inspectors.resend.load_token(token, None if request is None else plain(request.detail))
        _raise(inspectors.docks["Edit and resend"])

    inspectors.headers.edit_requested.connect(edit_request)
    inspectors.token.edit_token.connect(edit_token)
    # The answer to a hand-made request is its first event; show the headers there.
    inspectors.resend.sent.connect(lambda _step: _raise(inspectors.docks["Headers"]))
    window.inspectors = inspectors
    return inspectors


def _raise(dock: QDockWidget) -> None:
    dock.show()
    dock.raise_()
