"""authflow.app.savefile: every writer keeps the old file whole on a short write or a full disk,
says "disk full" in words, and never replaces a FIFO, a device or a folder."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSaveFile
from PySide6.QtGui import QImage

from authflow.app import savefile, screenshot
from authflow.app.export import files
from authflow.app.export.options import ExportError
from authflow.app.savefile import SaveError, save_bytes
from authflow.app.views import scoreboard as scoreboard_view
from authflow.app.window import workspace

OLD = b'{"old": "workspace"}\n'


class ShortWrites(QSaveFile):
    """A save file on a nearly full disk: `write` takes the first 10 bytes and reports
    just those, with no error set (what Qt does past its buffer)."""

    def write(self, data: Any) -> int:  # type: ignore[override]
        super().write(bytes(data)[:10])
        return 10


class FailingFlush(QSaveFile):
    """A small file fits Qt's buffer; flushing it at commit() fails (a full disk then)."""

    def commit(self) -> bool:
        self.cancelWriting()
        return super().commit()


def _workspace() -> workspace.Workspace:
    return workspace.Workspace("basics", "jwt", 7, {"access_ttl": "60"}, (), 3)


def _png() -> QImage:
    image = QImage(40, 30, QImage.Format.Format_ARGB32)
    image.fill(0xFF336699)
    return image


