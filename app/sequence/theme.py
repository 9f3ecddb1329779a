"""Colours and fonts of the diagram, taken from `app.palette` by theme name.

Exports choose their theme independently of the screen's, so the diagram never asks
the application palette: it is given a `DiagramTheme`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtGui import QColor, QFont, QFontDatabase

from app import palette as palette_mod

# A high-contrast set for projectors, used until app.palette carries its own
# "contrast" theme (it is looked up there first).
_CONTRAST = palette_mod.Palette(
    name="contrast",
    background="#000000",
    surface="#000000",
    actor="#FFFFFF",
    actor_active="#FFD700",
    text="#FFFFFF",
    muted="#E0E0E0",
    request="#6CC6FF",
    response="#3DFFB4",
    store_hop="#FFB000",
    blocked="#FF6A3D",
    attack="#FF8CDB",
    ok="#3DFFB4",
    cookie="#FFE14D",
    bearer="#6CC6FF",
    refresh="#FF8CDB",
    arrow="#9A9A9A",
)

THEME_NAMES: tuple[str, ...] = ("light", "dark", "contrast")


def palette_named(name: str) -> palette_mod.Palette:
    """The app palette called `name`; KeyError names the known themes."""
    themes = dict(palette_mod.THEMES)
    themes.setdefault("contrast", _CONTRAST)
    try:
        return themes[name]
    except KeyError:
        known = ", ".join(sorted(themes))
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
