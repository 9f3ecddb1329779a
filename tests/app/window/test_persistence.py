"""Settings survive closing and reopening the window (QSettings, test-only organisation)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDockWidget

from authflow.app.window import persistence
from authflow.app.window import services as window_services


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    store = persistence.open_settings("AuthflowTests", "persistence", tmp_path)
    store.clear()
    return store


def test_settings_file_is_the_test_one(settings: QSettings, tmp_path: Path) -> None:
    assert settings.fileName().startswith(str(tmp_path))
    assert "AuthflowTests" in settings.fileName()


def test_everything_survives_a_restart(settings: QSettings, make_window: Any) -> None:
    first = make_window()
    window_services.remember(first, settings)
    first.resize(720, 560)
    first.start(-1)
    first.set_lesson("expiry")
    first.set_mode("hybrid")
    first.controller.set_setting("access_ttl", "120")
    first.player.set_speed(2.0)
    first.parts.themes.choose("contrast")
    first.findChild(QDockWidget, "dock_store").hide()
    first.parts.presenter.pin("dock_cookies")
    first.close()

    second = make_window()
    assert second.controller.mode == "session"
    window_services.remember(second, settings)
    second.start(-1)
    assert second.controller.scenario == "expiry"
    assert second.lesson_picker.currentData() == "expiry"
    assert second.controller.mode == "hybrid"
    assert second.mode_actions["hybrid"].isChecked()
    assert second.controller.overrides == {"access_ttl": "120"}
    assert second.player.trace is not None
    assert second.player.trace.settings["access_ttl"] == "120"
    assert second.player.speed == 2.0
    assert second.parts.themes.choice == "contrast"
    assert second.palette_roles.name == "contrast"
    assert second.findChild(QDockWidget, "dock_store").isHidden()
    assert not second.findChild(QDockWidget, "dock_cookies").isHidden()
    assert second.parts.presenter.pinned == {"dock_cookies"}
    assert second.size().width() == 720
    second.show()  # the first show lays docks out only when no layout was remembered
    assert second.findChild(QDockWidget, "dock_store").isHidden()
    assert not second.findChild(QDockWidget, "dock_cookies").isHidden()


def test_command_line_wins_over_memory(settings: QSettings, make_window: Any) -> None:
    settings.setValue(persistence.LESSON, "csrf")
    settings.setValue(persistence.MODE, "jwt")
    settings.setValue(persistence.THEME, "dark")
    win = make_window(scenario="basics")
    window_services.remember(win, settings, restore_run=False, theme="light")
    assert (win.controller.scenario, win.controller.mode) == ("basics", "session")
    assert win.parts.themes.choice == "light"


def test_stale_or_hand_edited_values_fall_back(settings: QSettings, make_window: Any) -> None:
    settings.setValue(persistence.LESSON, "a-lesson-that-was-removed")
    settings.setValue(persistence.MODE, "kerberos")
    settings.setValue(persistence.OVERRIDES, '{"no_such_setting": "1"}')
    settings.setValue(persistence.THEME, "neon")
    settings.setValue(persistence.SPEED, "fast")
    settings.setValue(persistence.STATE, "garbage")
    win = make_window()
    window_services.remember(win, settings)
    win.start(-1)
    assert win.controller.scenario == "basics"
    assert win.controller.mode == "session"
    assert win.controller.overrides == {}
    assert win.parts.themes.choice == "system"
    assert win.player.speed == 1.0


def test_default_theme_follows_the_system(settings: QSettings, make_window: Any) -> None:
    win = make_window()
    window_services.remember(win, settings)
    assert win.parts.themes.choice == "system"


def test_close_while_presenting_remembers_the_normal_layout(
    settings: QSettings, make_window: Any
) -> None:
    first = make_window()
    window_services.remember(first, settings)
    first.parts.presenter.full_screen = False
    first.parts.presenter.enter()
    first.close()
    second = make_window()
    window_services.remember(second, settings)
    assert not second.findChild(QDockWidget, "dock_cookies").isHidden()


def test_recent_workspaces_are_remembered(
    settings: QSettings, make_window: Any, tmp_path: Path
) -> None:
    first = make_window(scenario="basics")
    window_services.remember(first, settings)
    first.start(-1)
    path = tmp_path / "w.authflow.json"
    first.parts.workspace.save_to(str(path))
    first.close()
    second = make_window()
    window_services.remember(second, settings)
    assert second.parts.workspace.recent == [str(path.resolve())]
