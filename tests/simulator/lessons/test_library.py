"""The lesson library read with the standard library alone, and lessons parsed once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from authflow import simulator
from authflow.simulator.lessons import library


@pytest.mark.parametrize("name", simulator.scenario_names())
def test_each_title_is_the_checked_lessons_title(name: str) -> None:
    assert library.title_of(name) == simulator.load_scenario(name).title


@pytest.mark.parametrize("name", ["no-such-lesson", "a" * 5000, "nul\x00name", "../README"])
def test_a_name_that_is_no_lesson_has_no_text_and_no_title(name: str) -> None:
    assert library.lesson_text(name) is None
    assert library.title_of(name) == ""


def test_listing_the_lessons_loads_no_engine_and_no_cryptography() -> None:
    code = (
        "import sys, io, contextlib\n"
        "from authflow.app.__main__ import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    assert main(['scenarios']) == 0\n"
        "assert 'basics' in out.getvalue()\n"
        "heavy = ('jwt', 'cryptography', 'itsdangerous', 'authflow.simulator.world')\n"
        "loaded = [m for m in sys.modules if m.startswith(heavy)]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_naming_the_lessons_reads_no_toml() -> None:
    # The window checks `--lesson NAME` against the names before its first paint.
    code = (
        "import sys\n"
        "from authflow import simulator\n"
        "assert 'basics' in simulator.scenario_names()\n"
        "assert 'tomllib' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_a_lesson_is_parsed_once_and_again_when_its_text_changes(tmp_path: Path) -> None:
    assert simulator.load_scenario("basics") is simulator.load_scenario("basics")
    lesson = tmp_path / "mine.toml"
    lesson.write_text('title = "First"\n[[steps]]\naction = "login"\n', encoding="utf-8")
    assert simulator.load_scenario(lesson).title == "First"
    # A lecturer edits the file while the app runs: the next load shows the edit.
    lesson.write_text('title = "Second"\n[[steps]]\naction = "login"\n', encoding="utf-8")
    assert simulator.load_scenario(lesson).title == "Second"
