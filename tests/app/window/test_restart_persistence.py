"""What Authflow remembers is read back by a new process, as on a real restart.

Inside one process QSettings hands back the very values it was given (a list stays a
list, True stays True); a new process reads them from the file, where a boolean is the
text "true" and a one-element list is a single string. So each launch here is a
process of its own, starting the window the way `authflow` does, with its settings in
the user's default place (the native format under XDG_CONFIG_HOME, pointed at a
temporary directory: the real user's settings are never touched).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

LAUNCH = r"""
import json, os, sys
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication
from authflow.app import gui
from authflow.app.window import persistence

app = QApplication(sys.argv[:1])
app.setApplicationName("Authflow")
app.setOrganizationName("Authflow")
settings = persistence.open_settings()
if not settings.fileName().startswith(os.environ["XDG_CONFIG_HOME"]):
    sys.exit("refusing to run: settings outside the test's directory: " + settings.fileName())
args = gui.parse_args([])
window = gui.open_window(args, QSize(1024, 700), settings)
welcome = gui.show_window(window, args)
while window.player.trace is None:
    app.processEvents()
print(json.dumps({
    "welcome": welcome is not None,
    "pinned": sorted(window.parts.presenter.pinned),
    "recent": window.parts.workspace.recent,
    "file": settings.fileName(),
}), flush=True)
todo = json.loads(sys.argv[1])
if welcome is not None and todo.get("dismiss"):
    welcome.reject()
for name in todo.get("pin", []):
    window.parts.presenter.pin(name)
for path in todo.get("save", []):
    assert window.parts.workspace.save_to(path)
window.close()
window.shutdown()
"""


def launch(home: Path, **todo: Any) -> dict[str, Any]:
    """Start Authflow in a new process; what it restored, then it does `todo` and quits."""
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(home / "config"),
        "HOME": str(home),
        "QT_QPA_PLATFORM": "offscreen",
    }
    done = subprocess.run(
        [sys.executable, "-c", LAUNCH, json.dumps(todo)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    restored: dict[str, Any] = json.loads(done.stdout.splitlines()[0])
    return restored


def test_welcome_pins_and_recent_files_survive_a_restart(tmp_path: Path) -> None:
    first_file = str(tmp_path / "first.authflow.json")
    second_file = str(tmp_path / "second.authflow.json")

    first = launch(tmp_path, dismiss=True, pin=["dock_cookies"], save=[first_file])
    assert first["file"].startswith(str(tmp_path))
    assert first["welcome"], "a first launch greets"
    assert first["pinned"] == []
    assert first["recent"] == []

    # One pinned dock and one recent file: each written as a single string.
    second = launch(tmp_path, pin=["dock_store"], save=[second_file])
    assert not second["welcome"], "dismissed once is dismissed for good"
    assert second["pinned"] == ["dock_cookies"]
    assert second["recent"] == [first_file]

    third = launch(tmp_path)
    assert not third["welcome"]
    assert third["pinned"] == ["dock_cookies", "dock_store"]
    assert third["recent"] == [second_file, first_file]
