"""Fuzzing the files and memories the window opens at start or on request: workspaces
that are FIFOs, devices or huge; autosave markers with absurd or reused process ids;
autosaves that cannot be restored; remembered settings the simulator now refuses.

Each gives a message and loses nothing: the window never blocks, never crashes at
start, and never deletes the only copy of a user's work.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from authflow import simulator
from authflow.app.window import autosave, persistence, running_marker, workspace
from authflow.app.window import services as window_services
from authflow.app.window.shell import USER_ACTIONS, MainWindow

HUGE = "1" + "0" * 400
pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX special files")


def _ws(**fields: Any) -> str:
    data = {"format": "authflow-workspace", "version": 1, "lesson": "basics"}
    data |= {"mode": "jwt", "seed": 3, "step": 2} | fields
    return json.dumps(data)


def _fifo(tmp: Path) -> Path:
    os.mkfifo(tmp / "w.authflow.json")
    return tmp / "w.authflow.json"


def _link(tmp: Path, target: Path) -> Path:
    (tmp / "link.authflow.json").symlink_to(target)
    return tmp / "link.authflow.json"


def _sparse(tmp: Path) -> Path:
    path = tmp / "big.authflow.json"
    with path.open("wb") as out:
        out.truncate(30_000_000)
    return path


SPECIAL: dict[str, Callable[[Path], Path]] = {
    "a FIFO": _fifo,
    "a link to a FIFO": lambda t: _link(t, _fifo(t)),
    "/dev/zero": lambda _t: Path("/dev/zero"),
    "a link to /dev/zero": lambda t: _link(t, Path("/dev/zero")),
    "a folder": lambda t: t,
    "a 30 MB file": _sparse,
}


@pytest.mark.parametrize("kind", SPECIAL)
def test_opening_a_special_file_as_a_workspace_is_refused_at_once(
    window: MainWindow, tmp_path: Path, kind: str
) -> None:
    shown: list[tuple[str, str]] = []
    window.parts.workspace.warn = lambda title, text: shown.append((title, text))
    before = window.controller.trace
    started = time.monotonic()
    assert not window.parts.workspace.open_path(str(SPECIAL[kind](tmp_path)))
    assert time.monotonic() - started < 5  # /dev/zero is not read to the end
    assert len(shown) == 1
    assert "cannot read the file: it is" in shown[0][1]
    assert window.controller.trace is before


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (_ws(seed=int("9" * 45)), "at most 40 digits"),
        ('{"seed": ' + "9" * 5001 + "}", "more than 4,300 digits"),
        (_ws(settings={"access_ttl": HUGE}), "from 1 to 3162240000 (100 years)"),
        (_ws(settings={"scrypt_n": 32768}), "a power of two from 2 to 16384"),
        (_ws(settings={"max_age": "300000000000"}), "from 0 to 3162240000"),
        (
            _ws(actions=[{"action": "wait", "args": {"seconds": 3_162_240_000}}] * 80),
            "before the year 10000",
        ),
    ],
    ids=["41-digit-seed", "5001-digit-seed", "huge-ttl", "scrypt", "max-age", "waits"],
)
def test_workspaces_with_absurd_numbers_name_the_range(
    window: MainWindow, tmp_path: Path, text: str, words: str
) -> None:
    shown: list[tuple[str, str]] = []
    window.parts.workspace.warn = lambda title, message: shown.append((title, message))
    path = tmp_path / "absurd.authflow.json"
    path.write_text(text, encoding="utf-8")
    assert not window.parts.workspace.open_path(str(path))
    assert words in shown[0][1]
    assert len(shown[0][1]) < 700


def test_a_workspace_with_a_bom_opens(window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "bom.authflow.json"
    path.write_text("\ufeff" + _ws(), encoding="utf-8")
    assert window.parts.workspace.open_path(str(path))
    assert (window.controller.mode, window.player.index) == ("jwt", 2)


def test_a_token_with_huge_numbers_in_a_workspace_is_shown(
    window: MainWindow, tmp_path: Path
) -> None:
    from authflow.simulator.analysis.token_report import b64url_encode

    def seg(text: str) -> str:
        return b64url_encode(text.encode())

    token = ".".join((seg('{"alg":"HS256"}'), seg('{"sub":"alice","exp":' + HUGE + "}"), "c2ln"))
    send = {"action": "send", "args": {"headers": [["Authorization", f"Bearer {token}"]]}}
    path = tmp_path / "token.authflow.json"
    path.write_text(_ws(actions=[send], step=-1), encoding="utf-8")
    assert window.parts.workspace.open_path(str(path))
    trace = window.controller.trace
    assert trace is not None
    window.finish_panels()
    for i in range(len(trace.events)):  # every inspector draws every step
        window.player.jump(i)


# -- autosave markers -------------------------------------------------------------------


@pytest.fixture
def sleeper() -> Iterator[subprocess.Popen[bytes]]:
    """A live process that is not Authflow, started now."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield proc
    proc.kill()
    proc.wait()


