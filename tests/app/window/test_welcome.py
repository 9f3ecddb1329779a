"""First-run welcome (once, then never again) and Help > About."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QSize
from PySide6.QtWidgets import QApplication, QWidget

from authflow.app import gui
from authflow.app.window import persistence, welcome
from authflow.app.window.shell import MainWindow


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
    about = window.parts.about
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
    from authflow.app.views.palette import LIGHT

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


def shown_welcomes() -> list[welcome.WelcomeDialog]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, welcome.WelcomeDialog) and w.isVisible()
    ]


def test_on_a_projector_the_welcome_is_as_large_as_the_window(
    window: MainWindow, settings: QSettings
) -> None:
    window.show()
    system = window.font().pointSizeF()
    window.resize(3840, 2160)
    window.scale_for_screen(QSize(3840, 2160))  # a projector's screen
    grown = window.font().pointSizeF()
    assert grown > system * 1.8
    dialog = welcome.show_if_first_run(window, settings)
    assert dialog is not None
    labels = dialog.findChildren(welcome.QLabel)
    for widget in [*labels, *dialog.buttons.values()]:
        assert widget.font().pointSizeF() == pytest.approx(grown), widget.text()
    # Every wrapped sentence has the height its lines need: none is cut off.
    for label in labels:
        assert label.height() >= label.heightForWidth(label.width()), label.text()
    # Back on a laptop the welcome follows the window down again.
    window.resize(1366, 768)
    window.scale_for_screen(QSize(1366, 768))
    assert dialog.buttons["jwt"].font().pointSizeF() == pytest.approx(system)
    assert dialog.width() < 500
    dialog.reject()


def launch(qtbot: Any, argv: list[str], settings: QSettings) -> MainWindow:
    """`authflow ARGV` as far as the first run, with the test's settings."""
    win = gui.open_window(gui.parse_args(argv), QSize(1366, 768), settings)
    qtbot.addWidget(win)
    gui.show_window(win, gui.parse_args(argv))
    qtbot.waitUntil(lambda: win.player.trace is not None, timeout=20000)
    return win


def close(win: MainWindow) -> None:
    for dialog in shown_welcomes():
        dialog.close()
    win.shutdown()
    win.parts.themes.restore_application()


def test_a_plain_first_launch_greets_with_the_lesson_it_starts(
    qtbot: Any, settings: QSettings
) -> None:
    win = launch(qtbot, ["--seed", "1"], settings)
    try:
        dialogs = shown_welcomes()
        assert len(dialogs) == 1
        text = " ".join(label.text() for label in dialogs[0].findChildren(welcome.QLabel))
        assert "Start the <b>basics</b> lesson" in text
        assert win.player.trace is not None
        assert win.player.trace.scenario == "basics"
        dialogs[0].buttons["hybrid"].click()
        assert (win.player.trace.scenario, win.player.trace.mode) == ("basics", "hybrid")
    finally:
        close(win)


@pytest.mark.parametrize(
    ("argv", "lesson", "mode"),
    [
        (["--lesson", "expiry"], "expiry", "session"),
        (["--mode", "jwt"], "basics", "jwt"),
        (["--step", "3"], "basics", "session"),
    ],
)
def test_a_launch_that_names_what_to_show_is_not_greeted(
    qtbot: Any, settings: QSettings, argv: list[str], lesson: str, mode: str
) -> None:
    win = launch(qtbot, [*argv, "--seed", "1"], settings)
    try:
        assert shown_welcomes() == []
        assert win.player.trace is not None
        assert (win.player.trace.scenario, win.player.trace.mode) == (lesson, mode)
        # Not dismissed either: the next plain launch is still a first one.
        assert not welcome.dismissed(settings)
    finally:
        close(win)


def test_a_typed_mode_beats_the_remembered_one_and_the_lesson_is_still_restored(
    qtbot: Any, settings: QSettings
) -> None:
    settings.setValue(persistence.LESSON, "expiry")
    settings.setValue(persistence.MODE, "hybrid")
    win = launch(qtbot, ["--mode", "jwt", "--seed", "1"], settings)
    try:
        assert win.player.trace is not None
        assert (win.player.trace.scenario, win.player.trace.mode) == ("expiry", "jwt")
        assert win.mode_actions["jwt"].isChecked()
    finally:
        close(win)
    # Without a typed mode the remembered one comes back.
    win = launch(qtbot, ["--seed", "1"], settings)
    try:
        assert win.player.trace is not None
        assert (win.player.trace.scenario, win.player.trace.mode) == ("expiry", "hybrid")
    finally:
        close(win)


def test_present_on_the_command_line_starts_presenting_without_a_welcome(
    qtbot: Any, settings: QSettings
) -> None:
    win = launch(qtbot, ["--present", "--seed", "1"], settings)
    try:
        presenter = win.parts.presenter
        assert presenter.active
        assert presenter.action.isChecked()
        assert win.menuBar().isHidden()
        assert shown_welcomes() == []
        # F5 (the same action) leaves it, as from a presentation started by hand.
        presenter.action.trigger()
        assert not presenter.active
        assert not win.menuBar().isHidden()
    finally:
        close(win)
