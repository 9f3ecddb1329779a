"""The inspector area: the inspectors, the event log and the sequence diagram as the
tabs of one dock group, placed like a browser's DevTools.

On a wide window the area opens to the right of the stage, on a tall one below it, so
the stage keeps the long side. Its size is a share of the window the first time; the
user's own size is kept by the window's saved state (per screen: see persistence.py).
The stage's minimum size (the compact stage at the text floor, app/views/stage/view.py)
is what the area gives way to: Qt's dock layout never squeezes the central widget
below it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabBar, QTabWidget

TAB_ORDER: tuple[str, ...] = (
    "Cookies",
    "Headers",
    "Store",
    "Browser storage",
    "Token decoder",
    "Edit and resend",
    "Event log",
    "Sequence diagram",
)
"""The area's tabs, by dock title, left to right."""
CLOSED_AT_FIRST = ("Settings",)
"""Docks a newcomer does not need on the first start (one click away in the View menu)."""
WIDE_ASPECT = 1.3
"""A window at least this much wider than tall gets the area on its right."""
RIGHT_SHARE = 0.3
BOTTOM_SHARE = 0.36
RIGHT_MIN_PX = 340


def is_wide(window: QMainWindow) -> bool:
    return window.width() >= WIDE_ASPECT * window.height()


def arrange(window: QMainWindow) -> None:
    """Put the area's docks into one tab group on the side that suits the window, and
    close the docks a first start does without."""
    size = window.size()
    docks = {d.windowTitle(): d for d in window.findChildren(QDockWidget) if not d.isFloating()}
    members = [docks[title] for title in TAB_ORDER if title in docks]
    for title in CLOSED_AT_FIRST:
        if title in docks:
            docks[title].hide()
    if not members:
        return
    wide = is_wide(window)
    area = Qt.DockWidgetArea.RightDockWidgetArea if wide else Qt.DockWidgetArea.BottomDockWidgetArea
    first = members[0]
    first.show()
    window.addDockWidget(area, first)
    # Straight into first's tab group: added to the area one by one, they would stack
    # first, and their summed heights would stretch the window.
    for dock in members[1:]:
        dock.show()
        window.tabifyDockWidget(first, dock)
    first.raise_()
    # Tabs on top with whole names, as in DevTools ("C…", "H…" told nobody anything):
    # when they do not fit, the tab bar scrolls.
    window.setTabPosition(Qt.DockWidgetArea.AllDockWidgetAreas, QTabWidget.TabPosition.North)
    for bar in window.findChildren(QTabBar):
        bar.setElideMode(Qt.TextElideMode.ElideNone)
        bar.setUsesScrollButtons(True)
    # Moving the docks asked for room as they went: the window keeps the size it had.
    window.resize(size)
    if wide:
        width = max(RIGHT_MIN_PX, round(size.width() * RIGHT_SHARE))
        window.resizeDocks([first], [width], Qt.Orientation.Horizontal)
    else:
        height = round(size.height() * BOTTOM_SHARE)
        window.resizeDocks([first], [height], Qt.Orientation.Vertical)
