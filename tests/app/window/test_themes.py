"""Themes: one palette definition drives the stage, Qt's widgets, the inspectors and exports."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPalette
from PySide6.QtWidgets import QApplication, QDockWidget

from authflow.app.export import files
from authflow.app.export.options import ExportOptions
from authflow.app.views import palette as palettes
from authflow.app.window import themes
from authflow.app.window.shell import MainWindow
from authflow.app.window.themes import ThemeController


@pytest.fixture
def controller(window: MainWindow) -> Iterator[ThemeController]:
    c: ThemeController = window.parts.themes
    yield c
    c.restore_application()


def _luminance(color: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in (color.redF(), color.greenF(), color.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(QColor(a)), _luminance(QColor(b))), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("name", ["light", "dark", "contrast"])
def test_theme_applies_to_stage_widgets_and_inspectors(
    window: MainWindow, controller: ThemeController, name: str
) -> None:
    theme = palettes.THEMES[name]
    controller.choose(name)
    QApplication.processEvents()  # Qt hands the application palette to widgets by event
    assert window.palette_roles is theme
    assert window.stage.backgroundBrush().color().name() == QColor(theme.background).name()
    app_palette = QApplication.palette()
    base = app_palette.color(QPalette.ColorRole.Base).name()
    assert base == themes.qt_palette(theme).color(QPalette.ColorRole.Base).name()
    assert app_palette.color(QPalette.ColorRole.Text).name() == QColor(theme.text).name()
    assert contrast(base, theme.text) >= 7
    window_colour = app_palette.color(QPalette.ColorRole.Window).name()
    assert window_colour == QColor(theme.background).name()
    assert base != window_colour or name == "light", "input fields stand out from the window"
    dock = window.findChild(QDockWidget, "dock_cookies")
    assert dock is not None
    assert dock.widget() is not None
    assert dock.widget().palette().color(QPalette.ColorRole.Base).name() == base
    assert palettes.for_system() is theme, "the export dialog's default follows the theme"
    assert controller.actions[name].isChecked()


def test_exported_png_follows_the_theme(window: MainWindow, controller: ThemeController) -> None:
    trace = window.player.trace
    assert trace is not None
    pixels = {}
    for name in ("light", "dark", "contrast"):
        controller.choose(name)
        options = ExportOptions(view="stage", theme=palettes.for_system().name, step=3)
        image = QImage.fromData(files.export_bytes(trace, "png", options))
        pixels[name] = QColor(image.pixel(2, 2)).name()
        assert pixels[name] == QColor(palettes.THEMES[name].background).name()
    assert pixels["light"] != pixels["dark"]


def test_view_menu_switches_at_run_time(window: MainWindow, controller: ThemeController) -> None:
    titles = [a.text() for a in controller.menu.actions()]
    assert titles == ["Follow the &system", "&Light", "&Dark", "&High contrast"]
    controller.actions["dark"].trigger()
    QApplication.processEvents()
    assert window.palette_roles.name == "dark"
    assert window.narration.explain.palette().color(QPalette.ColorRole.WindowText).name() == (
        QColor(palettes.DARK.text).name()
    )
    old_entries = [a for a in window.menus.view.actions() if a.text().endswith(" theme")]
    assert old_entries == [], "one theme menu, not two"


def test_system_theme_is_what_the_desktop_says() -> None:
    assert palettes.system_theme(Qt.ColorScheme.Dark) == "dark"
    assert palettes.system_theme(Qt.ColorScheme.Light) == "light"
    assert palettes.resolve(palettes.SYSTEM, Qt.ColorScheme.Dark) is palettes.DARK
    assert palettes.resolve("contrast", Qt.ColorScheme.Dark) is palettes.CONTRAST


@pytest.mark.parametrize(("window_color", "expected"), [("#202020", "dark"), ("#f4f4f4", "light")])
def test_a_desktop_with_no_scheme_is_judged_by_its_palette(
    window_color: str, expected: str
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    saved = QPalette(app.palette())
    palette = QPalette(saved)
    palette.setColor(QPalette.ColorRole.Window, QColor(window_color))
    app.setPalette(palette)
    try:
        assert palettes.system_theme(Qt.ColorScheme.Unknown) == expected
    finally:
        app.setPalette(saved)


def announce(scheme: Qt.ColorScheme) -> None:
    """The desktop switches its colour scheme (offscreen Qt has no desktop to ask)."""
    QGuiApplication.styleHints().colorSchemeChanged.emit(scheme)
    QApplication.processEvents()


def test_following_the_system_switches_with_the_desktop(
    window: MainWindow, controller: ThemeController
) -> None:
    controller.choose(palettes.SYSTEM)
    announce(Qt.ColorScheme.Dark)
    assert window.palette_roles.name == "dark"
    assert controller.actions[palettes.SYSTEM].isChecked()
    window_color = QApplication.palette().color(QPalette.ColorRole.Window).name()
    assert window_color == QColor(palettes.DARK.background).name()
    announce(Qt.ColorScheme.Light)
    assert window.palette_roles.name == "light"
    assert controller.choice == palettes.SYSTEM


def test_a_chosen_theme_ignores_the_desktop(
    window: MainWindow, controller: ThemeController
) -> None:
    controller.choose("contrast")
    announce(Qt.ColorScheme.Dark)
    assert window.palette_roles.name == "contrast"
    announce(Qt.ColorScheme.Light)
    assert window.palette_roles.name == "contrast"
    # Back to following: the desktop's last word counts at once.
    controller.choose(palettes.SYSTEM)
    assert window.palette_roles.name == "light"


def test_unknown_theme_is_refused(controller: ThemeController) -> None:
    with pytest.raises(KeyError, match="choose from"):
        controller.choose("neon")


def test_every_theme_has_every_role_and_high_contrast_is_high() -> None:
    roles = palettes.LIGHT.roles()
    assert set(palettes.THEMES) == {"light", "dark", "contrast"}
    for theme in palettes.THEMES.values():
        assert theme.roles() == roles
    c = palettes.CONTRAST
    for role in roles:
        if role not in ("background", "surface"):
            assert contrast(getattr(c, role), c.background) >= 7, role


def test_meaning_colours_are_told_apart_by_more_than_hue(window: MainWindow) -> None:
    """Blocked and rejected draw a shape too: the stage says so in text as well."""
    for theme in palettes.THEMES.values():
        meaning = [theme.request, theme.response, theme.store_hop, theme.blocked, theme.attack]
        assert len({QColor(c).name() for c in meaning}) == len(meaning), theme.name


def test_diagram_and_event_log_follow(window: MainWindow, controller: ThemeController) -> None:
    from authflow.app.views.eventlog import EventLogWidget
    from authflow.app.views.sequence import SequenceView

    views = window.findChildren(SequenceView)
    logs = window.findChildren(EventLogWidget)
    assert views
    assert logs
    for name in ("dark", "contrast", "light"):
        controller.choose(name)
        assert all(v.diagram.theme.name == name for v in views)
        background = QColor(palettes.THEMES[name].background).name()
        assert all(v.diagram.backgroundBrush().color().name() == background for v in views)
