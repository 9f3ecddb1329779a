"""The event log and sequence diagram fill their docks right after the first paint.

Their docks, menu entries and actions exist from the start (the View and Export menus,
a saved dock layout and the first-show arrangement need them); only the widgets inside
wait, so the first frame comes sooner and the user still sees them in the same session.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDockWidget

from authflow.app.views.eventlog import EventLogWidget
from authflow.app.views.palette import DARK
from authflow.app.window import persistence
from authflow.app.window import services as window_services
from authflow.app.window.shell import MainWindow


@pytest.fixture
def make_window(make_window: Callable[..., MainWindow]) -> Callable[..., MainWindow]:
    """The shared factory's windows, at laptop size."""

    def make(**kwargs: Any) -> MainWindow:
        win = make_window(**kwargs)
        win.resize(1366, 768)
        return win

    return make


def docks(window: MainWindow) -> dict[str, QDockWidget]:
    return {d.objectName(): d for d in window.findChildren(QDockWidget)}


def built(window: MainWindow) -> bool:
    from authflow.app.views.sequence import SequenceView

    found = docks(window)
    log = found["dock_event_log"].widget()
    diagram = found["dock_sequence_diagram"].widget()
    return isinstance(log, EventLogWidget) and isinstance(diagram, SequenceView)


def test_docks_and_actions_exist_before_the_first_paint(make_window: Any) -> None:
    window = make_window()
    assert not built(window)
    found = docks(window)
    titles = [a.text() for a in window.menus.view.actions()]
    assert "Event log" in titles
    assert "Sequence diagram" in titles
    assert found["dock_event_log"].toggleViewAction() in window.menus.view.actions()
    export_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Export")
    assert export_menu is not None
    assert "Ctrl+E" in [a.shortcut().toString() for a in export_menu.actions()]


def test_the_first_paint_fills_the_docks(qtbot: Any, make_window: Any) -> None:
    window = make_window(palette=DARK)
    window.show()
    qtbot.waitUntil(lambda: built(window))
    log = docks(window)["dock_event_log"].widget()
    assert isinstance(log, EventLogWidget)
    assert log.objectName() == "event_log"
    assert not window.finish_panels(), "built once"


def test_a_run_builds_them_first(qtbot: Any, make_window: Any) -> None:
    """The lesson's first run waits for the panels (they then show it from its start)."""
    window = make_window()
    seen: list[bool] = []
    window.player.trace_changed.connect(lambda _t: seen.append(built(window)))
    window.start_after_first_paint(-1)
    window.show()
    qtbot.waitUntil(lambda: bool(seen), timeout=20000)
    assert seen[0]
    log = docks(window)["dock_event_log"].widget()
    assert isinstance(log, EventLogWidget)
    assert log.model.rowCount() == len(window.player.trace.events)


def test_a_saved_dock_layout_restores_before_they_are_built(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    settings: QSettings = persistence.open_settings("AuthflowTests", "deferred", tmp_path)
    settings.clear()
    first = make_window()
    window_services.remember(first, settings)
    first.start(-1)
    first.show()
    qtbot.waitExposed(first)
    found = docks(first)
    found["dock_sequence_diagram"].hide()
    first.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, found["dock_event_log"])
    found["dock_event_log"].show()
    first.close()

    second = make_window()
    window_services.remember(second, settings)
    assert not built(second)
    second.show()
    qtbot.waitUntil(lambda: built(second))
    found = docks(second)
    assert found["dock_sequence_diagram"].isHidden()
    assert not found["dock_event_log"].isHidden()
    area = second.dockWidgetArea(found["dock_event_log"])
    assert area == Qt.DockWidgetArea.TopDockWidgetArea
    assert found["dock_event_log"].widget().isVisible()


def test_panels_built_after_a_theme_change_take_the_new_theme(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    window.parts.themes.choose("dark")
    window.show()
    qtbot.waitUntil(lambda: built(window))
    from authflow.app.views.sequence import SequenceView

    diagram = docks(window)["dock_sequence_diagram"].widget()
    assert isinstance(diagram, SequenceView)
    assert diagram.diagram.theme.name == "dark"
