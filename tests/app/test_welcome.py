"""First-run welcome (once, then never again) and Help > About."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from app import persistence, welcome
from app.main_window import MainWindow


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return persistence.open_settings("AuthflowTests", "welcome", tmp_path)


def test_first_run_offers_basics_in_each_mode(window: MainWindow, settings: QSettings) -> None:
    window.set_lesson("csrf")
    dialog = welcome.show_if_first_run(window, settings)
    assert dialog is not None
    assert not dialog.isHidden()
    assert set(dialog.buttons) == {"session", "jwt", "hybrid", ""}
    text = " ".join(label.text() for label in dialog.findChildren(welcome.QLabel))
    for actor in ("Browser", "Server", "Store"):
        assert actor in text
    dialog.buttons["jwt"].click()
    assert dialog.isHidden()
    assert window.controller.scenario == "basics"
    assert window.controller.mode == "jwt"
    assert window.player.index == -1
    assert welcome.dismissed(settings)
    assert welcome.show_if_first_run(window, settings) is None


def test_closing_also_dismisses_for_good(window: MainWindow, settings: QSettings) -> None:
    dialog = welcome.show_if_first_run(window, settings)
    assert dialog is not None
    dialog.buttons[""].click()
    assert window.controller.mode == "session"
    assert welcome.show_if_first_run(window, settings) is None


def test_welcome_buttons_have_names(window: MainWindow, settings: QSettings) -> None:
    dialog = welcome.show_if_first_run(window, settings)
    assert dialog is not None
    assert all(b.accessibleName() for b in dialog.buttons.values())
    dialog.reject()


def test_about_names_the_version_and_libraries(window: MainWindow) -> None:
    shown: list[tuple[str, str]] = []
    about = window.about_action
    about.show_about = lambda parent, title, text: shown.append((title, text))
    about.trigger()
    assert len(shown) == 1
    title, text = shown[0]
    assert title == "About Authflow"
    assert metadata.version("authflow") in text
    for name in ("PyJWT", "cryptography", "itsdangerous", "Qt", "Python"):
        assert name in text
    assert metadata.version("PyJWT") in text
    assert isinstance(about.parent(), QWidget)
    assert about in [a for m in window.menuBar().actions() if m.menu() for a in m.menu().actions()]


def test_choosing_before_the_first_run_sets_what_it_runs(
    qtbot: object, settings: QSettings
) -> None:
    from app.palette import LIGHT

    win = MainWindow(scenario="csrf", seed=1, palette=LIGHT, animation_ms=0)
    qtbot.addWidget(win)  # type: ignore[attr-defined]
    dialog = welcome.show_if_first_run(win, settings)
    assert dialog is not None
    dialog.buttons["hybrid"].click()
    win.start(-1)
    assert win.player.trace is not None
    assert (win.player.trace.scenario, win.player.trace.mode) == ("basics", "hybrid")
    assert win.mode_actions["hybrid"].isChecked()
    win.shutdown()
