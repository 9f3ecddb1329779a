"""Theme switching at run time: light, dark, high contrast, or follow the system.

Every colour comes from `authflow.app.views.palette`; this module only decides which palette is in
force and hands it to whatever draws: the stage and narration (`Host.set_palette`),
Qt's own widgets and the inspectors (the application QPalette, built from the same
roles), the event log and the sequence diagram (`LogPanels`), and the export dialog's
default (`palette.for_system()` reads the choice back).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QMenu

from authflow.app.views import palette as palettes
from authflow.app.views.palette import Palette

if TYPE_CHECKING:
    from authflow.app.window.host import Host
    from authflow.app.window.panels import LogPanels

TITLES: dict[str, str] = {
    palettes.SYSTEM: "Follow the &system",
    "light": "&Light",
    "dark": "&Dark",
    "contrast": "&High contrast",
}


def _mix(a: QColor, b: QColor, amount: float) -> QColor:
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
    )


def qt_palette(theme: Palette) -> QPalette:
    """Qt's widget palette drawn from the same roles as the stage."""
    qp = QPalette()
    highlight = theme.color("actor_active")
    fields = theme.color("surface")
    if fields == theme.color("background"):
        # Fusion draws edges from the window colour: on pure black an input field has no
        # edge at all. Lift fields and buttons just enough to be seen (text stays > 15:1).
        fields = _mix(fields, theme.color("text"), 0.13)
    on_highlight = QColor("#000000" if highlight.lightnessF() > 0.5 else "#FFFFFF")
    roles = {
        QPalette.ColorRole.Window: theme.color("background"),
        QPalette.ColorRole.WindowText: theme.color("text"),
        QPalette.ColorRole.Base: fields,
        QPalette.ColorRole.AlternateBase: theme.color("background"),
        QPalette.ColorRole.Text: theme.color("text"),
        QPalette.ColorRole.Button: fields,
        QPalette.ColorRole.ButtonText: theme.color("text"),
        QPalette.ColorRole.BrightText: theme.color("blocked"),
        QPalette.ColorRole.Highlight: highlight,
        QPalette.ColorRole.HighlightedText: on_highlight,
        QPalette.ColorRole.ToolTipBase: theme.color("surface"),
        QPalette.ColorRole.ToolTipText: theme.color("text"),
        QPalette.ColorRole.PlaceholderText: theme.color("muted"),
        QPalette.ColorRole.Link: theme.color("request"),
        QPalette.ColorRole.LinkVisited: theme.color("attack"),
        QPalette.ColorRole.Mid: theme.color("arrow"),
        QPalette.ColorRole.Dark: theme.color("arrow"),
    }
    for role, color in roles.items():
        qp.setColor(role, color)
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        qp.setColor(QPalette.ColorGroup.Disabled, role, theme.color("muted"))
    return qp


class ThemeController(QObject):
    """Owns the View > Theme choice and applies it everywhere."""

    theme_changed = Signal(str)
    """The choice ("system", "light", "dark", "contrast") after it was applied."""

    def __init__(self, host: Host, panels: LogPanels) -> None:
        super().__init__(host.qt)
        self.host = host
        self.panels = panels
        # Until someone chooses, the window keeps the palette it was built with; "system"
        # is what a fresh install starts from (see `persistence`).
        self.choice = host.palette_roles.name
        self.actions: dict[str, QAction] = {}
        self._saved_app_palette: QPalette | None = None
        self._scheme: Qt.ColorScheme | None = None
        """The desktop's scheme as its last change announced it (None: ask the desktop)."""
        self.menu = self._make_menu()
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_changed)

    @property
    def palette(self) -> Palette:
        return palettes.resolve(self.choice, self._scheme)

    def choose(self, choice: str) -> None:
        """Switch to `choice` now; unknown names raise KeyError."""
        if choice not in palettes.CHOICES:
            raise KeyError(f"unknown theme {choice!r}; choose from {', '.join(palettes.CHOICES)}")
        self.choice = choice
        self.apply()

    def apply(self) -> None:
        theme = self.palette
        app = QApplication.instance()
        if isinstance(app, QApplication):
            if self._saved_app_palette is None:
                self._saved_app_palette = QPalette(app.palette())
            app.setProperty(palettes.CHOSEN_THEME_PROPERTY, theme.name)
            app.setPalette(qt_palette(theme))
            # Let every widget take the new palette first: a widget under a style sheet
            # (the narration bar) would otherwise fall back to the palette it had when it
            # was polished, dark text on the new dark background.
            QCoreApplication.sendPostedEvents()
        self.host.set_palette(theme)
        self.panels.set_palette(theme)
        if self.choice in self.actions:
            self.actions[self.choice].setChecked(True)
        self.theme_changed.emit(self.choice)

    def restore_application(self) -> None:
        """Give the application back the palette it had before (tests, a closing window)."""
        app = QApplication.instance()
        if isinstance(app, QApplication) and self._saved_app_palette is not None:
            app.setPalette(self._saved_app_palette)
            app.setProperty(palettes.CHOSEN_THEME_PROPERTY, None)
            self._saved_app_palette = None

    def _system_changed(self, scheme: Qt.ColorScheme) -> None:
        self._scheme = scheme
        if self.choice == palettes.SYSTEM:
            self.apply()

    def _make_menu(self) -> QMenu:
        """View > Theme, at the top of the View menu: the one place the choice lives."""
        view_menu = self.host.menus.view
        window = self.host.qt
        menu = QMenu("&Theme", window)
        menu.setObjectName("menu_theme")
        group = QActionGroup(self)
        group.setExclusive(True)
        for choice in palettes.CHOICES:
            action = QAction(TITLES[choice], window)
            action.setObjectName(f"theme_{choice}")
            action.setCheckable(True)
            action.setChecked(choice == self.choice)
            action.setToolTip(f"Colours: {TITLES[choice].replace('&', '').lower()}")
            action.triggered.connect(lambda _c=False, c=choice: self.choose(c))
            group.addAction(action)
            menu.addAction(action)
            self.actions[choice] = action
        first = view_menu.actions()[0] if view_menu.actions() else None
        if first is None:
            view_menu.addMenu(menu)
        else:
            view_menu.insertMenu(first, menu)
        return menu
