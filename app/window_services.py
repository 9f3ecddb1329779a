"""Attach presenting, themes, workspaces, keyboard access and memory to a MainWindow.

`install` runs while the window is built (main_window's panel hook) and only adds
menus, actions and controllers: it reads no settings, so tests and screenshots stay
independent of the user's. `remember` (called by `authflow` itself, or by tests with
their own QSettings) restores the last session and saves it when the window closes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

from app import persistence, presenter, shortcuts, themes, welcome, workspace

if TYPE_CHECKING:
    from app.main_window import MainWindow


def install(window: MainWindow) -> None:
    themes.install(window)
    workspace.install(window)
    presenter.install(window)
    keyboard = shortcuts.install(window)
    keyboard.help_menu().addAction(welcome.install(window))
    keyboard.refresh()  # last: every action above gets its keys in its tooltip


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
    settings = settings or persistence.open_settings()
    memory = persistence.bind(window, settings)
    if restore_run:
        memory.restore_run(keep_mode)
    memory.restore_view(theme)
    return memory


def greet(window: MainWindow) -> welcome.WelcomeDialog | None:
    """The first-run welcome, once the window is on screen (after `remember`)."""
    memory = getattr(window, "persistence", None)
    if memory is None:
        return None
    return welcome.show_if_first_run(window, memory.settings)
