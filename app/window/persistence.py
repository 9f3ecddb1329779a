"""What Authflow remembers between runs, in QSettings.

Window geometry and dock layout, theme, the presenter's text size per screen, the last
lesson and mode, playback speed, setting overrides, recent workspaces and whether the
welcome was dismissed. Organisation and application names (and, for tests, the
directory) are injectable, so tests never touch the user's settings. Values read back
are checked by the simulator (lesson names, modes, settings) before they are used: a
stale or hand-edited settings file falls back to the defaults.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings

if TYPE_CHECKING:
    from authflow.app.window.host import Host
    from authflow.app.window.presenter import PresenterMode
    from authflow.app.window.themes import ThemeController
    from authflow.app.window.workspace import WorkspaceActions

ORGANIZATION = "Authflow"
APPLICATION = "Authflow"

GEOMETRY = "window/geometry"
STATE = "window/state"
THEME = "view/theme"
FONT_SCALE = "presenter/font_scale"
PINNED = "presenter/pinned"
LESSON = "run/lesson"
MODE = "run/mode"
SPEED = "run/speed"
OVERRIDES = "run/settings"
RECENT = "workspace/recent"
WELCOME_DISMISSED = "welcome/dismissed"


def open_settings(
    organization: str = ORGANIZATION,
    application: str = APPLICATION,
    directory: str | Path | None = None,
) -> QSettings:
    """The settings store; with `directory`, an INI file under it (tests use tmp_path)."""
    if directory is None:
        return QSettings(organization, application)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(Path(directory)))
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, organization, application
    )


def _float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _bytes(value: Any) -> QByteArray | None:
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


class Persistence(QObject):
    """Restores a window from QSettings and saves it back when the window closes."""

    def __init__(
        self,
        host: Host,
        settings: QSettings,
        themes: ThemeController,
        presenter: PresenterMode,
        workspace: WorkspaceActions,
    ) -> None:
        super().__init__(host.qt)
        self.host = host
        self.settings = settings
        self.dropped_overrides: list[str] = []
        """Why each remembered setting override was not restored (shown in the status bar)."""
        self.themes = themes
        self.presenter = presenter
        self.workspace = workspace
        host.qt.installEventFilter(self)
        presenter.scale_store = self.font_scale
        workspace.recent_changed.connect(lambda paths: self.settings.setValue(RECENT, paths))

    # Restoring ----------------------------------------------------------------------------
    def restore_run(self, keep_mode: bool = False) -> None:
        """Last lesson, mode and setting overrides. Call before `window.start()`.
        `keep_mode`: the mode was typed on the command line, so it beats the remembered one.

        The simulator is not imported here (the window paints before it loads): a lesson
        is taken back only while its file is still in the library, and the overrides are
        handed to the simulator's own checks once the first run has loaded it."""
        from importlib import resources

        from authflow.simulator.config.modes import MODES

        lesson = self.settings.value(LESSON)
        mode = self.settings.value(MODE)
        c = self.host.controller
        library = resources.files("authflow.assets").joinpath("scenarios")
        if isinstance(lesson, str) and lesson:
            lesson_file = library.joinpath(f"{lesson}.toml")
            if "/" not in lesson and "\\" not in lesson and lesson_file.is_file():
                c.scenario = lesson
        if isinstance(mode, str) and mode in MODES and not keep_mode:
            c.mode = mode
            if mode in self.host.mode_actions:
                self.host.mode_actions[mode].setChecked(True)
        try:
            overrides = json.loads(str(self.settings.value(OVERRIDES, "{}")))
        except ValueError:
            return
        if isinstance(overrides, dict) and overrides:
            self._pending_overrides = {str(k): v for k, v in overrides.items()}
            c.run_changed.connect(self._apply_overrides)

    def _apply_overrides(self) -> None:
        """Re-apply the remembered overrides, dropping (and saying so) every value the
        simulator refuses, alone or in this lesson and mode: a value that once passed
        must not break every start from now on."""
        c = self.host.controller
        c.run_changed.disconnect(self._apply_overrides)
        from authflow.simulator.config import settings as sim_settings

        kept: dict[str, str] = {}
        dropped: list[str] = []
        for key, value in self._pending_overrides.items():
            try:
                sim_settings.resolve({key: value})
            except ValueError as exc:
                dropped.append(str(exc))
                continue
            kept[key] = str(value)
        try:
            if kept:
                c.set_settings(kept)
        except Exception:  # valid one by one, refused together here: keep what runs
            self._keep_what_runs(kept, dropped)
        if dropped:
            self.dropped_overrides = dropped
            message = "Saved settings not restored: " + "; ".join(dropped)
            self.host.qt.statusBar().showMessage(message[:500], 60000)

    def _keep_what_runs(self, overrides: dict[str, str], dropped: list[str]) -> None:
        c = self.host.controller
        kept: dict[str, str] = {}
        for key, value in overrides.items():
            try:
                c.set_settings({**kept, key: value})
            except Exception as exc:
                dropped.append(f"{key}={value!r:.40}: {exc}")
            else:
                kept[key] = value

    def restore_view(self, theme: str | None = None) -> None:
        """Geometry, dock layout, theme (unless `theme` is given), speed, recent files."""
        h = self.host
        geometry = _bytes(self.settings.value(GEOMETRY))
        if geometry is not None:
            h.qt.restoreGeometry(geometry)
        state = _bytes(self.settings.value(STATE))
        if state is not None:
            h.restore_layout(state)
        from authflow.app.views.palette import CHOICES, SYSTEM

        stored = self.settings.value(THEME)
        self.themes.choose(theme or (stored if stored in CHOICES else SYSTEM))
        speed = _float(self.settings.value(SPEED))
        if speed is not None:
            h.player.set_speed(speed)
        self.presenter.pinned = set(_strings(self.settings.value(PINNED)))
        self.workspace.set_recent(_strings(self.settings.value(RECENT)))

    # Saving -------------------------------------------------------------------------------
    def save(self) -> None:
        h = self.host
        if self.presenter.active:
            self.presenter.leave()  # remember the lecture layout, not the projector one
        self.settings.setValue(GEOMETRY, h.qt.saveGeometry())
        self.settings.setValue(STATE, h.qt.saveState())
        self.settings.setValue(THEME, self.themes.choice)
        c = h.controller
        if c.scenario:
            self.settings.setValue(LESSON, c.scenario)
        self.settings.setValue(MODE, c.mode)
        self.settings.setValue(OVERRIDES, json.dumps(dict(c.overrides), sort_keys=True))
        self.settings.setValue(SPEED, h.player.speed)
        self.settings.setValue(PINNED, sorted(self.presenter.pinned))
        self.settings.sync()

    def font_scale(self, screen: str, scale: float | None) -> float | None:
        """Read (scale None) or write the presenter's text size for `screen`."""
        key = f"{FONT_SCALE}/{screen.replace('/', '_') or 'default'}"
        if scale is not None:
            self.settings.setValue(key, scale)
            return scale
        return _float(self.settings.value(key))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.host.qt and event.type() == QEvent.Type.Close:
            self.save()
        return False
