"""The lessons shipped in assets/scenarios: their names, texts and titles.

Only the standard library is imported here, so `authflow scenarios` and the window's
`--lesson` check list the library without loading the engine and its cryptography;
scenarios.py parses and checks a lesson in full when one is run.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from authflow.simulator.config.userfiles import BOM


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