# Every writer in app/, each given a path and a payload size it produces.
WRITERS: dict[str, Callable[[Path], object]] = {
    "savefile.save_bytes": lambda p: save_bytes(p, b"x" * 70_000),
    "workspace.write": lambda p: workspace.write(p, _workspace()),
    "scoreboard.save_bytes": lambda p: scoreboard_view.save_bytes(p, b"| a |\n" * 5000),
    "export.files.write_atomically": lambda p: files.write_atomically(p, b"<svg/>" * 5000),
    "screenshot.save_png": lambda p: screenshot.save_png(_png(), p),
}
ERRORS = (
    SaveError,
    workspace.WorkspaceError,
    scoreboard_view.ExportError,
    ExportError,
)


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("device", [ShortWrites, FailingFlush])
def test_a_short_write_keeps_the_old_file_and_says_disk_full(
    writer: str, device: type[QSaveFile], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "file.out"
    target.write_bytes(OLD)
    monkeypatch.setattr(savefile, "QSaveFile", device)
    with pytest.raises(ERRORS) as info:
        WRITERS[writer](target)
    message = str(info.value)
    assert "disk full" in message
    assert "Unknown error" not in message
    assert "previous file is unchanged" in message
    assert target.read_bytes() == OLD
    assert [p.name for p in tmp_path.iterdir()] == ["file.out"]  # no temporary file left


@pytest.mark.parametrize("writer", WRITERS)
def test_every_writer_writes_a_whole_file(writer: str, tmp_path: Path) -> None:
    target = tmp_path / "file.out"
    target.write_bytes(OLD)
    WRITERS[writer](target)
    assert target.read_bytes() != OLD
    assert target.stat().st_size > 20


def test_the_window_says_disk_full_and_not_saved(
    window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[tuple[str, str]] = []
    window.parts.workspace.warn = lambda title, text: shown.append((title, text))
    path = tmp_path / "lesson.authflow.json"
    path.write_bytes(OLD)
    monkeypatch.setattr(savefile, "QSaveFile", ShortWrites)
    assert not window.parts.workspace.save_to(str(path))
    assert shown
    assert "disk full" in shown[0][1]
    assert "Saved" not in window.statusBar().currentMessage()
    assert path.read_bytes() == OLD


# -- special targets --------------------------------------------------------------------
def _fifo(tmp_path: Path) -> Path:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    return fifo


def _device(tmp_path: Path) -> Path:
    """A private null device: never the system's /dev/null, which a writer with the bug
    these tests look for would replace with a regular file, for every process."""
    node = tmp_path / "null-device"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError):
        pytest.skip("making a device node needs root")
    return node


SPECIAL: dict[str, Callable[[Path], Path]] = {
    "a FIFO": _fifo,
    "a link to a FIFO": lambda d: _link(d, _fifo(d)),
    "a link to a device": lambda d: _link(d, _device(d)),
    "a device": _device,
    "a folder": lambda d: d,
    "a link to a folder": lambda d: _link(d, d),
    "a dangling link": lambda d: _link(d, d / "nowhere"),
}


def _link(folder: Path, target: Path) -> Path:
    link = folder / f"link-{len(list(folder.iterdir()))}"
    link.symlink_to(target)
    return link


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX thing")
@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("kind", SPECIAL)
def test_writers_refuse_anything_but_a_regular_file(writer: str, kind: str, tmp_path: Path) -> None:
    path = SPECIAL[kind](tmp_path)
    before = os.stat(path).st_mode if os.path.exists(path) else None
    with pytest.raises(ERRORS, match="Nothing was saved"):
        WRITERS[writer](path)
    after = os.stat(path).st_mode if os.path.exists(path) else None
    assert before == after  # a FIFO stays a FIFO, a device a device
    assert not (tmp_path / "nowhere").exists()


def test_a_link_to_a_regular_file_writes_the_file_and_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_bytes(OLD)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    workspace.write(link, _workspace())
    assert link.is_symlink()
    assert workspace.parse(real.read_text()).mode == "jwt"


# -- a real full disk -------------------------------------------------------------------
FULL_DISK = textwrap.dedent(
    """
    import os, subprocess, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    where = sys.argv[1]
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", where], check=True)
    from authflow.app.window import workspace
    from authflow.simulator.trace.trace import Step
    path = os.path.join(where, "lesson.authflow.json")
    small = workspace.Workspace("basics", "jwt", 7)
    workspace.write(path, small)
    old = open(path, "rb").read()
    with open(os.path.join(where, "filler"), "wb") as filler:
        filler.write(b"f" * (40 * 1024))
    actions = tuple(Step("wait", {"seconds": i}, "n" * 40) for i in range(600))
    for ws in (workspace.Workspace("basics", "jwt", 7, actions=actions),  # past Qt's buffer
               workspace.Workspace("basics", "jwt", 7, actions=actions[:150])):  # within it
        assert len(ws.to_json()) > os.statvfs(where).f_bavail * os.statvfs(where).f_frsize
        try:
            workspace.write(path, ws)
        except workspace.WorkspaceError as exc:
            print("REFUSED", exc)
        else:
            print("WROTE", os.path.getsize(path))
        assert open(path, "rb").read() == old, "the old workspace was replaced"
        assert sorted(os.listdir(where)) == ["filler", "lesson.authflow.json"]
    """
)


def _unshare() -> list[str] | None:
    tool = shutil.which("unshare")
    if tool is None or not sys.platform.startswith("linux"):
        return None
    # As root a private mount namespace is enough; otherwise map ourselves to root in a
    # user namespace (allowed on most distributions), so the tmpfs stays ours alone.
    args = [tool, "-m"] if os.geteuid() == 0 else [tool, "-r", "-m"]
    probe = subprocess.run([*args, "true"], capture_output=True, check=False)
    return args if probe.returncode == 0 else None


def test_a_full_tmpfs_keeps_the_old_workspace_and_says_disk_full(tmp_path: Path) -> None:
    unshare = _unshare()
    if unshare is None:
        pytest.skip("needs unshare and mount namespaces to mount a small tmpfs")
    where = tmp_path / "small-disk"
    where.mkdir()
    repo = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [*unshare, sys.executable, "-c", FULL_DISK, str(where)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=repo,
        env={**os.environ, "PYTHONPATH": str(repo)},
        check=False,
    )
    if "mount" in result.stderr and "permission denied" in result.stderr.lower():
        pytest.skip("mounting a tmpfs is not permitted here")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2, result.stdout
    for line in lines:
        assert line.startswith("REFUSED"), line
        assert "the disk is full" in line
        assert "previous file is unchanged" in line
