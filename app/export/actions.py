"""The main window's Export… (Ctrl+E) and copy-request actions.

Apart from the rest of the package, which renders diagrams (and pulls in QtSvg and the
sequence diagram's scene): the toolbar and the Export menu show these actions in the
first frame, while the export machinery is imported the first time one is used.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from authflow.app import plain_text

if TYPE_CHECKING:
    from authflow.app.export.options import ExportOptions
    from authflow.app.session.player import Player
    from authflow.simulator.trace.trace import Trace

_SUFFIX: dict[str, tuple[str, str]] = {
    "png": (".png", "PNG image (*.png)"),
    "svg": (".svg", "SVG image (*.svg)"),
    "mermaid": (".mmd", "Mermaid (*.mmd *.md)"),
    "pdf": (".pdf", "PDF handout (*.pdf)"),
    "har": (".har", "HAR network log (*.har)"),
    "webp": (".webp", "Animated WebP (*.webp)"),
    "gif": (".gif", "Animated GIF (*.gif)"),
    "apng": (".png", "Animated PNG (*.png *.apng)"),
}


class ExportActions(QObject):
    """The Export… (Ctrl+E) and copy-request actions of the main window."""

    def __init__(
        self, window: QWidget, player: Player, sequence_view: QWidget | None = None
    ) -> None:
        super().__init__(window)
        self.window = window
        self.player = player
        self.sequence_view = sequence_view
        self.last_dir = str(Path.home())
        self.export_action = QAction("&Export…", window)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.export_action.setToolTip(
            "Export the diagram or the stage as PNG, SVG, an animation or a PDF handout; "
            "the trace as Mermaid or HAR"
        )
        self.export_action.triggered.connect(self.run_dialog)
        self.copy_curl_action = QAction("Copy request as &curl", window)
        self.copy_curl_action.triggered.connect(lambda: self._copy("curl"))
        self.copy_raw_action = QAction("Copy request as &raw HTTP", window)
        self.copy_raw_action.triggered.connect(lambda: self._copy("raw"))
        for action in (self.export_action, self.copy_curl_action, self.copy_raw_action):
            window.addAction(action)

    def _copy(self, form: Literal["curl", "raw"]) -> None:
        from authflow.app.views.request_copy import copy_request

        try:
            copy_request(self.player.trace, self.player.index, form)
        except (KeyError, ValueError) as exc:  # NothingToCopy is a ValueError
            plain_text.warn(self.window, "Copy request", str(exc))

    def run_dialog(self) -> None:
        trace = self.player.trace
        if trace is None:
            QMessageBox.information(self.window, "Export", "There is no run to export yet.")
            return
        from authflow.app.export.dialog import ExportDialog
        from authflow.app.views import palette

        current = max(0, self.player.index)
        dialog = ExportDialog(self.window, palette.for_system().name, len(trace.events), current)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        fmt = dialog.file_format()
        suffix, file_filter = _SUFFIX[fmt]
        default = Path(self.last_dir) / f"{trace.scenario}-{trace.mode}{suffix}"
        path, _ = QFileDialog.getSaveFileName(self.window, "Export", str(default), file_filter)
        if not path:
            return
        if not Path(path).suffix:
            path += suffix
        self.last_dir = str(Path(path).parent)
        step = self.player.index if self.player.index >= 0 else None
        self.save(trace, path, dialog.options(step))

    def save(self, trace: Trace, path: str, options: ExportOptions) -> bool:
        """Export and report a failure in a message box; True when the file was written."""
        from authflow.app.export.files import export
        from authflow.app.export.options import ExportError

        try:
            export(trace, path, options)
        except ExportError as exc:
            plain_text.warn(self.window, "Export failed", str(exc))
            return False
        return True
