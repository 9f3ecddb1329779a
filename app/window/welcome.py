"""First run: a short welcome offering the `basics` lesson in each mode; Help > About.

The welcome explains the three actors in one sentence each and is never shown again
once dismissed, whichever way (a lesson button, Close, or the window's X).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from authflow.app.window.persistence import WELCOME_DISMISSED

if TYPE_CHECKING:
    from authflow.app.window.host import Host

LESSON = "basics"
ACTORS: tuple[tuple[str, str], ...] = (
    (
        "Browser",
        "keeps cookies and page storage and sends them back by its own rules.",
    ),
    (
        "Server",
        "checks the password, then issues and verifies sessions or signed tokens.",
    ),
    (
        "Store",
        "remembers sessions, refresh tokens and revoked tokens; when it is shared, "
        "every server can look them up.",
    ),
)
START_BUTTONS: tuple[tuple[str, str], ...] = (
    ("session", "Cookie &session"),
    ("jwt", "&JWT"),
    ("hybrid", "&Hybrid (JWT + refresh cookie)"),
)
LINE_CHARS = 52
"""The welcome's width in average characters, whatever the font size."""
LIBRARIES = ("PySide6-Essentials", "PyJWT", "cryptography", "itsdangerous")

ShowAbout = Callable[[QWidget, str, str], object]


class WelcomeDialog(QDialog):
    """Three actors, three ways to start the first lesson."""

    def __init__(self, host: Host, settings: QSettings | None = None) -> None:
        super().__init__(host.qt)
        # A dialog is a window of its own and keeps the system font unless told to
        # take its parent's: the main window scales its font for its screen
        # (MainWindow.scale_for_screen), so on a projector the welcome grows with it.
        self.setAttribute(Qt.WidgetAttribute.WA_WindowPropagation)
        self.host = host
        self.settings = settings
        self.chosen: str | None = None
        self.setObjectName("welcome")
        self.setWindowTitle("Welcome to Authflow")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Authflow shows, step by step and with real cryptography, how a browser, a "
            "server and a store keep you logged in."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        for name, sentence in ACTORS:
            label = QLabel(f"<b>{name}</b> {sentence}")
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            layout.addWidget(label)
        layout.addWidget(QLabel(f"Start the <b>{LESSON}</b> lesson with:"))
        self.buttons: dict[str, QPushButton] = {}
        for mode, text in START_BUTTONS:
            button = QPushButton(text)
            button.setObjectName(f"welcome_{mode}")
            button.setAccessibleName(f"Start the {LESSON} lesson in {text.replace('&', '')} mode")
            button.clicked.connect(lambda _c=False, m=mode: self.start(m))
            layout.addWidget(button)
            self.buttons[mode] = button
        close = QPushButton("Just let me look around")
        close.setObjectName("welcome_close")
        close.setAccessibleName("Close the welcome")
        close.clicked.connect(self.reject)
        layout.addWidget(close)
        self.buttons[""] = close
        self.buttons["session"].setDefault(True)
        self.buttons["session"].setFocus()
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit()

    def _fit(self) -> None:
        """A line length that reads well, and the height its wrapped lines need: a top
        level layout does not ask word-wrapped labels their height for a width, so a
        larger font would otherwise cut the sentences off."""
        layout = self.layout()
        if layout is None:
            return
        width = self.fontMetrics().averageCharWidth() * LINE_CHARS
        height = layout.totalHeightForWidth(width)
        self.setMinimumSize(width, height)
        self.resize(width, height)

    def start(self, mode: str) -> None:
        self.chosen = mode
        self.host.start_lesson(LESSON, mode)
        self.accept()

    def done(self, result: int) -> None:
        self._dismiss()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._dismiss()
        super().closeEvent(event)

    def _dismiss(self) -> None:
        if self.settings is not None:
            self.settings.setValue(WELCOME_DISMISSED, True)
            self.settings.sync()


def dismissed(settings: QSettings) -> bool:
    value = settings.value(WELCOME_DISMISSED, False)
    return value is True or str(value).lower() == "true"


def show_if_first_run(host: Host, settings: QSettings) -> WelcomeDialog | None:
    """Open the welcome (not modal) unless it was dismissed before."""
    if dismissed(settings):
        return None
    dialog = WelcomeDialog(host, settings)
    dialog.setModal(False)
    dialog.show()
    return dialog


def versions() -> list[tuple[str, str]]:
    """(name, version) of Authflow's foundations, as installed."""
    # importlib.metadata costs ~100 ms to import, platform a few; only Help > About
    # needs them.
    import platform
    from importlib import metadata

    import PySide6
    from PySide6 import QtCore

    out = [("Python", platform.python_version()), ("Qt", QtCore.qVersion())]
    for name in LIBRARIES:
        try:
            out.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            if name.startswith("PySide6"):
                out.append(("PySide6", PySide6.__version__))
    return out


def app_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("authflow")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def about_text() -> str:
    import platform

    libs = "".join(f"<li>{name} {version}</li>" for name, version in versions())
    return (
        f"<h3>Authflow {app_version()}</h3>"
        "<p>See, step by step and with real cryptography, how browsers, servers and "
        "stores keep a user logged in.</p>"
        f"<p>Built on:</p><ul>{libs}</ul>"
        f"<p>Running on {platform.system()} ({sys.platform}).</p>"
    )


class AboutAction(QAction):
    """Help > About Authflow; `show` is injectable so tests never open a dialog."""

    def __init__(self, window: QWidget, show: ShowAbout | None = None) -> None:
        super().__init__("&About Authflow", window)
        self.setObjectName("action_about")
        self.setToolTip("Version and the libraries Authflow stands on")
        self.show_about: ShowAbout = show or QMessageBox.about
        self.triggered.connect(lambda: self.show_about(window, "About Authflow", about_text()))
