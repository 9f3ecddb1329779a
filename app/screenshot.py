"""`authflow --screenshot FILE.png`: render the main window at a point of a lesson.

Runs offscreen (no window appears), shows event N of the lesson in the chosen mode,
grabs the window at the requested size and writes the PNG atomically.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QSize
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from authflow.app import savefile
from authflow.app.window.shell import MainWindow


def parse_size(text: str) -> QSize:
    """ "1366x768" -> QSize(1366, 768); raises ValueError with a readable message."""
    try:
        w, h = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise ValueError(f"--size wants WIDTHxHEIGHT such as 1366x768, not {text!r}") from None
    if not (200 <= w <= 10000 and 150 <= h <= 10000):
        raise ValueError(f"--size {text}: width and height must be within 200x150..10000x10000")
    return QSize(w, h)


def render(window: MainWindow, size: QSize) -> QImage:
    """The window drawn at exactly `size` logical pixels."""
    window.resize(size)
    window.show()
    app = QApplication.instance()
    assert app is not None
    for _ in range(3):  # layout, then the stage's fit, then its repaint
        app.processEvents()
    # Arranging the docks on the first show can change the minimum size; ask again.
    window.resize(size)
    for _ in range(3):
        app.processEvents()
    window.stage_view.fit()
    window.stage.stop()
    image = window.grab().toImage()
    if image.size() != size * image.devicePixelRatio():
        image = image.scaled(size)
    return image


def save_png(image: QImage, path: str | Path) -> None:
    """Write `image` to `path` all at once: no half-written file on failure."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]  # stubs say bytes; runtime wants str
        raise OSError(f"cannot encode PNG for {path}")
    savefile.save_bytes(path, bytes(buffer.data().data()))  # SaveError is an OSError


def take(
    path: str | Path,
    *,
    lesson: str | None = None,
    mode: str = "session",
    step: int | None = None,
    size: QSize | None = None,
    seed: int = 1,
    theme: str | None = None,
) -> QImage:
    """Render lesson `lesson` in `mode` at event `step` (1-based; default: the last event)."""
    from authflow.app.views import palette as palettes

    palette = palettes.THEMES[theme] if theme else palettes.for_system()
    window = MainWindow(scenario=lesson, mode=mode, seed=seed, palette=palette, animation_ms=0)
    themes = window.parts.themes  # the widgets' palette too
    if theme:
        themes.choose(theme)
    try:
        window.finish_panels()  # no first paint to wait for: the picture needs them
        window.load_lessons()
        window.controller.rebuild(None if step is None else step - 1)
        image = render(window, size or QSize(1366, 768))
        save_png(image, path)
        return image
    finally:
        themes.restore_application()
        window.shutdown()
        window.close()
        window.deleteLater()
