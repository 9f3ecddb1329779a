"""How a top-level window sizes its text for its screen: a projector gets large text.

The screen's size in logical pixels (after Qt's high-DPI scaling), never the window's:
resizing a window must not change its menus' and toolbars' text."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QFont

REFERENCE_SIZE = QSize(1366, 768)
"""At or below a laptop's screen, the system font as it is."""


def text_factor(size: QSize) -> float:
    """How much larger than the system font text should be on a screen of `size`."""
    ratio = min(size.width() / REFERENCE_SIZE.width(), size.height() / REFERENCE_SIZE.height())
    # Less than proportional: on a 4K projector text grows about 2.3x, not 2.8x, so
    # more of the lesson still fits.
    return float(max(1.0, ratio) ** 0.8)


def scaled_font(base: QFont, factor: float) -> QFont:
    """`base` grown by `factor`, in points or in pixels as `base` is given."""
    font = QFont(base)
    if font.pointSizeF() > 0:
        font.setPointSizeF(base.pointSizeF() * factor)
    else:
        font.setPixelSize(round(base.pixelSize() * factor))
    return font
