"""`authflow scenarios [--format text|json]`: the lesson library in course order.

Kept apart from `cli.py` so that listing the course imports only `tomllib` and the
library's headers, never the simulator's engine or its cryptography.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence

from authflow.app.terminal_text import json_safe, terminal_safe
from authflow.simulator.lessons.library import library


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="authflow scenarios",
        description="List the lessons in course order, chapter by chapter.",
    )
    p.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (a title per line, under its chapter) or json "
        "(one object per lesson: name, title, chapter, order, modes, summary)",
    )
    return p


def main(argv: Sequence[str]) -> int:
    args = parser().parse_args(list(argv))
    lessons = library()
    if args.format == "json":
        for info in lessons:
            print(json_safe(json.dumps(info.as_json(), ensure_ascii=False)))
        return 0
    width = max((len(info.name) for info in lessons), default=0) + 2
    chapter = None
    for info in lessons:
        if info.chapter_shown != chapter:
            chapter = info.chapter_shown
            print(terminal_safe(chapter))
        print(terminal_safe(f"  {info.name:<{width}}{info.title}"))
    return 0
