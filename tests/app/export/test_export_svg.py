"""SVG exports keep every text as text, in the face the layout measured, for every lesson."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from factories import run_once
from PySide6.QtGui import QFontInfo

from authflow import simulator
from authflow.app.export import files, scenes
from authflow.app.export.options import ExportOptions
from authflow.app.views.stage.paint import font
from authflow.app.views.stage.scene import TRAVELLING
from authflow.simulator.trace.trace import Trace

SVG = "{http://www.w3.org/2000/svg}"
RUNS = [(lesson, mode) for lesson in simulator.scenario_names() for mode in simulator.MODES]


def texts_of(data: bytes) -> set[str]:
    root = ET.fromstring(data)
    assert root.find(f".//{SVG}image") is None, "an item reached the SVG as a bitmap"
    return {"".join(t.itertext()) for t in root.iter(f"{SVG}text")}


def last_of(trace: Trace, kinds: tuple[str, ...]) -> int:
    return max(i for i, e in enumerate(trace.events) if e.kind in kinds)


@pytest.mark.parametrize(("lesson", "mode"), RUNS)
def test_stage_svg_draws_callout_and_packet_as_text(lesson: str, mode: str) -> None:
    trace = run_once(lesson, mode)
    for index in (last_of(trace, ("verdict", "attack", "note")), last_of(trace, TRAVELLING)):
        scene, _ = scenes.stage_scene(trace, "light", index)
        shown = [*scene.callout.lines] if scene.callout.isVisible() else []
        if scene.packet.isVisible():
            shown += scene.packet.shown_label.split("\n")
        assert shown
        data = files.export_bytes(trace, "svg", ExportOptions(view="stage", step=index))
        assert set(shown) <= texts_of(data)


@pytest.mark.parametrize(("lesson", "mode"), RUNS)
def test_sequence_svg_has_no_bitmap_and_every_note(lesson: str, mode: str) -> None:
    trace = run_once(lesson, mode)
    data = files.export_bytes(trace, "svg", ExportOptions(view="sequence", step=3))
    texts = texts_of(data)
    verdicts = [e.label for e in trace.events if e.kind == "verdict"]
    assert all(any(t.startswith(v) for t in texts) for v in verdicts)


def families(data: bytes) -> set[str]:
    return set(re.findall(r'font-family="([^"]*)"', data.decode("utf-8")))


def test_stage_svg_names_the_measured_faces_and_ends_with_the_generic_one() -> None:
    trace = run_once("tamper", "hybrid")
    data = files.export_bytes(trace, "svg", ExportOptions(view="stage"))
    sans, mono = QFontInfo(font()).family(), QFontInfo(font(mono=True)).family()
    assert families(data) == {f"'{sans}', sans-serif", f"'{mono}', monospace"}


def test_mono_text_is_set_in_the_monospace_family() -> None:
    trace = run_once("basics", "jwt")
    data = files.export_bytes(trace, "svg", ExportOptions(view="stage")).decode("utf-8")
    url = re.search(r'<text [^>]*font-family="([^"]*)"[^>]*>https://app\.example/</text>', data)
    assert url is not None
    assert url.group(1).endswith(", monospace")