@pytest.mark.parametrize(
    "name",
    ["running-" + "9" * 30, "running-" + "9" * 5000, "running-0", "running--5", "running-٣"],
    ids=["30 digits", "5000 digits", "zero", "negative", "arabic digit"],
)
def test_markers_with_absurd_numbers_are_ignored(
    second_window: MainWindow, tmp_path: Path, name: str
) -> None:
    try:
        (tmp_path / name).write_text("{}", encoding="utf-8")
    except OSError:
        pytest.skip("the file system refuses a name this long")
    saver = autosave.Autosaver(second_window, tmp_path, ask=lambda _q: True)
    assert saver.leftovers() == []
    assert not saver.offer_restore()
    assert (tmp_path / name).exists()  # not ours: left alone


def test_a_marker_whose_pid_now_belongs_to_a_newer_process_is_left_over(
    window: MainWindow,
    second_window: MainWindow,
    tmp_path: Path,
    sleeper: subprocess.Popen[bytes],
) -> None:
    if running_marker.started_at(sleeper.pid) is None:
        pytest.skip("no process start times here (/proc)")
    crashed = autosave.Autosaver(window, tmp_path)
    crashed.pid = sleeper.pid  # the crashed Authflow had this id; now `sleeper` has it
    crashed.start()
    window.set_mode("hybrid")
    crashed.save()
    hour_ago = time.time() - 3600
    os.utime(crashed.marker_path, (hour_ago, hour_ago))  # written before sleeper started
    asked: list[str] = []
    saver = autosave.Autosaver(second_window, tmp_path, ask=lambda q: bool(asked.append(q)))
    assert [m for m, _ in saver.leftovers()] == [crashed.marker_path]
    saver.offer_restore()
    assert len(asked) == 1
    assert "hybrid" in asked[0]
    assert not crashed.marker_path.exists()  # cleaned up at last


def test_a_marker_of_a_process_still_running_is_kept(
    second_window: MainWindow, tmp_path: Path, sleeper: subprocess.Popen[bytes]
) -> None:
    time.sleep(0.05)
    marker = tmp_path / f"running-{sleeper.pid}"
    marker.write_text("{}", encoding="utf-8")  # written after sleeper started: its own
    saver = autosave.Autosaver(second_window, tmp_path, ask=lambda _q: True)
    assert saver.leftovers() == []
    assert marker.exists()


def test_pid_of_reads_only_our_names() -> None:
    assert running_marker.pid_of("running-1234", "running-") == 1234
    for name in ("running-", "running-x", "running-1e3", "other-12", "running-" + "9" * 11):
        assert running_marker.pid_of(name, "running-") is None


# -- autosaves that cannot be restored --------------------------------------------------


def _crashed_autosave(tmp: Path, write: Callable[[Path], object]) -> Path:
    pid = 2**22 + 12345  # above Linux's default pid_max: certainly not running
    (tmp / f"running-{pid}").write_text("{}", encoding="utf-8")
    saved = tmp / f"autosave-{pid}{workspace.SUFFIX}"
    write(saved)
    return saved


