"""The parts a main window is made of, each handed what it needs when it is made.

`WindowParts.build(host)` makes them in order (panels first, so the keyboard part can
name their controls; the keyboard part before the welcome's About, which joins its Help
menu); memory, autosave and the welcome are made later by the window on request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# Modules, not names, in one statement: PySide6 wraps every import statement once it is
# loaded, and this runs before the window's first frame.
from authflow.app.window import (
    compare_launcher,
    engine_switch,
    panels,
    presenter,
    shortcuts,
    themes,
    welcome,
    workspace,
)

if TYPE_CHECKING:
    from authflow.app.views.inspectors.docks import Inspectors
    from authflow.app.views.settings_panel import SettingsPanel
    from authflow.app.window.autosave import Autosaver
    from authflow.app.window.compare_launcher import CompareLauncher
    from authflow.app.window.engine_switch import EngineSwitch
    from authflow.app.window.host import Host
    from authflow.app.window.panels import LogPanels
    from authflow.app.window.persistence import Persistence
    from authflow.app.window.presenter import PresenterMode
    from authflow.app.window.shortcuts import KeyboardAccess
    from authflow.app.window.themes import ThemeController
    from authflow.app.window.workspace import WorkspaceActions


class WindowParts:
    """Every part of one window, typed. The later ones are None until the window makes
    them. (A plain class: a dataclass costs a millisecond before the first frame.)"""

    __slots__ = (
        "about",
        "autosaver",
        "compare",
        "engine",
        "inspectors",
        "keyboard",
        "panels",
        "persistence",
        "presenter",
        "settings",
        "themes",
        "welcome",
        "workspace",
    )

    def __init__(
        self,
        inspectors: Inspectors,
        panels: LogPanels,
        settings: SettingsPanel,
        themes: ThemeController,
        compare: CompareLauncher,
        engine: EngineSwitch,
        workspace: WorkspaceActions,
        presenter: PresenterMode,
        keyboard: KeyboardAccess,
        about: welcome.AboutAction,
    ) -> None:
        self.inspectors = inspectors
        self.panels = panels
        """The event log, the sequence diagram and the Export actions."""
        self.settings = settings
        self.themes = themes
        self.compare = compare
        self.engine = engine
        """Simulated / Live / Both (app/window/engine_switch.py)."""
        self.workspace = workspace
        self.presenter = presenter
        self.keyboard = keyboard
        self.about = about
        self.persistence: Persistence | None = None
        """What is remembered between runs; made by `MainWindow.bind_settings` (authflow
        itself, or a test with its own QSettings), so a bare window reads no settings."""
        self.autosaver: Autosaver | None = None
        """Made by `MainWindow.start_autosave`."""
        self.welcome: welcome.WelcomeDialog | None = None
        """The first-run welcome, once `MainWindow.greet` showed it."""

    @classmethod
    def build(cls, host: Host) -> WindowParts:
        inspectors = panels.install_inspectors(host)
        log_panels = panels.install_eventlog_and_sequence(host)
        settings = panels.install_settings_panel(host)
        theme_controller = themes.ThemeController(host, log_panels)
        launcher = compare_launcher.CompareLauncher(host, theme_controller)
        engine = engine_switch.EngineSwitch(host)  # Qt WebEngine is loaded only when used
        files = workspace.WorkspaceActions(host)
        files.add_to(host.menus.file)
        presenting = presenter.install(host)
        keyboard = shortcuts.install(host, presenting)
        about = welcome.AboutAction(host.qt)
        host.menus.help.addAction(about)
        keyboard.refresh()  # last: every action above gets its keys in its tooltip
        return cls(
            inspectors,
            log_panels,
            settings,
            theme_controller,
            launcher,
            engine,
            files,
            presenting,
            keyboard,
            about,
        )
