"""Lessons as TOML files: title, summary, settings, and steps with per-mode narration.

A malformed file raises ScenarioError naming the file, the line or key, and what is
wrong, so a lecturer editing a lesson sees exactly what to fix.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from authflow.simulator.actions.catalogue import ACTIONS, ActionError, check_args
from authflow.simulator.config import json_text, userfiles
from authflow.simulator.config.modes import MODES
from authflow.simulator.config.settings import SettingError, resolve
from authflow.simulator.lessons import library
from authflow.simulator.lessons.library import PlaceError, course_place, scenario_names
from authflow.simulator.lessons.narration import WhenError, check_when
from authflow.simulator.lessons.run import simulate
from authflow.simulator.trace.trace import NarrationVariant, Step, Trace

RESERVED = ("action", "narration")
Narration = str | tuple[NarrationVariant, ...]
"""A step's words in one mode: a text true under every setting, or variants."""
MAX_LESSON_BYTES = 1_000_000
"""The library's longest lesson is a few kilobytes; a file far larger is not a lesson
(and `/dev/zero` would otherwise be read until memory runs out)."""


class ScenarioError(ValueError):
    """A lesson that cannot be loaded; the message names the file and the place."""


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    summary: str
    modes: tuple[str, ...]
    settings: Mapping[str, str]
    steps_raw: tuple[tuple[str, Mapping[str, Any], Mapping[str, Narration]], ...]
    """(action, args, narration per mode with "default": a text, or variants)."""
    source: str = ""
    mode_settings: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Extra settings for one mode (e.g. jwt: revocation = denylist)."""
    chapter: str = ""
    """The course chapter it belongs to ("1 Basics"); see library.py."""
    order: int | None = None
    """Its place in the chapter."""

    def steps_for(self, mode: str) -> tuple[Step, ...]:
        steps = []
        for action, args, narration in self.steps_raw:
            words = narration.get(mode, narration.get("default", ""))
            if isinstance(words, str):
                steps.append(Step(action, args, words))
            else:
                steps.append(Step(action, args, "", words))
        return tuple(steps)

    def settings_for(self, mode: str) -> dict[str, str]:
        return {**self.settings, **self.mode_settings.get(mode, {})}


def load_scenario(name_or_path: str | Path) -> Scenario:
    text_name = str(name_or_path)
    if text_name.endswith(".toml") or "/" in text_name or "\\" in text_name:
        path = Path(text_name)
        try:
            text = userfiles.read_text(path, MAX_LESSON_BYTES)
        except userfiles.UserFileError as exc:
            raise ScenarioError(f"{path}: cannot read the lesson file: {exc}") from None
        return parse_scenario(text, path.stem, str(path))
    shipped = library.lesson_text(text_name)
    if shipped is None:
        raise ScenarioError(
            f"unknown lesson {text_name!r}; valid lessons: {', '.join(scenario_names())}"
        )
    return parse_scenario(shipped, text_name, f"{text_name}.toml")


@functools.lru_cache(maxsize=32)
def parse_scenario(text: str, name: str, source: str) -> Scenario:
    """The lesson in `text`, checked. Cached by text: the window, its settings panel and
    every re-run ask for the same lesson many times, and a Scenario is never changed."""
    try:
        # A byte-order mark (Windows editors write one) is not TOML; skip it.
        data = tomllib.loads(text.removeprefix(userfiles.BOM))
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{source}: not valid TOML: {exc}") from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise ScenarioError(f"{source}: not valid TOML: nested too deeply") from None
    except ValueError:  # int() refused a number of more than 4,300 digits
        raise ScenarioError(
            f"{source}: not valid TOML: a number has more than {json_text.MAX_DIGITS:,} digits"
        ) from None

    def fail(where: str, what: str) -> ScenarioError:
        return ScenarioError(f"{source}: {where}: {what}")

    known = {"title", "chapter", "order", "summary", "modes", "settings", "steps", "mode_settings"}
    for key in data:
        if key not in known:
            raise fail(key, f"unknown key; a lesson has {', '.join(sorted(known))}")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise fail("title", "missing or not a text")
    summary = data.get("summary", "")
    if not isinstance(summary, str):
        raise fail("summary", "must be a text")
    try:
        chapter, order = course_place(data)
    except PlaceError as exc:
        key, _, what = str(exc).partition(": ")
        raise fail(key, what) from None
    modes = data.get("modes", list(MODES))
    if not isinstance(modes, list) or not all(m in MODES for m in modes) or not modes:
        raise fail("modes", f"must be a list drawn from {', '.join(MODES)}")
    settings = _settings(data.get("settings", {}), "settings", fail)
    mode_settings_raw = data.get("mode_settings", {})
    if not isinstance(mode_settings_raw, dict):
        raise fail("mode_settings", "must be a table of modes")
    mode_settings = {}
    for mode, table in mode_settings_raw.items():
        if mode not in MODES:
            raise fail(f"mode_settings.{mode}", f"unknown mode; choose from {', '.join(MODES)}")
        mode_settings[mode] = _settings(table, f"mode_settings.{mode}", fail)
    steps = data.get("steps")
    if not isinstance(steps, list) or not steps:
        raise fail("steps", "missing: a lesson needs at least one [[steps]] entry")
    parsed = []
    for i, step in enumerate(steps, start=1):
        where = f"steps[{i}]"
        if not isinstance(step, dict):
            raise fail(where, "must be a table")
        action = step.get("action")
        if not isinstance(action, str):
            raise fail(f"{where}.action", "missing or not a text")
        if action not in ACTIONS:
            raise fail(
                f"{where}.action", f"unknown action {action!r}; valid actions: {', '.join(ACTIONS)}"
            )
        args = {k: v for k, v in step.items() if k not in RESERVED}
        try:
            args = check_args(action, args)
        except ActionError as exc:
            raise fail(where, str(exc)) from None
        raw_narration = step.get("narration", "")
        narration: dict[str, Narration]
        if isinstance(raw_narration, str):
            narration = {"default": raw_narration}
        elif isinstance(raw_narration, dict):
            narration = {}
            for key, value in raw_narration.items():
                if key not in (*MODES, "default"):
                    raise fail(
                        f"{where}.narration.{key}",
                        "narration is a text, or a table keyed by default, "
                        f"{', '.join(MODES)} of texts or [[variants]] (text and when)",
                    )
                narration[key] = _narration(value, f"{where}.narration.{key}", fail)
        else:
            raise fail(f"{where}.narration", "must be a text or a table of texts per mode")
        parsed.append((action, args, narration))
    return Scenario(
        name,
        title.strip(),
        summary.strip(),
        tuple(modes),
        settings,
        tuple(parsed),
        source,
        mode_settings,
        chapter,
        order,
    )


def _narration(value: Any, where: str, fail: Any) -> Narration:
    """A text, or an array of variants: tables with `text` and an optional `when`."""
    if isinstance(value, str):
        return value
    if not isinstance(value, list) or not value:
        raise fail(where, "must be a text, or an array of tables with text and when")
    variants = []
    for n, item in enumerate(value, start=1):
        here = f"{where}[{n}]"
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise fail(here, "a variant is a table with a text (and a when table of facts)")
        unknown = set(item) - {"text", "when"}
        if unknown:
            raise fail(here, f"unknown key {sorted(unknown)[0]!r}; a variant has text and when")
        try:
            when = check_when(item.get("when", {}), "when")
        except WhenError as exc:
            raise fail(here, str(exc)) from None
        variants.append(NarrationVariant(when, item["text"]))
    return tuple(variants)


def _settings(raw: Any, where: str, fail: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise fail(where, "must be a table of setting = value")
    out = {}
    for key, value in raw.items():
        if isinstance(value, bool):
            value = "true" if value else "false"
        if not isinstance(value, str | int):
            raise fail(f"{where}.{key}", f"must be a text, number or boolean, not {value!r}")
        try:
            resolve({key: str(value)})
        except SettingError as exc:
            raise fail(f"{where}.{key}", str(exc)) from None
        out[key] = str(value)
    return out


class LessonRun(NamedTuple):
    """What one run of a lesson is made of, before any engine plays it."""

    scenario: Scenario
    settings: dict[str, Any]
    """The lesson's settings for the mode, with the overrides on top."""
    steps: tuple[Step, ...]
    """The lesson's steps for the mode, then the user's own actions."""