UNRESTORABLE: dict[str, Callable[[Path], object]] = {
    "cut short": lambda p: p.write_text(_ws()[:40], encoding="utf-8"),
    "a FIFO": lambda p: os.mkfifo(p),
    "absurd settings": lambda p: p.write_text(_ws(settings={"access_ttl": HUGE})),
    "not UTF-8": lambda p: p.write_bytes(b"\xff\xfe{}"),
}


@pytest.mark.parametrize("kind", UNRESTORABLE)
def test_an_autosave_that_cannot_be_restored_is_kept_and_the_user_told(
    second_window: MainWindow, tmp_path: Path, kind: str
) -> None:
    saved = _crashed_autosave(tmp_path, UNRESTORABLE[kind])
    told: list[tuple[str, str]] = []
    saver = autosave.Autosaver(
        second_window, tmp_path, ask=lambda _q: True, tell=lambda *m: told.append(m)
    )
    assert not saver.offer_restore()
    kept = tmp_path / f"{autosave.KEPT_PREFIX}{saved.name}"
    assert kept.exists() or kept.is_symlink()
    assert not saved.exists()
    assert len(told) == 1
    assert str(kept) in told[0][1]
    assert second_window.controller.scenario == "expiry"


# -- remembered settings ----------------------------------------------------------------


@pytest.fixture
def memory(tmp_path: Path) -> QSettings:
    store = persistence.open_settings("AuthflowTests", "fuzz-files", tmp_path)
    store.clear()
    return store


@pytest.mark.parametrize(
    "bad",
    [
        {"access_ttl": HUGE},
        {"refresh_ttl": "300000000000"},
        {"scrypt_n": "32768"},
        {"session_ttl": "1e309"},
        {"no_such_setting": "1"},
        {"servers": "9" * 5000},
    ],
    ids=lambda b: next(iter(b)),
)
def test_refused_remembered_settings_are_dropped_and_reported(
    memory: QSettings, make_window: Any, bad: dict[str, str]
) -> None:
    memory.setValue(persistence.OVERRIDES, json.dumps({**bad, "servers": "2"} | bad))
    if "servers" in bad:
        memory.setValue(persistence.OVERRIDES, json.dumps({**bad, "secure": "false"}))
    win = make_window()
    window_services.remember(win, memory)
    win.start(-1)
    kept = {"secure": "false"} if "servers" in bad else {"servers": "2"}
    assert win.controller.overrides == kept
    shown = win.statusBar().currentMessage()
    assert shown.startswith("Saved settings not restored: ")
    assert next(iter(bad)) in shown
    assert len(shown) <= 500
    win.do(next(s for s in USER_ACTIONS if s.key == "profile"))  # the app still works
    assert win.controller.trace is not None


def test_settings_refused_only_together_keep_what_runs(
    memory: QSettings, make_window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = simulator.run_scenario

    def picky(lesson: Any, mode: str, overrides: Any = None, *args: Any) -> Any:
        chosen = overrides or {}
        if chosen.get("servers") == "2" and chosen.get("sticky") == "true":
            raise simulator.SimulationError("this pair is refused in this mode")
        return real(lesson, mode, overrides, *args)

    monkeypatch.setattr(simulator, "run_scenario", picky)
    memory.setValue(persistence.OVERRIDES, json.dumps({"servers": "2", "sticky": "true"}))
    win = make_window()
    window_services.remember(win, memory)
    win.start(-1)
    assert win.controller.overrides == {"servers": "2"}
    assert "refused in this mode" in win.statusBar().currentMessage()


def test_a_refused_setting_change_rolls_back(window: MainWindow) -> None:
    before = dict(window.controller.overrides)
    with pytest.raises(simulator.SettingError):
        window.controller.set_settings({"access_ttl": HUGE})
    assert window.controller.overrides == before
    with pytest.raises(simulator.SettingError):
        window.controller.set_setting("scrypt_n", "32768")
    assert window.controller.overrides == before
    window.controller.set_mode("hybrid")  # later runs are not poisoned
