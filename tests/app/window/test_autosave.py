"""Autosave: the workspace is saved as the user goes; a leftover marker offers a restore."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from authflow.app.views.palette import LIGHT
from authflow.app.window import autosave, workspace
from authflow.app.window.shell import USER_ACTIONS, MainWindow
from authflow.simulator.formats.text import to_json_lines


class Answers:
    """Stands in for the restore question: records it and answers `yes`."""

    def __init__(self, yes: bool) -> None:
        self.yes = yes
        self.asked: list[str] = []

    def __call__(self, question: str) -> bool:
        self.asked.append(question)
        return self.yes


def dead_pid() -> int:
    """The id of a process that has certainly ended."""
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


def lines(win: MainWindow) -> list[str]:
    assert win.player.trace is not None
    return list(to_json_lines(win.player.trace))


def test_autosave_writes_a_workspace_that_reproduces_the_trace(
    window: MainWindow, tmp_path: Path
) -> None:
    saver = autosave.Autosaver(window, tmp_path, ask=Answers(False), every=5)
    saver.start()
    assert saver.marker_path.exists()
    window.set_mode("jwt")  # a new run saves at once
    assert saver.saves == 1
    window.do(next(s for s in USER_ACTIONS if s.key == "profile"))
    window.player.pause()
    saves = saver.saves
    for i in range(5):
        window.player.jump(i)
    assert saver.saves == saves + 1
    ws, trace = workspace.read(saver.autosave_path)
    assert (ws.lesson, ws.mode, ws.step) == ("basics", "jwt", 4)
    assert [json.loads(x) for x in to_json_lines(trace)] == [json.loads(x) for x in lines(window)]


def test_clean_exit_removes_marker_and_autosave(window: MainWindow, tmp_path: Path) -> None:
    saver = autosave.Autosaver(window, tmp_path, ask=Answers(True))
    saver.start()
    saver.save()
    assert saver.autosave_path.exists()
    saver.finish()
    assert not saver.marker_path.exists()
    assert not saver.autosave_path.exists()


def leave_a_crashed_run(window: MainWindow, directory: Path) -> int:
    """Autosave `window` as a process that then died without a clean exit."""
    pid = dead_pid()
    saver = autosave.Autosaver(window, directory)
    saver.pid = pid
    saver.start()
    window.set_mode("hybrid")
    window.player.jump(6)
    saver.save()
    return pid


def test_a_leftover_marker_offers_and_restores_lesson_mode_and_step(
    window: MainWindow, second_window: MainWindow, tmp_path: Path
) -> None:
    leave_a_crashed_run(window, tmp_path)
    answers = Answers(True)
    saver = autosave.Autosaver(second_window, tmp_path, ask=answers)
    saver.start()
    assert saver.offer_restore()
    assert len(answers.asked) == 1
    assert "basics" in answers.asked[0]
    assert "hybrid" in answers.asked[0]
    c = second_window.controller
    assert (c.scenario, c.mode, second_window.player.index) == ("basics", "hybrid", 6)
    assert c.seed == window.controller.seed
    assert lines(second_window) == lines(window)
    assert second_window.lesson_picker.currentData() == "basics"
    assert second_window.mode_actions["hybrid"].isChecked()
    # The offer is made once: the crashed run's files are gone, ours remain.
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("running-")] == [
        saver.marker_path.name
    ]
    assert not saver.offer_restore()


def test_declining_keeps_the_current_run(
    window: MainWindow, second_window: MainWindow, tmp_path: Path
) -> None:
    leave_a_crashed_run(window, tmp_path)
    answers = Answers(False)
    saver = autosave.Autosaver(second_window, tmp_path, ask=answers)
    assert not saver.offer_restore()
    assert len(answers.asked) == 1
    assert second_window.controller.scenario == "expiry"
    assert not list(tmp_path.glob("running-*"))


def test_no_offer_after_a_clean_exit_or_while_the_other_app_runs(
    window: MainWindow, second_window: MainWindow, tmp_path: Path
) -> None:
    running = autosave.Autosaver(window, tmp_path)  # this process: alive
    running.start()
    running.save()
    answers = Answers(True)
    assert not autosave.Autosaver(second_window, tmp_path, ask=answers).offer_restore()
    assert answers.asked == []
    assert running.marker_path.exists()


def test_a_damaged_autosave_is_not_offered_but_kept_and_reported(
    second_window: MainWindow, tmp_path: Path
) -> None:
    pid = dead_pid()
    (tmp_path / f"running-{pid}").write_text("{}", encoding="utf-8")
    damaged = tmp_path / f"autosave-{pid}{workspace.SUFFIX}"
    damaged.write_text("{not json", encoding="utf-8")
    answers = Answers(True)
    told: list[tuple[str, str]] = []
    saver = autosave.Autosaver(second_window, tmp_path, ask=answers, tell=lambda *m: told.append(m))
    assert not saver.offer_restore()
    assert answers.asked == []
    assert second_window.controller.scenario == "expiry"
    kept = tmp_path / f"{autosave.KEPT_PREFIX}{damaged.name}"
    assert kept.read_text(encoding="utf-8") == "{not json"  # moved aside, not deleted
    assert len(told) == 1
    assert "not valid JSON" in told[0][1]
    assert str(kept) in told[0][1]
    assert not (tmp_path / f"running-{pid}").exists()


def test_offer_comes_after_the_first_run(qtbot: Any, tmp_path: Path, window: MainWindow) -> None:
    leave_a_crashed_run(window, tmp_path)
    win = MainWindow(scenario="expiry", mode="session", seed=5, palette=LIGHT, animation_ms=0)
    qtbot.addWidget(win)
    answers = Answers(True)
    saver = autosave.Autosaver(win, tmp_path, ask=answers)
    saver.offer_after_first_run()
    saver.start()
    win.start(-1)
    qtbot.waitUntil(lambda: len(answers.asked) == 1)
    assert win.controller.mode == "hybrid"
    win.shutdown()


def test_an_unwritable_folder_turns_autosave_off_quietly(
    window: MainWindow, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    saver = autosave.Autosaver(window, blocker / "sub")
    saver.start()
    assert not saver.save()
    window.player.jump(2)


def test_a_launch_that_names_a_lesson_keeps_the_crashed_autosave_for_later(
    qtbot: Any, tmp_path: Path, window: MainWindow
) -> None:
    leave_a_crashed_run(window, tmp_path)
    left = sorted(p.name for p in tmp_path.iterdir())
    win = MainWindow(scenario="expiry", mode="session", seed=5, palette=LIGHT, animation_ms=0)
    qtbot.addWidget(win)
    saver = autosave.install(win, tmp_path, offer=False)
    saver.ask = Answers(True)
    win.start(-1)
    qtbot.waitUntil(lambda: win.player.trace is not None)
    qtbot.wait(50)  # an offer would come on the next turn of the event loop
    assert saver.ask.asked == []
    assert win.controller.scenario == "expiry"
    # The crashed run's marker and autosave wait for the next plain launch.
    assert set(left) <= {p.name for p in tmp_path.iterdir()}
    answers = Answers(True)
    later = autosave.Autosaver(win, tmp_path, ask=answers)
    assert later.offer_restore()
    assert "basics" in answers.asked[0]
    saver.finish()
    win.shutdown()
