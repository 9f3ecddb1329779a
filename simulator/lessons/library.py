"""The lesson library in course order: each lesson's title, chapter and place, read
from the TOML files' top-level keys without loading the simulator.

`authflow scenarios` and the window's lesson picker list lessons from here. Reading a
header needs only `tomllib`: listing the course must not import the engine and its
cryptography (`scenarios.py` checks the whole file when a lesson is run).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

MODES = ("session", "jwt", "hybrid")
"""The modes a lesson runs in by default (as `config.modes.MODES`; kept here so this
module imports nothing of the simulator)."""
NO_CHAPTER = "Other lessons"
"""Where a lesson without a `chapter` key is listed: after the course's chapters."""
_CHAPTER_NUMBER = re.compile(r"\s*(\d+)")


class PlaceError(ValueError):
    """A `chapter` or `order` key of the wrong type (the message names the key)."""


@dataclass(frozen=True, slots=True)
class LessonInfo:
    """What the lesson picker and `authflow scenarios` show of one lesson."""

    name: str
    """The file's name without `.toml` (what `authflow trace NAME` takes)."""
    title: str
    chapter: str
    """ "1 Basics"; "" when the lesson names none."""
    order: int | None
    """Its place within the chapter (1, 2, ...); None: after the numbered ones."""
    modes: tuple[str, ...]
    summary: str

    @property
    def chapter_shown(self) -> str:
        return self.chapter or NO_CHAPTER

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "chapter": self.chapter,
            "order": self.order,
            "modes": list(self.modes),
            "summary": self.summary,
        }


def course_place(data: Mapping[str, Any]) -> tuple[str, int | None]:
    """The `chapter` and `order` keys of a parsed lesson, checked."""
    chapter = data.get("chapter", "")
    if not isinstance(chapter, str):
        raise PlaceError('chapter: must be a text, such as "1 Basics"')
    order = data.get("order")
    if order is not None and (isinstance(order, bool) or not isinstance(order, int)):
        raise PlaceError("order: must be a whole number (the lesson's place in its chapter)")
    if order is not None and not 0 < order < 10_000:
        raise PlaceError("order: must be between 1 and 9999")
    return " ".join(chapter.split()), order


def sort_key(info: LessonInfo) -> tuple[int, str, int, str, str]:
    """Chapters by their leading number (unnumbered and missing ones last), then each
    lesson's `order`, then its title."""
    match = _CHAPTER_NUMBER.match(info.chapter)
    number = int(match.group(1)) if match else (10_000 if info.chapter else 20_000)
    order = info.order if info.order is not None else 10_000
    return (number, info.chapter.casefold(), order, info.title.casefold(), info.name)


def info_from_text(text: str, name: str) -> LessonInfo:
    """A lesson's header from its TOML text. A file that cannot be read as a lesson is
    still listed, under its name: running it gives the full error message."""
    try:
        data = tomllib.loads(text.removeprefix("\ufeff"))
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        return LessonInfo(name, name, "", None, MODES, "")
    title = data.get("title")
    summary = data.get("summary", "")
    modes = data.get("modes", list(MODES))
    try:
        chapter, order = course_place(data)
    except PlaceError:
        chapter, order = "", None
    return LessonInfo(
        name,
        title.strip() if isinstance(title, str) and title.strip() else name,
        chapter,
        order,
        tuple(m for m in modes if m in MODES) if isinstance(modes, list) else MODES,
        " ".join(summary.split()) if isinstance(summary, str) else "",
    )


def library() -> list[LessonInfo]:
    """Every lesson shipped with Authflow, in course order."""
    folder = resources.files("authflow.assets").joinpath("scenarios")
    infos = [
        info_from_text(entry.read_text(encoding="utf-8"), entry.name[: -len(".toml")])
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    ]
    return sorted(infos, key=sort_key)
