"""Tools > Compare modes side by side: the window part that opens the comparison window
(app/compare/) on the main window's lesson, seed and setting changes, in its theme."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

if TYPE_CHECKING:
    from authflow.app.compare.window import CompareWindow
    from authflow.app.window.host import Host
    from authflow.app.window.themes import ThemeController

SHORTCUT = "Ctrl+Shift+M"
"""M for modes; free among the main window's and app/window/shortcuts.py's keys."""


class CompareLauncher(QObject):
    """Tools > Compare modes side by side: opens (or re-opens) the side-by-side window
    on the main window's lesson, seed and setting changes, in its theme."""

    def __init__(self, host: Host, themes: ThemeController) -> None:
        super().__init__(host.qt)
        self.host = host
        self.themes = themes
        self.window: CompareWindow | None = None
        """The side-by-side window, once opened."""
        action = QAction("Compare modes side by side", host.qt)
        action.setObjectName("action_compare")
        action.setShortcut(QKeySequence(SHORTCUT))
        action.setToolTip(
            f"Run this lesson in every mode side by side, with a scoreboard ({SHORTCUT})"
        )
        action.setStatusTip("Run this lesson in every mode side by side, with a scoreboard")
        action.triggered.connect(lambda _checked=False: self.open())
        host.menus.tools.addAction(action)
        self.action = action

    def open(self) -> CompareWindow:
        """Open (or re-open on the current lesson) the side-by-side window."""
        from authflow.app.compare.window import CompareWindow

        controller = self.host.controller
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
        compare = CompareWindow(
            controller.scenario or "basics",
            seed=controller.seed,
            base_overrides=dict(controller.overrides),
            palette=self.host.palette_roles,
            animation_ms=self.host.animation_ms,
        )
        compare.resize(self.host.qt.size())
        # A window of its own: View > Theme reaches it only through this connection
        # (to a bound method, so Qt drops it when the side-by-side window is deleted).
        self.themes.theme_changed.connect(compare.follow_theme)
        self.window = compare
        compare.show()
        return compare
