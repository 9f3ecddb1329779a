"""What the window shell offers the parts it is made of (presenter, themes, keyboard,
workspaces, memory, autosave, welcome, panels, comparison).

A part is handed a `Host` (and any other part it needs) when it is made, and reaches
the window through nothing else; `app/window/shell.py`'s MainWindow is the one host.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtCore import QByteArray, Qt
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QToolBar, QWidget

    from authflow.app.session.player import Player
    from authflow.app.session.run_controller import RunController
    from authflow.app.views.narration import NarrationBar
    from authflow.app.views.palette import Palette
    from authflow.app.views.playback import PlaybackControls
    from authflow.app.views.stage.scene import StageScene
    from authflow.app.views.stage.view import StageView


# Plain classes: they are defined before the window's first frame, where a dataclass
# or a NamedTuple costs a good part of a millisecond to define.
class Menus:
    """The menu bar's menus, made empty by the shell in their order; parts fill them."""

    __slots__ = ("actions", "export", "file", "help", "playback", "tools", "view", "wait")

    def __init__(
        self,
        *,
        file: QMenu,
        playback: QMenu,
        view: QMenu,
        actions: QMenu,
        export: QMenu,
        tools: QMenu,
        help: QMenu,
        wait: QMenu,
    ) -> None:
        self.file = file
        self.playback = playback
        self.view = view
        self.actions = actions
        self.export = export
        self.tools = tools
        self.help = help
        self.wait = wait
        """The Wait button's durations (not in the menu bar)."""


class Toolbars:
    __slots__ = ("actions", "mode")

    def __init__(self, mode: QToolBar, actions: QToolBar) -> None:
        self.mode = mode
        """Mode buttons and the lesson picker."""
        self.actions = actions
        """The user's actions."""


class Host(Protocol):
    """The window as its parts see it."""

    # What the window is made of ----------------------------------------------------------
    @property
    def qt(self) -> QMainWindow:
        """The Qt window itself: parent of dialogs and actions, geometry and dock state."""
        ...

    @property
    def player(self) -> Player: ...

    @property
    def controller(self) -> RunController: ...

    @property
    def stage(self) -> StageScene: ...

    @property
    def stage_view(self) -> StageView: ...

    @property
    def narration(self) -> NarrationBar: ...

    @property
    def controls(self) -> PlaybackControls: ...

    @property
    def playback_actions(self) -> Mapping[str, QAction]: ...

    @property
    def mode_actions(self) -> Mapping[str, QAction]: ...

    @property
    def user_actions(self) -> Mapping[str, QAction]: ...

    @property
    def menus(self) -> Menus: ...

    @property
    def toolbars(self) -> Toolbars: ...

    @property
    def palette_roles(self) -> Palette:
        """The palette the stage is drawn in now."""
        ...

    @property
    def animation_ms(self) -> int | None:
        """Packet travel time; None follows the playback speed, 0 disables animation."""
        ...

    # What it does for its parts ----------------------------------------------------------
    def add_dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea = ...) -> QDockWidget:
        """Put `widget` in a dock titled `title`, listed in the View menu."""
        ...

    def build_after_first_paint(self, build: Callable[[], object]) -> None:
        """Run `build` once the window has painted (a dock's contents can wait)."""
        ...

    def set_palette(self, palette: Palette) -> None:
        """Draw the stage and narration in `palette`."""
        ...

    def restore_layout(self, state: QByteArray) -> bool:
        """Restore a saved dock layout; True when it applied (it then replaces the
        layout the window would arrange on its first show)."""
        ...

    def start_lesson(self, lesson: str, mode: str) -> None:
        """Show `lesson` in `mode` from its first event (or run it so once it loads)."""
        ...

    def show_run_choice(self) -> None:
        """Make the lesson picker and mode buttons show the run controller's inputs,
        after they were set other than through them (a workspace was opened)."""
        ...
