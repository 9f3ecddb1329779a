"""What `authflow` does with a window beyond building it: remember it and greet.

`remember` (called by `authflow` itself, or by tests with their own QSettings) restores
the last session and saves it when the window closes; a window that is never asked
reads no settings, so tests and screenshots stay independent of the user's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from authflow.app.window import persistence

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

    from authflow.app.window.shell import MainWindow
    from authflow.app.window.welcome import WelcomeDialog


def remember(
    window: MainWindow,
    settings: QSettings | None = None,
    restore_run: bool = True,
    theme: str | None = None,
    keep_mode: bool = False,
) -> persistence.Persistence:
    """Restore what was remembered (call before `window.start()`) and save it on close.

    `restore_run` False keeps the lesson and mode given on the command line; `keep_mode`
    keeps only the mode given there; `theme` overrides the remembered theme."""
    memory = window.bind_settings(settings or persistence.open_settings())
    if restore_run:
        memory.restore_run(keep_mode)
    memory.restore_view(theme)
    return memory


def greet(window: MainWindow) -> WelcomeDialog | None:
    """The first-run welcome, once the window is on screen (after `remember`)."""
    return window.greet()
