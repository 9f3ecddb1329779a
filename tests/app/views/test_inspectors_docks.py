"""app/views/inspectors/docks.py: the inspectors dock into the main window and follow its player."""

from __future__ import annotations

import sys
from typing import Any

from authflow.app.views.inspectors.cookies_view import CookiesInspector
from authflow.app.views.inspectors.docks import TITLES, Inspectors
from authflow.app.views.inspectors.resend_editor import ResendEditor


def inspectors_of(window: Any) -> Inspectors:
    inspectors = window.parts.inspectors
    assert isinstance(inspectors, Inspectors)
    return inspectors


def test_six_tabbed_docks_listed_in_the_view_menu(window: Any) -> None:
    inspectors = inspectors_of(window)
    assert list(inspectors.docks) == list(TITLES)
    actions = window.menus.view.actions()
    for dock in inspectors.docks.values():
        assert dock.toggleViewAction() in actions
    tabbed = window.tabifiedDockWidgets(inspectors.docks["Cookies"])
    assert set(tabbed) == {inspectors.docks[t] for t in TITLES[1:]}
    assert isinstance(inspectors.docks["Cookies"].widget(), CookiesInspector)
    assert isinstance(inspectors.docks["Edit and resend"].widget(), ResendEditor)


def test_inspectors_follow_the_windows_player(window: Any) -> None:
    inspectors = inspectors_of(window)
    assert inspectors.cookies is not None
    trace = window.player.trace
    stored = next(e.seq for e in trace.events if e.kind == "cookie")
    window.player.jump(stored)
    assert [r.cookie.name for r in inspectors.cookies.jar_model.rows] == ["sid"]
    window.player.jump(0)
    assert inspectors.cookies.jar_model.rows == []


def test_edit_and_resend_from_the_headers_inspector(window: Any, qtbot) -> None:
    inspectors = inspectors_of(window)
    assert inspectors.headers is not None
    assert inspectors.resend is not None
    trace = window.player.trace
    profile = next(e.seq for e in trace.events if e.kind == "request" and "profile" in e.label)
    window.player.jump(profile)
    inspectors.headers.edit.click()
    assert inspectors.resend.path.text() == "/api/profile"
    assert "Cookie: sid=" in inspectors.resend.headers.toPlainText()
    steps = len(trace.steps)
    with qtbot.waitSignal(inspectors.resend.sent):
        inspectors.resend.send_button.click()
    assert len(window.player.trace.steps) == steps + 1
    assert window.player.trace.steps[-1].action == "send"


def test_edit_token_from_the_decoder(window: Any) -> None:
    inspectors = inspectors_of(window)
    assert inspectors.token is not None
    assert inspectors.resend is not None
    trace = window.player.trace
    profile = next(e.seq for e in trace.events if e.kind == "request" and "profile" in e.label)
    window.player.jump(profile)
    assert inspectors.token.found[0].kind == "signed"
    inspectors.token.edit.click()
    assert inspectors.token.found[0].value in inspectors.resend.headers.toPlainText()


def test_window_construction_does_not_import_the_simulator() -> None:
    import subprocess

    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from authflow.app.window.shell import MainWindow\n"
        "w = MainWindow(scenario='basics', mode='jwt', seed=1, animation_ms=0)\n"
        # The package itself loads its names lazily; the views read the list of modes and
        # the trace's typed records, which import nothing else (their packages' __init__
        # files hold a docstring only).
        "light = {'simulator', 'authflow.simulator.config', 'authflow.simulator.config.modes',\n"
        "         'authflow.simulator.trace', 'authflow.simulator.trace.details'}\n"
        "roots = ('simulator', 'jwt', 'cryptography')\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in roots]\n"
        "print(sorted(set(heavy) - light))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"
