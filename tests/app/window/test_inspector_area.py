"""The inspector area: one tab group like DevTools, to the right of the stage on a wide
window and below it on a tall one, that gives way before the stage's text does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from authflow.app.views.stage.layout import EM, SMALLEST
from authflow.app.window.inspector_area import TAB_ORDER


def docks_of(win: Any) -> dict[str, QDockWidget]:
    return {d.windowTitle(): d for d in win.findChildren(QDockWidget)}


@pytest.mark.parametrize(
    ("size", "area"),
    [
        ((1366, 768), Qt.DockWidgetArea.RightDockWidgetArea),
        ((1920, 1080), Qt.DockWidgetArea.RightDockWidgetArea),
        ((1080, 1700), Qt.DockWidgetArea.BottomDockWidgetArea),
    ],
)
def test_one_tabbed_area_beside_a_wide_stage_and_below_a_tall_one(
    make_window: Callable[..., Any], qtbot: Any, size: tuple[int, int], area: Any
) -> None:
    win = make_window(scenario="basics", mode="session")
    win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    win.start(-1)
    docks = docks_of(win)
    first = docks[TAB_ORDER[0]]
    for title in TAB_ORDER:
        assert win.dockWidgetArea(docks[title]) == area, title
        assert not docks[title].isHidden(), title
    assert set(win.tabifiedDockWidgets(first)) == {docks[t] for t in TAB_ORDER[1:]}
    assert docks["Settings"].isHidden(), "a first start shows no settings"
    # The stage's smallest text stays at or above 11 px with the area open.
    view = win.stage_view
    assert view.scale_factor * SMALLEST * EM >= view.text_floor - 0.05
    if area == Qt.DockWidgetArea.RightDockWidgetArea:
        # (A tall window on the offscreen platform's small screen grows wider by itself;
        # the area's placement is what this checks there.)
        assert win.width() <= size[0]
        assert win.height() <= size[1]


def test_the_area_gives_way_before_the_stage_text(
    make_window: Callable[..., Any], qtbot: Any
) -> None:
    win = make_window(scenario="basics", mode="session")
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    win.start(-1)
    first = docks_of(win)[TAB_ORDER[0]]
    win.resizeDocks([first], [1200], Qt.Orientation.Horizontal)  # the user drags it wide
    qtbot.wait(1)
    view = win.stage_view
    assert view.width() >= view.minimumWidth()
    assert view.scale_factor * SMALLEST * EM >= view.text_floor - 0.05
