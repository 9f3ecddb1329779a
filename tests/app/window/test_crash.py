"""The crash hook: an error in a Qt slot is logged and shown, and the window carries on."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from authflow.app.window import crash
from authflow.app.window.shell import MainWindow


class Shown:
    """Stands in for the crash dialog: records (summary, details); answers `quit`."""

    def __init__(self, quit: bool = False) -> None:
        self.calls: list[tuple[str, str]] = []
        self.quit = quit

    def __call__(self, summary: str, details: str) -> bool:
        self.calls.append((summary, details))
        return self.quit


class Emitter(QObject):
    fired = Signal()


@pytest.fixture
def shown() -> Shown:
    return Shown()


@pytest.fixture
def handler(tmp_path: Path, shown: Shown) -> Iterator[crash.CrashHandler]:
    # Installed inside the test, over pytest-qt's own hook, and put back afterwards.
    installed = crash.install(log_dir=tmp_path, show=shown)
    yield installed
    installed.uninstall()


def boom() -> None:
    raise RuntimeError("the slot broke")


def test_error_in_a_slot_is_logged_shown_and_the_window_still_works(
    window: MainWindow, handler: crash.CrashHandler, shown: Shown
) -> None:
    emitter = Emitter()
    emitter.fired.connect(boom)
    emitter.fired.emit()
    assert len(shown.calls) == 1
    summary, details = shown.calls[0]
    assert summary == "RuntimeError: the slot broke"
    assert "Traceback" in details
    assert "in boom" in details
    log = handler.log_path.read_text(encoding="utf-8")
    assert "RuntimeError: the slot broke" in log
    assert "PySide6" in log
    # The window carries on: stepping and switching modes still work.
    window.player.jump(3)
    assert window.player.index == 3
    window.set_mode("jwt")
    assert window.controller.mode == "jwt"
    assert window.player.trace is not None
    assert window.player.trace.mode == "jwt"


def test_error_in_a_timer_slot_goes_through_the_hook(
    qtbot: Any, handler: crash.CrashHandler, shown: Shown
) -> None:
    QTimer.singleShot(0, boom)
    qtbot.waitUntil(lambda: len(shown.calls) == 1)
    assert handler.errors == 1


def test_a_repeating_error_shows_one_dialog_and_logs_every_time(
    handler: crash.CrashHandler, shown: Shown
) -> None:
    emitter = Emitter()
    emitter.fired.connect(boom)
    for _ in range(5):
        emitter.fired.emit()
    assert len(shown.calls) == 1
    assert handler.log_path.read_text(encoding="utf-8").count("Authflow error at") == 5


def test_an_error_while_the_dialog_is_up_is_only_logged(tmp_path: Path) -> None:
    calls: list[str] = []
    emitter = Emitter()
    emitter.fired.connect(boom)

    def dialog(summary: str, details: str) -> bool:
        calls.append(summary)
        emitter.fired.emit()  # a repaint under the modal dialog fails again
        return False

    installed = crash.install(log_dir=tmp_path, show=dialog)
    try:
        try:
            raise ValueError("first")
        except ValueError:
            sys.excepthook(*sys.exc_info())
    finally:
        installed.uninstall()
    assert calls == ["ValueError: first"]
    assert installed.errors == 2


def test_quit_from_the_dialog_is_remembered(tmp_path: Path) -> None:
    exits: list[int] = []
    installed = crash.install(log_dir=tmp_path, show=Shown(quit=True), exit_app=exits.append)
    try:
        emitter = Emitter()
        emitter.fired.connect(boom)
        emitter.fired.emit()
    finally:
        installed.uninstall()
    assert installed.quit_requested
    assert exits == [1]


def test_ctrl_c_leaves_without_a_dialog(tmp_path: Path, shown: Shown) -> None:
    exits: list[int] = []
    handler = crash.CrashHandler(tmp_path, shown, exits.append)
    handler.handle(KeyboardInterrupt, KeyboardInterrupt(), None)
    assert exits == [130]
    assert shown.calls == []


def test_uninstall_puts_the_previous_hook_back(tmp_path: Path) -> None:
    before = sys.excepthook
    installed = crash.install(log_dir=tmp_path, show=Shown())
    assert sys.excepthook == installed.handle
    assert crash.installed() is installed
    installed.uninstall()
    assert sys.excepthook == before
    assert crash.installed() is None


def test_an_unwritable_log_is_not_a_second_crash(tmp_path: Path, shown: Shown) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    installed = crash.install(log_dir=blocker / "logs", show=shown)
    try:
        emitter = Emitter()
        emitter.fired.connect(boom)
        emitter.fired.emit()
    finally:
        installed.uninstall()
    assert len(shown.calls) == 1


def test_the_log_rolls_over_when_large(tmp_path: Path) -> None:
    installed = crash.CrashHandler(log_dir=tmp_path, show=Shown())
    installed.log_path.write_text("x" * (crash.MAX_LOG_BYTES + 1), encoding="utf-8")
    installed.write_log("fresh entry")
    assert installed.log_path.read_text(encoding="utf-8").startswith("fresh entry")
    assert (tmp_path / f"{crash.LOG_NAME}.1").stat().st_size > crash.MAX_LOG_BYTES


def test_dialog_copies_details_to_the_clipboard(qtbot: Any) -> None:
    dialog = crash.CrashDialog("RuntimeError: x", "Traceback ...\nRuntimeError: x")
    qtbot.addWidget(dialog)
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == "Traceback ...\nRuntimeError: x"
    assert not dialog.quit_requested
    dialog.findChild(QObject, "quit_authflow").click()  # type: ignore[union-attr]
    assert dialog.quit_requested


def test_app_data_dir_is_the_platform_folder() -> None:
    path = crash.app_data_dir()
    assert path.is_absolute()