def plan_run(
    lesson: str | Scenario,
    mode: str,
    overrides: Mapping[str, Any] | None = None,
    extra_steps: Sequence[Step] = (),
) -> LessonRun:
    """A lesson (its name, a path, or one already loaded) in a mode: `overrides` go on
    top of the lesson's own settings, `extra_steps` (the user's own actions) after its
    steps. The simulated run (`run_scenario`) and the live one are both made from it."""
    scenario = load_scenario(lesson) if isinstance(lesson, str) else lesson
    settings = {**scenario.settings_for(mode), **(overrides or {})}
    return LessonRun(scenario, settings, (*scenario.steps_for(mode), *extra_steps))


def run_scenario(
    lesson: str | Scenario,
    mode: str,
    overrides: Mapping[str, Any] | None = None,
    seed: int | None = None,
    extra_steps: Sequence[Step] = (),
) -> Trace:
    """Simulate a lesson in a mode (see `plan_run`). The one way the app, the command
    line and the comparisons make a run."""
    plan = plan_run(lesson, mode, overrides, extra_steps)
    return simulate(plan.steps, mode, plan.settings, seed, plan.scenario.name, plan.scenario.title)


UNTOLD_SETTINGS = ("scrypt_n",)
"""Settings that change the cost of a run, not its story (not listed as a change)."""


def changed_from_lesson(
    scenario: Scenario, mode: str, in_force: Mapping[str, str]
) -> list[tuple[str, str, str]]:
    """(key, the lesson's value, the value in force) for every setting of a run that
    differs from the lesson's own, in the settings table's order: what tells a lecturer
    that the story on screen is not the lesson's. csrf_token, csrf_defence's alias, is
    left out when csrf_defence says the same."""
    lesson = resolve(scenario.settings_for(mode))
    out = [
        (key, lesson[key], str(in_force[key]))
        for key in lesson
        if key in in_force and str(in_force[key]) != lesson[key] and key not in UNTOLD_SETTINGS
    ]
    if any(key == "csrf_defence" for key, _, _ in out):
        out = [row for row in out if row[0] != "csrf_token"]
    return out
