"""`authflow trace --engine live` and `authflow verify`: live runs on the command line.

No window is shown: Qt runs offscreen unless told otherwise, so these work over ssh
and in CI. Each needs the live extra; without it they say how to install it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from authflow.app.live import availability
from authflow.simulator.config.modes import MODES

EXIT_DIFFERENT = 1
EXIT_ERROR = 2


def application() -> Any:
    """The process's QApplication, made for Qt WebEngine (shared OpenGL contexts)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
        app = QApplication([sys.argv[0] if sys.argv else "authflow"])
    return app


def live_trace(scenario: str, mode: str, overrides: Mapping[str, str], seed: int | None) -> Any:
    """The live trace of a lesson, or raises RuntimeError with the install hint."""
    hint = availability()
    if hint:
        raise RuntimeError(hint)
    application()
    from authflow.app.live.session import run_lesson_live

    return run_lesson_live(scenario, mode, overrides, seed)


def verify(
    runs: Sequence[tuple[str, str]],
    overrides: Mapping[str, str],
    seed: int | None,
    out: Callable[[str], object] = print,
) -> int:
    """Run each (lesson, mode) both ways and print the differences (one run) or the
    agreement table (several). 1 when any run differs, 0 when all agree."""
    from authflow import simulator
    from authflow.simulator.live.agreement import compare_runs

    hint = availability()
    if hint:
        print(f"authflow: error: {hint}", file=sys.stderr)
        return EXIT_ERROR
    rows: list[tuple[str, str, int, int]] = []
    if len(runs) == 1:
        ((lesson, mode),) = runs
        simulated = simulator.run_scenario(lesson, mode, overrides, seed)
        agreement = compare_runs(simulated, live_trace(lesson, mode, overrides, seed))
        explained = sum(1 for d in agreement.differences if d.explained)
        rows.append((lesson, mode, len(agreement.differences), explained))
        if agreement.agrees:
            out(f"{lesson} ({mode}): the live run agrees with the simulation.")
        for d in agreement.differences:
            out(d.text())
    else:
        rows = [(lesson, mode, *in_child(lesson, mode, overrides, seed)) for lesson, mode in runs]
        modes = [m for m in MODES if any(r[1] == m for r in rows)]
        for line in agreement_table(rows, modes):
            out(line)
    return EXIT_DIFFERENT if any(r[2] for r in rows) else 0


CRASHED = -1
"""A row's count when its child process ended without an answer."""


def in_child(
    lesson: str,
    mode: str,
    overrides: Mapping[str, str],
    seed: int | None,
    command: Sequence[str] = (sys.executable, "-m", "authflow.app.live.verify_child"),
) -> tuple[int, int]:
    """(differences, of which not done for real) of one run made in a child process
    (verify_child.py says why); (CRASHED, exit status) when the child died."""
    done = subprocess.run(
        [*command, json.dumps([lesson, mode, dict(overrides), seed])],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    try:
        answer = json.loads(lines[-1])
        return int(answer["differ"]), int(answer["explained"])
    except (IndexError, ValueError, KeyError, TypeError):
        return CRASHED, done.returncode


def agreement_table(rows: Sequence[tuple[str, str, int, int]], modes: Sequence[str]) -> list[str]:
    """A Markdown table: a row per lesson, a column per mode, "agrees" or the count."""
    cells: dict[tuple[str, str], str] = {}
    for lesson, mode, count, explained in rows:
        if count == CRASHED:
            cells[lesson, mode] = f"crashed (exit {explained})"
        elif not count:
            cells[lesson, mode] = "agrees"
        else:
            cells[lesson, mode] = f"{count} differ" + (
                f" ({explained} not done for real)" if explained else ""
            )
    lessons = list(dict.fromkeys(r[0] for r in rows))
    width = max([len(x) for x in cells.values()] + [len(m) for m in modes] + [6])
    name_w = max([len(n) for n in lessons] + [6])
    lines = [
        "| " + "lesson".ljust(name_w) + " | " + " | ".join(m.ljust(width) for m in modes) + " |",
        "|" + "-" * (name_w + 2) + "|" + "|".join("-" * (width + 2) for _ in modes) + "|",
    ]
    for lesson in lessons:
        row = [cells.get((lesson, m), "—").ljust(width) for m in modes]
        lines.append("| " + lesson.ljust(name_w) + " | " + " | ".join(row) + " |")
    total = len(rows)
    agree = sum(1 for r in rows if not r[2])
    lines.append(f"{agree} of {total} runs agree.")
    return lines
