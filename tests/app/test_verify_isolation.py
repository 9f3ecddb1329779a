"""`authflow verify --all` runs each lesson and mode in a child process: a Chromium run
that takes its process down costs one row of the table, not the whole table."""

from __future__ import annotations

import sys

import pytest

from authflow.app.live.command import CRASHED, agreement_table, in_child


def test_a_child_that_answers_gives_its_counts() -> None:
    answer = 'print("noise"); print(\'{"differ": 5, "explained": 5}\')'
    assert in_child("basics", "jwt", {}, None, (sys.executable, "-c", answer)) == (5, 5)


def test_a_child_that_crashes_is_one_row_marked_crashed() -> None:
    crash = (sys.executable, "-c", "import os; os.abort()")
    count, status = in_child("xss", "hybrid", {}, None, crash)
    assert count == CRASHED
    assert status != 0
    rows = [("basics", "jwt", 0, 0), ("xss", "hybrid", count, status)]
    table = agreement_table(rows, ["jwt", "hybrid"])
    assert f"crashed (exit {status})" in table[3]
    assert "agrees" in table[2]
    assert table[-1] == "1 of 2 runs agree."


def test_the_child_receives_the_lesson_mode_settings_and_seed() -> None:
    echo = (
        "import sys, json; a = json.loads(sys.argv[1]); "
        "print(json.dumps({'differ': len(a[2]), 'explained': a[3]}))"
    )
    assert in_child("csrf", "session", {"same_site": "None"}, 7, (sys.executable, "-c", echo)) == (
        1,
        7,
    )


def test_verify_all_runs_each_lesson_only_in_its_own_modes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A token lesson lists no session mode: `verify --all` must not run it there."""
    from authflow.app import cli
    from authflow.app.live import command

    asked: list[tuple[str, str]] = []

    def fake_child(lesson: str, mode: str, *_: object) -> tuple[int, int]:
        asked.append((lesson, mode))
        return 0, 0

    monkeypatch.setattr(command, "availability", lambda: "")
    monkeypatch.setattr(command, "in_child", fake_child)
    assert cli.main(["verify", "--all"]) == 0
    assert ("alg-confusion", "jwt") in asked
    assert ("alg-confusion", "session") not in asked
    assert ("refresh-race", "hybrid") in asked
    assert not any(lesson == "refresh-race" and mode != "hybrid" for lesson, mode in asked)
    assert ("basics", "session") in asked
    table = capsys.readouterr().out.splitlines()
    alg = next(line for line in table if line.startswith("| alg-confusion"))
    assert "—" in alg  # no session cell for a lesson without session mode
    assert table[-1] == f"{len(asked)} of {len(asked)} runs agree."
