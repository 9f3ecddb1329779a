"""Side by side: one lesson in two or three modes (or settings), stepping together.

`install_compare_action(window)` adds "Compare modes side by side" to the main
window's Tools menu; the window itself is app/compare/window.py.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

SHORTCUT = "Ctrl+Shift+M"
"""M for modes; free among the main window's and app/shortcuts.py's keys."""


def _tools_menu(window: Any) -> QMenu:
    bar = window.menuBar()
    for action in bar.actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and menu.title().replace("&", "") == "Tools":
            return menu
    menu = bar.addMenu("&Tools")
    assert isinstance(menu, QMenu)
    return menu


def install_compare_action(window: Any) -> QAction:
    """Add the menu action that opens the side-by-side window on `window`'s lesson,
    seed and setting changes (`window.controller`, `window.palette_roles`)."""
    action = QAction("Compare modes side by side", window)
    action.setObjectName("action_compare")
    action.setShortcut(QKeySequence(SHORTCUT))
    action.setToolTip(f"Run this lesson in every mode side by side, with a scoreboard ({SHORTCUT})")
    action.setStatusTip("Run this lesson in every mode side by side, with a scoreboard")
    action.triggered.connect(lambda _checked=False: open_compare(window))
    _tools_menu(window).addAction(action)
    window.compare_action = action
    return action


def open_compare(window: Any) -> Any:
    """Open (or re-open on the current lesson) the side-by-side window."""
    from app.compare.window import CompareWindow

    controller = window.controller
    old = getattr(window, "compare_window", None)
    if old is not None:
        old.close()
        old.deleteLater()
    compare = CompareWindow(
        controller.scenario or "basics",
        seed=controller.seed,
        base_overrides=dict(controller.overrides),
        palette=window.palette_roles,
        animation_ms=getattr(window, "animation_ms", None),
    )
    compare.resize(window.size())
    themes = getattr(window, "themes", None)
    if themes is not None:
        # A window of its own: View > Theme reaches it only through this connection
        # (to a bound method, so Qt drops it when the side-by-side window is deleted).
        themes.theme_changed.connect(compare.follow_theme)
    window.compare_window = compare
    compare.show()
    return compare
