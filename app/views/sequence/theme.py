"""Colours and fonts of the diagram, taken from `authflow.app.views.palette` by theme name.

Exports choose their theme independently of the screen's, so the diagram never asks
the application palette: it is given a `DiagramTheme`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtGui import QColor, QFont, QFontDatabase

from authflow.app.views import palette as palette_mod

THEME_NAMES: tuple[str, ...] = tuple(palette_mod.THEMES)
"""light, dark, contrast: every theme authflow.app.views.palette defines."""


def palette_named(name: str) -> palette_mod.Palette:
    """The app palette called `name`; KeyError names the known themes."""
    try:
        return palette_mod.THEMES[name]
    except KeyError:
        known = ", ".join(palette_mod.THEMES)
        raise KeyError(f"unknown theme {name!r}; choose from {known}") from None


_FAMILY = "DejaVu Sans"
"""Wide, clear and free; used when installed so exports look the same everywhere."""


def _font(pixel_size: int, bold: bool = False) -> QFont:
    font = QFont()
    if _FAMILY in QFontDatabase.families():
        font.setFamily(_FAMILY)
    font.setPixelSize(pixel_size)
    font.setBold(bold)
    # Hinting off keeps text widths proportional across 1x/2x/3x exports.
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


@dataclass
class DiagramTheme:
    """Everything the painter needs besides the trace: palette roles and fonts."""

    palette: palette_mod.Palette
    label_font: QFont = field(default_factory=lambda: _font(13))
    small_font: QFont = field(default_factory=lambda: _font(11))
    number_font: QFont = field(default_factory=lambda: _font(12, bold=True))
    header_font: QFont = field(default_factory=lambda: _font(14, bold=True))
    title_font: QFont = field(default_factory=lambda: _font(17, bold=True))

    @property
    def name(self) -> str:
        return self.palette.name

    def color(self, role: str, alpha: float | None = None) -> QColor:
        color = self.palette.color(role)
        if alpha is not None:
            color.setAlphaF(alpha)
        return color


def theme_named(name: str) -> DiagramTheme:
    return DiagramTheme(palette_named(name))
