"""The window's docked panels as parts: the inspectors, the event log and sequence
diagram (with the Export actions), and the settings panel, each docked into its host.

The view modules hold the widgets; this is where they meet the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtWidgets
from PySide6.QtCore import Qt

# Modules, not names: PySide6 wraps every import statement once it is loaded, and this
# runs before the window's first frame.
from authflow.app.views import eventlog, settings_panel
from authflow.app.views.inspectors import docks

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDockWidget

    from authflow.app.export.actions import ExportActions
    from authflow.app.views.inspectors.docks import Inspectors
    from authflow.app.views.palette import Palette
    from authflow.app.views.sequence import SequenceView
    from authflow.app.views.settings_panel import SettingsPanel
    from authflow.app.window.host import Host


def install_inspectors(host: Host) -> Inspectors:
    """Dock the inspectors as tabs below the stage; they fill in with the first trace."""
    inspectors = docks.Inspectors(host.player, host.controller, host.qt)
    area = Qt.DockWidgetArea.BottomDockWidgetArea
    first: QDockWidget | None = None
    for title in docks.TITLES:
        waiting = QtWidgets.QLabel("Shows the current event once a lesson runs.")
        waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        dock = host.add_dock(title, waiting, area)
        inspectors.docks[title] = dock
        if first is None:
            first = dock
        else:
            host.qt.tabifyDockWidget(first, dock)
    if first is not None:
        first.raise_()
        # A third of a laptop screen: the stage above stays the main view.
        host.qt.resizeDocks([first], [270], Qt.Orientation.Vertical)
    host.player.trace_changed.connect(inspectors.build)
    if host.player.trace is not None:
        inspectors.build()
    return inspectors


class LogPanels:
    """The window's event log and sequence diagram docks and its Export actions. The
    two views are made after the window first paints (until then they are None)."""

    def __init__(
        self, log_dock: QDockWidget, diagram_dock: QDockWidget, actions: ExportActions
    ) -> None:
        self.log_dock = log_dock
        self.diagram_dock = diagram_dock
        self.actions = actions
        """Export… and copy request as curl / raw HTTP."""
        self.log: eventlog.EventLogWidget | None = None
        self.diagram: SequenceView | None = None

    def set_palette(self, theme: Palette) -> None:
        """Draw both in `theme` (views made later take the window's palette then)."""
        if self.log is not None:
            self.log.set_palette(theme)
        if self.diagram is not None:
            from authflow.app.views.sequence import theme_named  # loaded with the diagram already

            self.diagram.set_theme(theme_named(theme.name))


def install_eventlog_and_sequence(host: Host) -> LogPanels:
    """Dock the event log and the sequence diagram and add the Export actions.

    The docks and actions exist at once (the View and Export menus, the toolbar, a saved
    dock layout and the first-show arrangement need them); the log and the diagram fill
    them right after the window first paints, since the first frame can do without
    their widgets and imports (`Host.build_after_first_paint`).
    """
    from authflow.app.export.actions import ExportActions

    player = host.player
    log_dock = host.add_dock(
        "Event log", QtWidgets.QWidget(), Qt.DockWidgetArea.BottomDockWidgetArea
    )
    diagram_dock = host.add_dock(
        "Sequence diagram", QtWidgets.QWidget(), Qt.DockWidgetArea.RightDockWidgetArea
    )
    actions = ExportActions(host.qt, player)
    menu = host.menus.export
    menu.addAction(actions.export_action)
    menu.addSeparator()
    menu.addAction(actions.copy_curl_action)
    menu.addAction(actions.copy_raw_action)
    host.toolbars.mode.addAction(actions.export_action)
    panels = LogPanels(log_dock, diagram_dock, actions)

    def build() -> None:
        from authflow.app.views.sequence import SequenceView, theme_named

        # The window's theme as it is now (it may have changed since the docks were made).
        theme = host.palette_roles
        # Made inside their docks, so they start with the window's (scaled) font.
        log = eventlog.EventLogWidget(player, log_dock)
        log.setObjectName("event_log")
        log.set_palette(theme)
        view = SequenceView(player, theme_named(theme.name), diagram_dock)
        view.setObjectName("sequence_diagram")
        for dock, widget in ((log_dock, log), (diagram_dock, view)):
            placeholder = dock.widget()
            dock.setWidget(widget)
            placeholder.deleteLater()
        actions.sequence_view = view
        panels.log, panels.diagram = log, view

    host.build_after_first_paint(build)
    return panels


def install_settings_panel(host: Host) -> SettingsPanel:
    """Dock the settings panel on the left; what a change did shows in the status bar."""
    panel = settings_panel.SettingsPanel(host.controller, host.player)
    host.add_dock("Settings", panel, Qt.DockWidgetArea.LeftDockWidgetArea)
    status = host.qt.statusBar()
    panel.change_explained.connect(lambda text: status.showMessage(text, 20000))
    return panel
