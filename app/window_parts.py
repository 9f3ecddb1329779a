"""The parts a main window is made of, each handed what it needs when it is made.

`WindowParts.build(host)` makes them in order (panels first, so the keyboard part can
name their controls; the keyboard part before the welcome's About, which joins its Help
menu); memory, autosave and the welcome are made later by the window on request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app import presenter as presenter_mod
from app import shortcuts, welcome
from app.compare import CompareLauncher
from app.inspectors.docks import Inspectors
from app.panels import (
    LogPanels,
    install_eventlog_and_sequence,
    install_inspectors,
    install_settings_panel,
)
from app.presenter import PresenterMode
from app.settings_panel import SettingsPanel
from app.shortcuts import KeyboardAccess
from app.themes import ThemeController
from app.workspace import WorkspaceActions

if TYPE_CHECKING:
    from app.autosave import Autosaver
    from app.host import Host
    from app.persistence import Persistence


@dataclass(slots=True)
class WindowParts:
    inspectors: Inspectors
    panels: LogPanels
    """The event log, the sequence diagram and the Export actions."""
    settings: SettingsPanel
    themes: ThemeController
    compare: CompareLauncher
    workspace: WorkspaceActions
    presenter: PresenterMode
    keyboard: KeyboardAccess
    about: welcome.AboutAction
    persistence: Persistence | None = None
    """What is remembered between runs; made by `MainWindow.bind_settings` (authflow
    itself, or a test with its own QSettings), so a bare window reads no settings."""
    autosaver: Autosaver | None = None
    """Made by `MainWindow.start_autosave`."""
    welcome: welcome.WelcomeDialog | None = None
    """The first-run welcome, once `MainWindow.greet` showed it."""

    @classmethod
    def build(cls, host: Host) -> WindowParts:
        inspectors = install_inspectors(host)
        panels = install_eventlog_and_sequence(host)
        settings = install_settings_panel(host)
        themes = ThemeController(host, panels)
        compare = CompareLauncher(host, themes)
        workspace = WorkspaceActions(host)
        workspace.add_to(host.menus.file)
        presenter = presenter_mod.install(host)
        keyboard = shortcuts.install(host, presenter)
        about = welcome.AboutAction(host.qt)
        host.menus.help.addAction(about)
        keyboard.refresh()  # last: every action above gets its keys in its tooltip
        return cls(
            inspectors, panels, settings, themes, compare, workspace, presenter, keyboard, about
        )
