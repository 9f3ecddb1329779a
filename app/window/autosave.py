"""Autosave: the open workspace every few steps, and an offer to restore it after a crash.

While Authflow runs, a marker file in the app-data folder says so, and the workspace
(app/window/workspace.py's JSON, written atomically) is saved on every new run and every
`EVERY` step changes. A clean exit removes the marker; a marker left behind by a
process that is gone means the last exit was not clean, and the next start offers
(through an injectable prompt) to restore the autosaved lesson, mode and step.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from authflow.app import plain_text, savefile
from authflow.app.window import crash, running_marker, workspace

if TYPE_CHECKING:
    from authflow.app.window.host import Host

EVERY = 5
"""Step changes between autosaves (a new run always saves)."""
MARKER_PREFIX = "running-"
AUTOSAVE_PREFIX = "autosave-"

Ask = Callable[[str], bool]
"""(question) -> True to restore; tests inject an answer instead of a dialog."""
Tell = Callable[[str, str], object]
"""(title, message) -> shown to the user; tests inject a recorder instead of a dialog."""
KEPT_PREFIX = "unrestorable-"
"""An autosave that could not be restored is renamed to this, never deleted."""


class Autosaver(QObject):
    """Keeps an autosave of the window's workspace and the running marker up to date."""

    def __init__(
        self,
        host: Host,
        directory: Path | None = None,
        ask: Ask | None = None,
        every: int = EVERY,
        tell: Tell | None = None,
    ) -> None:
        super().__init__(host.qt)
        self.host = host
        self.directory = directory or crash.app_data_dir()
        self.ask: Ask = ask or self._ask_dialog
        self.tell: Tell = tell or self._tell_dialog
        self.every = max(1, every)
        self.pid = os.getpid()
        self.saves = 0
        self._steps = 0
        self._restoring = False
        self._offered = False

    @property
    def marker_path(self) -> Path:
        return self.directory / f"{MARKER_PREFIX}{self.pid}"

    @property
    def autosave_path(self) -> Path:
        return self.directory / f"{AUTOSAVE_PREFIX}{self.pid}{workspace.SUFFIX}"

    # Running ----------------------------------------------------------------------------
    def start(self) -> None:
        """Write the marker and save on every run and every `every` steps."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            marker = {"pid": self.pid, "autosave": self.autosave_path.name}
            savefile.save_bytes(self.marker_path, json.dumps(marker).encode("utf-8"))
        except OSError as exc:
            print(f"authflow: autosave is off: {exc}", file=sys.stderr)
            return
        self.host.controller.run_changed.connect(self._run_changed)
        self.host.player.step_changed.connect(self._step_changed)

    def _run_changed(self) -> None:
        self._steps = 0
        self.save()

    def _step_changed(self, _index: int) -> None:
        self._steps += 1
        if self._steps >= self.every:
            self._steps = 0
            self.save()

    def save(self) -> bool:
        """Write the workspace atomically; a failed autosave never interrupts the user."""
        if self._restoring or self.host.controller.trace is None:
            return False
        try:
            workspace.write(self.autosave_path, workspace.capture(self.host))
        except (workspace.WorkspaceError, OSError) as exc:
            print(f"authflow: autosave failed: {exc}", file=sys.stderr)
            return False
        self.saves += 1
        return True

    def finish(self) -> None:
        """A clean exit: no marker, no autosave. After the crash dialog's Quit both stay."""
        handler = crash.installed()
        if handler is not None and handler.quit_requested:
            self.save()
            return
        for path in (self.marker_path, self.autosave_path):
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)

    # Restoring --------------------------------------------------------------------------
    def leftovers(self) -> list[tuple[Path, Path]]:
        """(marker, autosave) of runs that ended without a clean exit, newest first."""
        found: list[tuple[float, Path, Path]] = []
        try:
            markers = list(self.directory.glob(f"{MARKER_PREFIX}*"))
        except OSError:
            return []
        for marker in markers:
            pid = running_marker.pid_of(marker.name, MARKER_PREFIX)
            if pid is None:
                continue  # not a name we write; leave it alone
            try:
                written = marker.stat().st_mtime
            except OSError:
                continue
            if running_marker.still_running(pid, written):
                continue
            saved = self.directory / f"{AUTOSAVE_PREFIX}{pid}{workspace.SUFFIX}"
            try:
                when = saved.stat().st_mtime if saved.exists() else 0.0
            except OSError:
                when = 0.0
            found.append((when, marker, saved))
        found.sort(key=lambda row: row[0], reverse=True)
        return [(marker, saved) for _, marker, saved in found]

    def offer_restore(self) -> bool:
        """After an abnormal exit, ask to restore its autosave; True when restored."""
        self._offered = True
        stale = self.leftovers()
        restored = False
        for _marker, saved in stale[:1]:
            if not saved.exists():
                continue
            try:
                ws, trace = workspace.read(saved)
            except workspace.WorkspaceError as exc:
                self._keep_aside(saved, str(exc))
                continue
            question = (
                "Authflow did not close properly last time.\n\n"
                f"Restore the autosaved lesson “{ws.lesson}” in {ws.mode} mode at event "
                f"{ws.step + 1} of {len(trace.events)}?"
            )
            if not self.ask(question):
                continue
            self._restoring = True
            try:
                workspace.apply(self.host, ws, trace)
                restored = True
            except Exception as exc:  # a run refused after all: keep the current one
                self._keep_aside(saved, str(exc))
            finally:
                self._restoring = False
        for marker, saved in stale:
            for path in (marker, saved):
                with contextlib.suppress(OSError):
                    path.unlink(missing_ok=True)
        if restored:
            self.save()
        return restored

    def _keep_aside(self, saved: Path, reason: str) -> Path | None:
        """Rename an autosave that cannot be restored (so the clean-up below leaves it)
        and tell the user where it is: it may be the only copy of their work."""
        kept = self.directory / f"{KEPT_PREFIX}{saved.name}"
        n = 1
        while kept.exists() or kept.is_symlink():
            n += 1
            kept = self.directory / f"{KEPT_PREFIX}{n}-{saved.name}"
        try:
            saved.rename(kept)
        except OSError as exc:
            where = f"It is still at {saved} (it could not be renamed: {exc.strerror})."
            result = None
        else:
            where = f"It was kept as {kept}; nothing was deleted."
            result = kept
        print(f"authflow: the autosave cannot be restored: {reason}", file=sys.stderr)
        self.tell(
            "The autosave could not be restored",
            "Authflow did not close properly last time, but its autosaved workspace cannot "
            f"be restored:\n{reason[:400]}\n\n{where}",
        )
        return result

    def offer_after_first_run(self) -> None:
        """Offer once the first run is on screen (the window's own start comes first)."""

        def first_run() -> None:
            self.host.controller.run_changed.disconnect(first_run)
            QTimer.singleShot(0, self.offer_restore)

        self.host.controller.run_changed.connect(first_run)

    def _tell_dialog(self, title: str, message: str) -> None:
        plain_text.warn(self.host.qt, title, message)  # the reason quotes the file

    def _ask_dialog(self, question: str) -> bool:
        box = plain_text.message_box(
            self.host.qt,
            "Restore the autosaved workspace?",
            question,  # names the lesson, as the autosave file has it
            QMessageBox.Icon.Question,
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        return box.exec() == QMessageBox.StandardButton.Yes


def install(host: Host, directory: Path | None = None, offer: bool = True) -> Autosaver:
    """What `authflow` does: autosave while running, offer a restore (unless `offer` is
    False: then a crashed run's files stay for a later launch), tidy up on quit."""
    saver = Autosaver(host, directory)
    if offer:
        saver.offer_after_first_run()
    saver.start()
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(saver.finish)
    return saver
