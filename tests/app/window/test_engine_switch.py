"""Without the live extra, Live says how to install it and the window stays simulated."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


def test_live_without_qt_webengine_says_how_to_install(
    make_window: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from authflow.app.live import INSTALL_HINT
    from authflow.app.window import engine_switch as toolbar

    monkeypatch.setattr(toolbar, "availability", lambda: INSTALL_HINT)
    win = make_window(scenario="basics", mode="session")
    win.start()
    before = win.player.trace
    win.parts.engine.actions["live"].trigger()
    assert win.statusBar().currentMessage() == INSTALL_HINT
    assert 'pip install "authflow[live]"' in INSTALL_HINT
    assert win.parts.engine.actions["simulated"].isChecked()
    assert win.player.trace is before
