"""The lesson library: its names and texts, and each lesson's title, chapter and place
in the course, read from the TOML files' top-level keys without loading the simulator.

`authflow scenarios`, the window's lesson picker and its `--lesson` check list lessons
from here. Only the standard library is imported (tomllib only when a header is read),
so listing the course never imports the engine and its cryptography; scenarios.py
parses and checks a lesson in full when one is run.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from authflow.simulator.config.userfiles import BOM

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
    import tomllib  # here: naming the lessons (the --lesson check) reads no TOML

    try:
        data = tomllib.loads(text.removeprefix(BOM))
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
    folder = _folder()
    infos = [
        info_from_text(entry.read_text(encoding="utf-8"), entry.name[: -len(".toml")])
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    ]
    return sorted(infos, key=sort_key)


def _folder() -> Any:
    return resources.files("authflow.assets").joinpath("scenarios")


def scenario_names() -> list[str]:
    """The library's lesson names, sorted."""
    return sorted(p.name[:-5] for p in _folder().iterdir() if p.name.endswith(".toml"))


def lesson_text(name: str) -> str | None:
    """The TOML text of the library lesson `name`, or None when there is no such lesson."""
    resource = _folder().joinpath(f"{name}.toml")
    try:
        if not resource.is_file():
            return None
    except (OSError, ValueError):
        return None  # a name too long for the file system, or with a NUL: no such lesson
    text: str = resource.read_text(encoding="utf-8")
    return text


def title_of(name: str) -> str:
    """The title of the library lesson `name`, read with tomllib alone (the lesson is not
    checked here; running it does that). Empty when the file has no readable title."""
    import tomllib  # here: the window's --lesson check needs only the names

    text = lesson_text(name)
    if text is None:
        return ""
    try:
        title = tomllib.loads(text.removeprefix(BOM)).get("title")
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        return ""
    return title.strip() if isinstance(title, str) else ""
