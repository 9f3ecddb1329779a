"""Crash safety: an application-wide exception hook, its dialog and its log file.

Python exceptions raised anywhere in the app, including inside Qt slots (PySide hands
those to `sys.excepthook` and carries on), land in `CrashHandler.handle`: the details
are appended to a log in the platform's app-data folder, and the user sees what went
wrong with a "Copy details" button. Returning from the hook keeps the event loop (and
the lecture) going; only the user chooses to quit. The dialog is injectable, so tests
record the call instead of showing a modal.
"""

from __future__ import annotations

import contextlib
import datetime
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from authflow.app import savefile

LOG_NAME = "authflow-errors.log"
MAX_LOG_BYTES = 1_000_000
"""Past this size the log moves to `<name>.1` (one old generation kept)."""
MAX_DIALOGS = 3
"""Distinct errors shown per session; beyond that (an error in every repaint, say)
they are logged and put in the status bar, never a stream of modal dialogs."""

ShowError = Callable[[str, str], object]
"""(summary, details) -> shown to the user; returns True when the user chose to quit."""
Hook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def app_data_dir() -> Path:
    """The platform's app-data folder (created on demand), e.g. ~/.local/share/Authflow."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    path = Path(location) if location else Path.home() / ".authflow"
    return path


def format_details(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> str:
    """A report worth pasting into an issue: when, which versions, the traceback."""
    import platform  # a few ms at startup for what only a crash report needs

    from PySide6 import __version__ as pyside_version

    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    lines = traceback.format_exception(exc_type, exc, tb)
    return (
        f"Authflow error at {now}\n"
        f"Python {platform.python_version()}, PySide6 {pyside_version}, "
        f"{platform.platform()}\n" + "".join(lines)
    )


def summary_of(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text[:300]}" if text else type(exc).__name__


class CrashDialog(QDialog):
    """What went wrong, the details in a read-only box, Copy details / Continue / Quit."""

    def __init__(self, summary: str, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Authflow: something went wrong")
        self.quit_requested = False
        intro = QLabel(
            "Authflow hit an unexpected error. Your lesson is still open and was "
            "autosaved: you can carry on, or quit and restore it at the next start.\n\n"
            f"{summary}"
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)  # the error can quote a token or a file
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setMinimumHeight(160)
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton("Copy details")
        self.copy_button.setObjectName("copy_details")
        self.copy_button.clicked.connect(self.copy_details)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        carry_on = buttons.addButton("Continue", QDialogButtonBox.ButtonRole.AcceptRole)
        carry_on.setDefault(True)
        quit_button = buttons.addButton("Quit Authflow", QDialogButtonBox.ButtonRole.RejectRole)
        quit_button.setObjectName("quit_authflow")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self._quit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(640, 360)

    def copy_details(self) -> None:
        QApplication.clipboard().setText(self.details.toPlainText())
        self.copy_button.setText("Copied")

    def _quit(self) -> None:
        self.quit_requested = True
        self.reject()


def show_dialog(summary: str, details: str) -> bool:
    """The real dialog (tests inject a recorder); True when the user chose to quit."""
    dialog = CrashDialog(summary, details, QApplication.activeWindow())
    dialog.exec()
    return dialog.quit_requested


class CrashHandler:
    """`sys.excepthook` for the whole app: log, tell the user, keep running."""

    def __init__(
        self,
        log_dir: Path | None = None,
        show: ShowError | None = None,
        exit_app: Callable[[int], object] | None = None,
    ) -> None:
        self.log_dir = log_dir
        self.show: ShowError = show or show_dialog
        self.exit_app: Callable[[int], object] = exit_app or _exit_app
        """Leaves the event loop with a status (tests record the call instead)."""
        self.errors = 0
        self.quit_requested = False
        """The user quit from the dialog: the exit was not a clean one (autosave keeps
        its marker so the next start offers to restore)."""
        self._shown: set[tuple[str, str]] = set()
        self._busy = False
        self._previous: Hook | None = None

    @property
    def log_path(self) -> Path:
        return (self.log_dir or app_data_dir()) / LOG_NAME

    def install(self) -> CrashHandler:
        global _installed
        self._previous = sys.excepthook
        sys.excepthook = self.handle
        _installed = self
        return self

    def uninstall(self) -> None:
        global _installed
        if sys.excepthook == self.handle and self._previous is not None:
            sys.excepthook = self._previous
        if _installed is self:
            _installed = None

    def handle(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            # Ctrl+C in the terminal: leave like any program would.
            self.exit_app(130)
            return
        self.errors += 1
        details = format_details(exc_type, exc, tb)
        # No console (pythonw) or a closed one: the log and the dialog still say it.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            sys.stderr.write(details)
        self.write_log(details)
        summary = summary_of(exc)
        if not self._should_show(exc_type, tb):
            self._status(f"Error (logged to {self.log_path}): {summary}")
            return
        self._busy = True
        try:
            if self.show(summary, details) is True:
                self.quit_requested = True
                self.exit_app(1)
        except Exception as dialog_error:  # the dialog itself must not recurse into us
            self.write_log(f"(the error dialog failed: {dialog_error!r})\n")
        finally:
            self._busy = False

    def _should_show(self, exc_type: type[BaseException], tb: TracebackType | None) -> bool:
        if self._busy or QApplication.instance() is None:
            return False  # an error while the dialog is up (a repaint, say): log only
        where = traceback.extract_tb(tb)[-1] if tb is not None else None
        key = (exc_type.__name__, f"{where.filename}:{where.lineno}" if where else "")
        if key in self._shown or len(self._shown) >= MAX_DIALOGS:
            return False
        self._shown.add(key)
        return True

    def _status(self, text: str) -> None:
        from PySide6.QtWidgets import QMainWindow

        app = QApplication.instance()
        if not isinstance(app, QApplication):
            return
        for widget in app.topLevelWidgets():
            if isinstance(widget, QMainWindow) and widget.isVisible():
                widget.statusBar().showMessage(text, 10000)

    def write_log(self, text: str) -> None:
        """Append `text` to the log; a log that cannot be written is not a second crash."""
        path = self.log_path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # A FIFO in the log's place would block the append (and the app) for good.
            savefile.check_target(path)
            if path.exists() and path.stat().st_size > MAX_LOG_BYTES:
                path.replace(path.with_name(path.name + ".1"))
            with path.open("a", encoding="utf-8", errors="replace") as log:
                log.write(text if text.endswith("\n") else text + "\n")
                log.write("\n")
        except OSError:
            pass


def _exit_app(status: int) -> None:
    app = QApplication.instance()
    if app is not None:
        app.exit(status)


_installed: CrashHandler | None = None


def installed() -> CrashHandler | None:
    """The handler `install` put in place, if any (autosave asks whether the user quit)."""
    return _installed


def install(
    log_dir: Path | None = None,
    show: ShowError | None = None,
    exit_app: Callable[[int], object] | None = None,
) -> CrashHandler:
    """Catch every uncaught Python exception from here on (call once QApplication exists)."""
    return CrashHandler(log_dir, show, exit_app).install()
