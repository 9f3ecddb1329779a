"""The course: every lesson's chapter and place, the order `authflow scenarios` and the
lesson picker list them in, and the checks on the `chapter` and `order` keys."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from authflow import simulator
from authflow.app.__main__ import main
from authflow.simulator.lessons.library import LessonInfo, info_from_text, library, sort_key
from authflow.simulator.lessons.scenarios import ScenarioError, parse_scenario

STEPS = '[[steps]]\naction = "login"\n'


def test_every_library_lesson_has_a_chapter_and_a_place_of_its_own() -> None:
    lessons = library()
    assert {info.name for info in lessons} == set(simulator.scenario_names())
    places = [(info.chapter, info.order) for info in lessons]
    assert all(chapter and order for chapter, order in places)
    assert len(set(places)) == len(places), "two lessons share a place in the course"


def test_the_course_starts_with_the_basics_and_keeps_chapters_together() -> None:
    lessons = library()
    assert lessons[0].name == "basics"
    chapters = [info.chapter for info in lessons]
    seen: list[str] = []
    for chapter in chapters:
        if not seen or seen[-1] != chapter:
            assert chapter not in seen, f"chapter {chapter!r} is split"
            seen.append(chapter)
    numbers = [int(c.split()[0]) for c in seen]
    assert numbers == sorted(numbers)


def test_chapter_10_comes_after_chapter_9_and_a_lesson_without_one_comes_last() -> None:
    infos = [
        LessonInfo("z", "Z", "", None, ("jwt",), ""),
        LessonInfo("b", "B", "10 Later", 1, ("jwt",), ""),
        LessonInfo("a2", "A2", "9 Earlier", 2, ("jwt",), ""),
        LessonInfo("a1", "A1", "9 Earlier", 1, ("jwt",), ""),
    ]
    assert [i.name for i in sorted(infos, key=sort_key)] == ["a1", "a2", "b", "z"]


def test_the_header_is_read_without_the_simulator() -> None:
    info = info_from_text(
        'title = "T"\nchapter = "2  Lifetimes"\norder = 3\nmodes = ["jwt"]\n' + STEPS, "t"
    )
    assert (info.title, info.chapter, info.order, info.modes) == ("T", "2 Lifetimes", 3, ("jwt",))
    broken = info_from_text("title = ", "broken")
    assert (broken.title, broken.chapter) == ("broken", "")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("chapter = 3", "chapter: must be a text"),
        ('order = "first"', "order: must be a whole number"),
        ("order = true", "order: must be a whole number"),
        ("order = 0", "order: must be between 1 and 9999"),
    ],
)
def test_a_wrong_chapter_or_order_names_the_key(line: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        parse_scenario(f'title = "T"\n{line}\n{STEPS}', "t", "t.toml")


def test_a_lesson_keeps_its_chapter_and_order() -> None:
    lesson = simulator.load_scenario("xss")
    assert (lesson.chapter, lesson.order) == ("3 Attacks on the browser", 1)


def test_scenarios_prints_titles_under_chapters_in_course_order(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["scenarios"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "1 Basics"
    titled = [line.split(maxsplit=1) for line in lines if line.startswith("  ")]
    assert [name for name, _ in titled] == [info.name for info in library()]
    assert titled[0][1] == "Basics: log in, look, log out"


def test_scenarios_as_json_has_one_object_per_lesson(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios", "--format", "json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["name"] for r in rows] == [info.name for info in library()]
    assert {"name", "title", "chapter", "order", "modes", "summary"} <= set(rows[0])
    xss = next(r for r in rows if r["name"] == "xss")
    assert xss["chapter"] == "3 Attacks on the browser"
    assert xss["modes"] == ["session", "jwt", "hybrid"]
    assert xss["summary"].startswith(simulator.load_scenario("xss").summary.split()[0])


def test_listing_the_course_loads_no_crypto_and_no_engine() -> None:
    code = (
        "import sys, io, contextlib\n"
        "from authflow.app.__main__ import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['scenarios', '--format', 'json'])\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('jwt', 'cryptography', "
        "'itsdangerous', 'PySide6') or m.startswith('authflow.simulator.world')]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
