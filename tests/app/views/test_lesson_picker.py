"""The lesson picker as a newcomer meets it: titles in course order under chapter
headings that cannot be chosen, and a lesson opened from a file listed too."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from authflow.simulator.lessons.library import library


def test_the_picker_shows_titles_under_chapters_in_course_order(window: Any) -> None:
    picker = window.lesson_picker
    shown = [(picker.itemText(i), picker.itemData(i)) for i in range(picker.count())]
    assert shown[0] == ("1 Basics", None)
    assert shown[1] == ("Basics: log in, look, log out", "basics")
    assert picker.names() == [info.name for info in library()]
    headings = [text for text, data in shown if data is None]
    assert headings == list(dict.fromkeys(info.chapter for info in library()))
    first_heading = picker.model().item(0)
    assert not first_heading.flags() & Qt.ItemFlag.ItemIsSelectable
    assert picker.currentText() == "Basics: log in, look, log out"


def test_choosing_a_heading_stays_on_the_lesson(window: Any) -> None:
    picker = window.lesson_picker
    heading = next(i for i in range(picker.count()) if picker.itemText(i) == "2 Lifetimes")
    picker.setCurrentIndex(heading)
    assert window.controller.scenario == "basics"
    assert picker.current_name() == "basics"


def test_a_lesson_from_a_file_runs_and_is_listed_by_title(
    make_window: Callable[..., Any], tmp_path: Path
) -> None:
    lesson = tmp_path / "mine.toml"
    lesson.write_text(
        'title = "My own lesson"\n[[steps]]\naction = "login"\nnarration = "Log in."\n',
        encoding="utf-8",
    )
    win = make_window(scenario=str(lesson), mode="jwt")
    win.start(-1)
    picker = win.lesson_picker
    assert picker.currentText() == "My own lesson"
    assert picker.current_name() == str(lesson)
    assert picker.itemText(picker.currentIndex() - 1) == "Opened from a file"
    assert win.player.trace is not None
    assert win.player.trace.title == "My own lesson"
