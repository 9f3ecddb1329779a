"""Workspace files: a small JSON file that reproduces a run exactly, and File menu entries.

A workspace holds what the RunController re-simulates from (lesson, mode, setting
overrides, seed, the user's extra actions) and the event shown. Reading one never
decides what is valid: the simulator's own checks (load_scenario, settings.resolve,
actions.check_args, and finally a real run) do, and the file is applied only after the
run succeeded, so a damaged or foreign file leaves the open workspace untouched.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from authflow.app import plain_text

if TYPE_CHECKING:
    from authflow.app.window.host import Host
    from authflow.simulator.trace.trace import Step, Trace

FORMAT = "authflow-workspace"
VERSION = 1
SUFFIX = ".authflow.json"
MAX_BYTES = 1_000_000
"""A workspace is a few hundred bytes; anything this large is not one."""
MAX_ACTIONS = 1000
RECENT_LIMIT = 8

Warn = Callable[[str, str], object]
"""(title, message) -> shown to the user; tests inject a recorder instead of a dialog."""


class WorkspaceError(ValueError):
    """Why a file cannot be opened as a workspace; the message is for the user."""


@dataclass(frozen=True, slots=True)
class Workspace:
    """Everything needed to re-run the same trace and show the same event."""

    lesson: str
    mode: str
    seed: int
    settings: Mapping[str, str] = field(default_factory=dict)
    """Setting overrides on top of the lesson's own settings."""
    actions: tuple[Step, ...] = ()
    """The user's actions after the lesson's steps (edit-and-resend, Log in...)."""
    step: int = -1
    """Index of the event shown; -1 is before the first event."""

    def to_json(self) -> str:
        # Imported here: the window paints before it loads the simulator.
        from authflow.app.views.inspectors.trace_lookup import plain

        data = {
            "format": FORMAT,
            "version": VERSION,
            "lesson": self.lesson,
            "mode": self.mode,
            "settings": dict(self.settings),
            "seed": self.seed,
            "actions": [
                {"action": s.action, "args": plain(s.args), "narration": s.narration}
                for s in self.actions
            ],
            "step": self.step,
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def capture(host: Host) -> Workspace:
    """The workspace open in the window."""
    c = host.controller
    return Workspace(
        lesson=c.scenario,
        mode=c.mode,
        seed=c.seed,
        settings=dict(c.overrides),
        actions=tuple(c.extra_steps),
        step=host.player.index,
    )


def _field(data: Mapping[str, Any], key: str, kind: type, what: str) -> Any:
    if key not in data:
        raise WorkspaceError(f"the workspace has no {key!r} ({what})")
    value = data[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise WorkspaceError(f"{key!r} must be {what}, not {type(value).__name__} {value!r:.60}")
    return value


MESSAGE_LIMIT = 400
"""A hostile file can make an error message as long as itself; the user reads a line."""


def _said(exc: BaseException) -> str:
    """What went wrong, in a few hundred characters at most."""
    text = str(exc) or type(exc).__name__
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1] + "…"


def parse(text: str) -> Workspace:
    """Read workspace JSON; raise WorkspaceError (and nothing else) when it is not one."""
    try:
        return _parse(text)
    except WorkspaceError:
        raise
    except Exception as exc:  # the simulator's own message is the user's answer
        raise WorkspaceError(_said(exc)) from None


def _parse(text: str) -> Workspace:
    from authflow import simulator
    from authflow.simulator.actions import catalogue as sim_actions
    from authflow.simulator.config import json_text
    from authflow.simulator.config import settings as sim_settings
    from authflow.simulator.trace.trace import Step

    if len(text) > MAX_BYTES:
        raise WorkspaceError("the file is far too large to be a workspace")
    try:
        data = json_text.loads(text.removeprefix("\ufeff"))  # a BOM from a Windows editor
    except json_text.JsonTextError as exc:
        raise WorkspaceError(f"the file is not valid JSON (damaged or cut short?): {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise WorkspaceError("this is not an Authflow workspace file")
    version = _field(data, "version", int, "a whole number")
    if version != VERSION:
        raise WorkspaceError(
            f"workspace version {version} is not supported (this Authflow reads {VERSION})"
        )
    lesson = _field(data, "lesson", str, "a lesson name")
    if "/" in lesson or "\\" in lesson or lesson.endswith(".toml") or "\0" in lesson:
        raise WorkspaceError(
            f"'lesson' must name a lesson from the library, not a file: {lesson!r}"
        )
    mode = _field(data, "mode", str, "a mode name")
    if mode not in simulator.MODES:
        raise WorkspaceError(f"unknown mode {mode!r}; valid modes: {', '.join(simulator.MODES)}")
    seed = _field(data, "seed", int, "a whole number")
    overrides = data.get("settings", {})
    if not isinstance(overrides, dict):
        raise WorkspaceError("'settings' must be an object of setting names and values")
    for key, value in overrides.items():
        if not isinstance(value, str | int | bool) or isinstance(value, float):
            raise WorkspaceError(f"setting {key!r} must be text, a number or true/false")
    sim_settings.resolve(overrides)  # SettingError names the valid keys and values
    settings = {
        k: ("true" if v is True else "false" if v is False else str(v))
        for k, v in overrides.items()
    }
    raw_actions = data.get("actions", [])
    if not isinstance(raw_actions, list) or len(raw_actions) > MAX_ACTIONS:
        raise WorkspaceError(f"'actions' must be a list of at most {MAX_ACTIONS} actions")
    steps: list[Step] = []
    for i, raw in enumerate(raw_actions, 1):
        if not isinstance(raw, dict):
            raise WorkspaceError(f"action {i} must be an object with 'action' and 'args'")
        name = _field(raw, "action", str, "an action name")
        args = raw.get("args", {})
        narration = raw.get("narration", "")
        if not isinstance(args, dict) or not isinstance(narration, str):
            raise WorkspaceError(f"action {i}: 'args' must be an object, 'narration' text")
        try:
            sim_actions.check_args(name, args)
        except sim_actions.ActionError as exc:
            raise WorkspaceError(f"action {i}: {exc}") from None
        steps.append(Step(name, args, narration))
    step = data.get("step", -1)
    if not isinstance(step, int) or isinstance(step, bool) or step < -1:
        raise WorkspaceError("'step' must be -1 (before the first event) or an event number")
    return Workspace(lesson, mode, seed, settings, tuple(steps), step)


def _setting_text(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def simulate(ws: Workspace) -> Trace:
    """The workspace's trace, exactly as the RunController would build it."""
    from authflow import simulator

    try:
        trace = simulator.run_scenario(ws.lesson, ws.mode, ws.settings, ws.seed, ws.actions)
    except Exception as exc:  # ScenarioError, SettingError, SimulationError...: say why
        raise WorkspaceError(_said(exc)) from None
    if ws.step >= len(trace.events):
        raise WorkspaceError(
            f"'step' {ws.step} is past the end of the run ({len(trace.events)} events)"
        )
    return trace


def read(path: str | Path) -> tuple[Workspace, Trace]:
    """Load and run the workspace at `path`; WorkspaceError says why it cannot be."""
    from authflow.simulator.config import userfiles

    try:
        text = userfiles.read_text(path, MAX_BYTES)
    except userfiles.UserFileError as exc:
        raise WorkspaceError(f"cannot read the file: {exc}") from None
    ws = parse(text)
    return ws, simulate(ws)


def write(path: str | Path, ws: Workspace) -> None:
    """Write atomically: the old file stays whole unless the new one is complete."""
    # Imported here: QSaveFile's PySide enums cost ~1.5 ms before the window's first
    # frame, and nothing is saved until a lesson has run.
    from authflow.app.savefile import SaveError, save_bytes

    try:
        save_bytes(path, ws.to_json().encode("utf-8"))
    except SaveError as exc:
        raise WorkspaceError(str(exc)) from None


def apply(host: Host, ws: Workspace, trace: Trace) -> None:
    """Make `ws` the open workspace (its trace is already known to run)."""
    c = host.controller
    previous = (c.scenario, c.mode, dict(c.overrides), c.seed, list(c.extra_steps))
    host.player.pause()
    c.scenario, c.mode, c.overrides, c.seed = ws.lesson, ws.mode, dict(ws.settings), ws.seed
    c.extra_steps = list(ws.actions)
    try:
        c.rebuild(ws.step)
    except Exception:
        c.scenario, c.mode, c.overrides, c.seed, c.extra_steps = previous
        raise
    host.show_run_choice()


class WorkspaceActions(QObject):
    """File > Save workspace, Open workspace and Open recent."""

    recent_changed = Signal(list)

    def __init__(
        self,
        host: Host,
        warn: Warn | None = None,
        ask_open: Callable[[], str] | None = None,
        ask_save: Callable[[str], str] | None = None,
    ) -> None:
        window = host.qt
        super().__init__(window)
        self.host = host
        self.window = window
        self.warn: Warn = warn or self._warn_dialog
        self.ask_open = ask_open or self._ask_open
        self.ask_save = ask_save or self._ask_save
        self.recent: list[str] = []
        self.save_action = QAction("&Save workspace…", window)
        self.save_action.setObjectName("action_save_workspace")
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.setToolTip("Save lesson, mode, settings, seed and step to a file")
        self.save_action.triggered.connect(self.save)
        self.open_action = QAction("&Open workspace…", window)
        self.open_action.setObjectName("action_open_workspace")
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.setToolTip("Open a saved workspace: the same run at the same step")
        self.open_action.triggered.connect(self.open)
        self.recent_menu = QMenu("Open &recent", window)
        self.recent_menu.setObjectName("menu_recent")
        for action in (self.save_action, self.open_action):
            window.addAction(action)
        self._fill_recent()

    def add_to(self, file_menu: QMenu) -> None:
        first = file_menu.actions()[0] if file_menu.actions() else None
        for action in (self.open_action, self.recent_menu.menuAction(), self.save_action):
            if first is None:
                file_menu.addAction(action)
            else:
                file_menu.insertAction(first, action)
        if first is not None:
            file_menu.insertSeparator(first)

    # Saving and opening -----------------------------------------------------------------
    def save(self) -> bool:
        default = self.recent[0] if self.recent else f"{self.host.controller.scenario}{SUFFIX}"
        path = self.ask_save(default)
        return bool(path) and self.save_to(path)

    def save_to(self, path: str) -> bool:
        try:
            write(path, capture(self.host))
        except WorkspaceError as exc:
            self.warn("Save workspace", str(exc))
            return False
        self._remember(path)
        self.window.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def open(self) -> bool:
        path = self.ask_open()
        return bool(path) and self.open_path(path)

    def open_path(self, path: str) -> bool:
        """Open `path`; on any problem say why and keep the workspace as it was."""
        try:
            ws, trace = read(path)
            apply(self.host, ws, trace)
        except Exception as exc:  # WorkspaceError, or a run refused after all
            self.warn("Open workspace", f"Could not open {Path(path).name}:\n{_said(exc)}")
            return False
        self._remember(path)
        return True

    # Recent files -----------------------------------------------------------------------
    def set_recent(self, paths: list[str]) -> None:
        self.recent = [p for p in paths if isinstance(p, str) and p][:RECENT_LIMIT]
        self._fill_recent()

    def _remember(self, path: str) -> None:
        path = str(Path(path).resolve())
        self.recent = [path, *(p for p in self.recent if p != path)][:RECENT_LIMIT]
        self._fill_recent()
        self.recent_changed.emit(list(self.recent))

    def _fill_recent(self) -> None:
        menu = self.recent_menu
        menu.clear()
        for i, path in enumerate(self.recent, 1):
            action = menu.addAction(f"&{i} {plain_text.menu_text(Path(path).name)}")
            action.setToolTip(plain_text.tip(path))
            action.setStatusTip(path)
            action.triggered.connect(lambda _c=False, p=path: self.open_path(p))
        if self.recent:
            menu.addSeparator()
            menu.addAction("&Clear the list", self._clear_recent)
        menu.setEnabled(bool(self.recent))

    def _clear_recent(self) -> None:
        self.recent = []
        self._fill_recent()
        self.recent_changed.emit([])

    # Real dialogs (replaced in tests) ---------------------------------------------------
    def _warn_dialog(self, title: str, message: str) -> None:
        plain_text.warn(self._parent_widget(), title, message)

    def _ask_open(self) -> str:
        path, _ = QFileDialog.getOpenFileName(
            self._parent_widget(), "Open workspace", "", f"Authflow workspace (*{SUFFIX} *.json)"
        )
        return path

    def _ask_save(self, default: str) -> str:
        path, _ = QFileDialog.getSaveFileName(
            self._parent_widget(), "Save workspace", default, f"Authflow workspace (*{SUFFIX})"
        )
        if path and not path.endswith(".json"):
            path += SUFFIX
        return path

    def _parent_widget(self) -> QWidget:
        return self.window
