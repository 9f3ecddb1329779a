"""The one place colours come from: named roles, in light and dark sets.

Stage items, the narration bar and the playback controls ask a `Palette` for a role
("request", "blocked", ...) and never name a colour themselves, so a new theme is one
more `Palette` value here. The hues are Okabe & Ito's colour-blind-safe set; anything
that must be told apart (rejected, blocked, attack) also differs by shape or a drawn
icon, never by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common
# colour-vision deficiency.
OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}


@dataclass(frozen=True, slots=True)
class Palette:
    """Colour roles; each value is a "#RRGGBB" string so a theme is plain data."""

    name: str
    background: str
    """The stage behind everything."""
    surface: str
    """Inside an actor (the browser's page, the store's body)."""
    actor: str
    """Actor outlines and their title bars."""
    actor_active: str
    """Outline of the actors the current event runs between."""
    text: str
    muted: str
    """Secondary text: attributes, TTLs, hints."""
    request: str
    response: str
    store_hop: str
    blocked: str
    """Refused, rejected or failed: drawn dashed with a no-entry sign as well."""
    attack: str
    ok: str
    """A verdict that accepted the credential."""
    cookie: str
    """Badges for cookies (Cookie, Set-Cookie)."""
    bearer: str
    """Badges for tokens in the Authorization header."""
    refresh: str
    """Badges for the refresh cookie."""
    arrow: str
    """Resting arrows between actors."""

    def color(self, role: str) -> QColor:
        """The QColor for `role` (one of this dataclass's field names)."""
        return QColor(getattr(self, role))

    def roles(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self) if f.name != "name")


LIGHT = Palette(
    name="light",
    background="#FAFAF7",
    surface="#FFFFFF",
    actor="#3A3A3A",
    actor_active="#0072B2",
    text="#1A1A1A",
    muted="#5E5E5E",
    request=OKABE_ITO["blue"],
    response=OKABE_ITO["bluish_green"],
    store_hop=OKABE_ITO["orange"],
    blocked=OKABE_ITO["vermillion"],
    attack=OKABE_ITO["reddish_purple"],
    ok=OKABE_ITO["bluish_green"],
    cookie="#B07800",
    bearer=OKABE_ITO["blue"],
    refresh="#8E4F7A",
    arrow="#B8B8B0",
)

DARK = Palette(
    name="dark",
    background="#1C1D21",
    surface="#2A2C31",
    actor="#D8D8D8",
    actor_active="#56B4E9",
    text="#F2F2F2",
    muted="#A8A8A8",
    request=OKABE_ITO["sky_blue"],
    response="#2BC79A",
    store_hop=OKABE_ITO["orange"],
    blocked="#FF7A2E",
    attack=OKABE_ITO["reddish_purple"],
    ok="#2BC79A",
    cookie=OKABE_ITO["yellow"],
    bearer=OKABE_ITO["sky_blue"],
    refresh=OKABE_ITO["reddish_purple"],
    arrow="#55575E",
)

# For projectors and low vision: pure black and white with the brightest colour-blind-safe
# hues (each has at least 7:1 contrast on black).
CONTRAST = Palette(
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

THEMES: dict[str, Palette] = {p.name: p for p in (LIGHT, DARK, CONTRAST)}

CHOSEN_THEME_PROPERTY = "authflow_theme"
"""QApplication property naming the theme picked in View > Theme (set by app.window.themes)."""


def for_system() -> Palette:
    """The theme picked in View > Theme; else dark when the window background is dark."""
    app = QGuiApplication.instance()
    if app is None:
        return LIGHT
    chosen = app.property(CHOSEN_THEME_PROPERTY)
    if isinstance(chosen, str) and chosen in THEMES:
        return THEMES[chosen]
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    return DARK if window.lightnessF() < 0.5 else LIGHT


SYSTEM = "system"
"""The choice that follows the desktop's colour scheme."""
CHOICES: tuple[str, ...] = (SYSTEM, *THEMES)
"""What View > Theme offers (and what is remembered)."""


def system_theme(scheme: Qt.ColorScheme | None = None) -> str:
    """ "dark" or "light" as the desktop says (QStyleHints.colorScheme); light if unsure.
    `scheme`: the one the desktop just announced (colorSchemeChanged); None asks now."""
    app = QGuiApplication.instance()
    if app is None:
        return "light"
    if scheme is None:
        scheme = QGuiApplication.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Dark:
        return "dark"
    if scheme == Qt.ColorScheme.Light:
        return "light"
    # Unknown (no desktop settings, e.g. offscreen): the platform palette decides.
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    return "dark" if window.lightnessF() < 0.5 else "light"


def resolve(choice: str, scheme: Qt.ColorScheme | None = None) -> Palette:
    """The palette a choice stands for ("system" follows the desktop, or `scheme`)."""
    if choice == SYSTEM:
        return THEMES[system_theme(scheme)]
    return THEMES[choice]


def kind_role(kind: str) -> str:
    """The palette role that colours an event of `kind`."""
    return {
        "request": "request",
        "response": "response",
        "store": "store_hop",
        "attack": "attack",
    }.get(kind, "muted")


def carry_role(role: str, header: str) -> str:
    """The palette role of a credential badge: by what it is, then by where it rides."""
    if role == "refresh":
        return "refresh"
    if header == "Authorization":
        return "bearer"
    if header in ("Cookie", "Set-Cookie"):
        return "cookie"
    return "muted"
