"""Colours the inspectors add to app/views/palette.py: change tints and JWT part colours.

app/views/palette.py has no roles for token parts or row changes yet, so they live here.
Hues are Okabe & Ito's colour-blind-safe set; every colour comes with a text label
(a "Change" column, a "HEADER" tag), so colour is never the only signal. Row tints are
translucent, so they read on light and dark bases alike.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

CHANGE_TINTS: dict[str, tuple[int, int, int, int]] = {
    "added": (0x00, 0x9E, 0x73, 70),  # bluish green
    "changed": (0xE6, 0x9F, 0x00, 80),  # orange
    "deleted": (0xD5, 0x5E, 0x00, 60),  # vermillion
    "read": (0x56, 0xB4, 0xE9, 60),  # sky blue
    "written": (0xE6, 0x9F, 0x00, 80),  # orange
    "credential": (0x56, 0xB4, 0xE9, 45),  # sky blue, faint
}

# Token parts, as jwt.io taught students to expect three colours: orange header, blue
# payload, reddish-purple signature. Dark variants are the Okabe-Ito hues; light ones
# are darkened until the text has >= 4.5:1 contrast on white.
TOKEN_PARTS: dict[str, dict[str, str]] = {
    "light": {"header": "#A35A00", "payload": "#0063A0", "signature": "#A23C7C"},
    "dark": {"header": "#E69F00", "payload": "#56B4E9", "signature": "#E08FC0"},
}

VERDICT: dict[str, dict[str, str]] = {
    "light": {"ok": "#007A5A", "bad": "#B34700"},
    "dark": {"ok": "#2BC79A", "bad": "#FF7A2E"},
}


def change_brush(change: str) -> QColor | None:
    rgba = CHANGE_TINTS.get(change)
    return None if rgba is None else QColor(*rgba)


def theme_of(widget: QWidget) -> str:
    """ "dark" when the widget's base (text background) is dark, else "light"."""
    base = widget.palette().color(QPalette.ColorRole.Base)
    return "dark" if base.lightnessF() < 0.5 else "light"


def token_color(widget: QWidget, part: str) -> QColor:
    return QColor(TOKEN_PARTS[theme_of(widget)][part])


def verdict_color(widget: QWidget, ok: bool) -> QColor:
    return QColor(VERDICT[theme_of(widget)]["ok" if ok else "bad"])
