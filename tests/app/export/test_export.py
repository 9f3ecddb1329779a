"""Exports: PNG/SVG/Mermaid of every lesson and mode, curl/raw HTTP, atomic writes."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from factories import run_once
from PySide6.QtCore import QRectF, QSaveFile
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from authflow import simulator
from authflow.app import savefile
from authflow.app.export import files
from authflow.app.export.actions import ExportActions
from authflow.app.export.options import ExportError, ExportOptions
from authflow.app.session.player import Player
from authflow.app.views.sequence import SequenceScene, theme_named

LESSONS = simulator.scenario_names()
MODES = ("session", "jwt", "hybrid")
RUNS = [(lesson, mode) for lesson in LESSONS for mode in MODES]
SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(("lesson", "mode"), RUNS)
def test_svg_is_xml_with_actor_names_as_text(qapp: object, lesson: str, mode: str) -> None:
    trace = run_once(lesson, mode)
    data = files.export_bytes(trace, "svg", ExportOptions(theme="dark"))
    root = ET.fromstring(data)
    texts = {"".join(t.itertext()).strip() for t in root.iter(f"{SVG}text")}
    assert set(trace.actors) <= texts
    labels = {e.label for e in trace.events if e.kind == "request"}
    assert labels & texts, "arrow labels stay text, not outlines"


@pytest.mark.parametrize(("lesson", "mode"), RUNS)
def test_png_has_the_requested_size(qapp: object, lesson: str, mode: str) -> None:
    trace = run_once(lesson, mode)
    rect = SequenceScene(trace, theme_named("light")).diagram_rect()
    for scale in (1.0, 2.0, 3.0) if lesson == LESSONS[0] else (2.0,):
        data = files.export_bytes(trace, "png", ExportOptions(scale=scale))
        image = QImage.fromData(data, "PNG")  # type: ignore[arg-type]
        assert (image.width(), image.height()) == (
            math.ceil(rect.width() * scale),
            math.ceil(rect.height() * scale),
        )


def test_png_background_is_themed_or_transparent(qapp: object) -> None:
    trace = run_once(LESSONS[0], "session")
    themed = QImage.fromData(files.export_bytes(trace, "png", ExportOptions(theme="dark")))
    assert QColor(themed.pixel(2, 2)).name() == theme_named("dark").color("background").name()
    clear = QImage.fromData(files.export_bytes(trace, "png", ExportOptions(transparent=True)))
    assert clear.pixelColor(2, 2).alpha() == 0


ARROW = re.compile(r"^\s*(\w+)\s*(-->>|->>)\s*(\w+)\s*:\s*(.*)$")


@pytest.mark.parametrize(("lesson", "mode"), RUNS)
def test_mermaid_has_one_arrow_per_request_and_response_in_order(lesson: str, mode: str) -> None:
    trace = run_once(lesson, mode)
    text = files.export_bytes(trace, "mermaid", ExportOptions()).decode("utf-8")
    assert text.startswith("sequenceDiagram\n")
    arrows = [m.groups() for line in text.splitlines() if (m := ARROW.match(line))]
    wanted = [e for e in trace.events if e.kind in ("request", "response")]
    assert len(arrows) == len(wanted)
    for (src, arrow, dst, label), event in zip(arrows, wanted, strict=True):
        assert arrow == ("->>" if event.kind == "request" else "-->>")
        assert (src, dst) == (event.src.replace("-", "_"), event.dst.replace("-", "_"))
        assert label.startswith(event.label.replace(";", ",").replace("#", "no."))


def test_writes_are_whole(tmp_path: Path) -> None:
    target = tmp_path / "diagram.svg"
    files.write_atomically(target, b"<svg/>")
    files.write_atomically(target, b"<svg>new</svg>")
    assert target.read_bytes() == b"<svg>new</svg>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["diagram.svg"]


@pytest.mark.parametrize("where", ["under-a-file", "proc"])
def test_unwritable_path_fails_clearly_and_leaves_nothing(
    qapp: object, tmp_path: Path, where: str
) -> None:
    # Tests run as root, so a read-only mode would not stop the write: use a "folder"
    # that is a regular file, and /proc, where nobody may create files.
    blocker = tmp_path / "file.txt"
    blocker.write_text("keep")
    path = blocker / "out.png" if where == "under-a-file" else Path("/proc/authflow-out.png")
    with pytest.raises(ExportError, match="Nothing was saved") as info:
        files.export(run_once(LESSONS[0], "session"), path, ExportOptions())
    assert str(path) in str(info.value)
    assert not path.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["file.txt"]
    assert blocker.read_text() == "keep"


class _FullDisk(QSaveFile):
    """A save file on a full disk: the write stops short."""

    def write(self, data: Any) -> int:
        super().write(bytes(data)[:10])
        return 10


def test_full_disk_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "diagram.png"
    target.write_bytes(b"old picture")
    monkeypatch.setattr(savefile, "QSaveFile", _FullDisk)
    with pytest.raises(ExportError, match="Nothing was saved"):
        files.write_atomically(target, b"x" * 1000)
    assert target.read_bytes() == b"old picture"
    assert [p.name for p in tmp_path.iterdir()] == ["diagram.png"]


def test_unknown_extension_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"\.png, \.svg"):
        files.export(run_once(LESSONS[0], "session"), tmp_path / "x.jpg", ExportOptions())


def test_export_action_reports_failure_in_a_message(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    player = Player()
    actions = ExportActions(window, player)
    assert actions.export_action.shortcut().toString() == "Ctrl+E"
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    trace = run_once(LESSONS[0], "session")
    bad = tmp_path / "file.txt"
    bad.write_text("")
    assert not actions.save(trace, str(bad / "x.svg"), ExportOptions())
    assert shown
    assert str(bad / "x.svg") in shown[0]
    assert actions.save(trace, str(tmp_path / "ok.svg"), ExportOptions())
    assert (tmp_path / "ok.svg").stat().st_size > 0


def test_svg_viewbox_matches_the_diagram(qapp: object) -> None:
    trace = run_once(LESSONS[0], "hybrid")
    root = ET.fromstring(files.export_bytes(trace, "svg", ExportOptions()))
    rect: QRectF = SequenceScene(trace, theme_named("light")).diagram_rect()
    width = float(root.attrib["viewBox"].split()[2])
    assert width == math.ceil(rect.width())


def test_stage_export_is_a_picture_of_the_stage(qapp: object) -> None:
    trace = run_once(LESSONS[0], "session")
    data = files.export_bytes(trace, "svg", ExportOptions(view="stage", step=3))
    root = ET.fromstring(data)
    texts = {"".join(t.itertext()).strip() for t in root.iter(f"{SVG}text")}
    assert "browser" in texts
