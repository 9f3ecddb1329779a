"""Handout PDFs: a title page, then a page per action (or event) with its narration as text."""

from __future__ import annotations

import io
import re

import pytest
from factories import run_once
from pypdf import PdfReader

from authflow import simulator
from authflow.app.export import files
from authflow.app.export.handout import pages
from authflow.app.export.options import ExportOptions

RUNS = [(lesson, mode) for lesson in simulator.scenario_names() for mode in simulator.MODES]


def squeeze(text: str) -> str:
    """Text without whitespace: line breaks in the PDF fall where the layout put them."""
    return re.sub(r"\s+", "", text)


def page_texts(data: bytes) -> list[str]:
    return [squeeze(page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


@pytest.mark.parametrize(("lesson", "mode"), RUNS)
def test_a_page_per_action_with_its_narration_as_text(lesson: str, mode: str) -> None:
    trace = run_once(lesson, mode)
    texts = page_texts(files.export_bytes(trace, "pdf", ExportOptions()))
    notes = [e for e in trace.events if e.kind == "note" and e.detail.get("action")]
    assert len(texts) == 1 + len(trace.steps) == 1 + len(notes)
    for text, note in zip(texts[1:], notes, strict=True):
        assert squeeze(note.explain) in text


def test_title_page_has_the_lesson_summary() -> None:
    trace = run_once("csrf", "session")
    title = page_texts(files.export_bytes(trace, "pdf", ExportOptions()))[0]
    assert squeeze(simulator.load_scenario("csrf").summary) in title
    assert squeeze(trace.title) in title


def test_a_page_per_event_with_its_explanation() -> None:
    trace = run_once("basics", "hybrid")
    texts = page_texts(files.export_bytes(trace, "pdf", ExportOptions(per="event")))
    assert len(texts) == 1 + len(trace.events)
    for text, event in zip(texts[1:], trace.events, strict=True):
        assert squeeze(event.explain) in text


def test_the_stage_on_each_page_is_text_too() -> None:
    trace = run_once("tamper", "jwt")
    texts = page_texts(files.export_bytes(trace, "pdf", ExportOptions()))
    # The actor names are drawn by the stage, not by the page's text block.
    assert all("attacker" in t for t in texts[1:])


def test_changes_name_the_cookie_set_and_the_store_key_written() -> None:
    trace = run_once("basics", "session")
    login = pages(trace, "action")[0]
    texts = page_texts(files.export_bytes(trace, "pdf", ExportOptions()))
    sid = next(c for c in trace.events[login.last].state.cookies if c.name == "sid")
    assert squeeze(f"+ sid={sid.value[:20]}") in texts[1]
    assert squeeze("+ store: sess:") in texts[1]
    assert "Set-Cookie:sid=" in texts[1]


def test_words_are_found_by_a_search() -> None:
    trace = run_once("basics", "session")
    texts = page_texts(files.export_bytes(trace, "pdf", ExportOptions()))
    # A ligature would come back as one "ﬁ" character and a search for "profile" fails.
    assert not any("\ufb01" in t or "\ufb02" in t for t in texts)
    assert any("GET/api/profile" in t for t in texts[2:])
