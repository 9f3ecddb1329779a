"""Slide-ready diagrams: one step and its neighbours, and a 16:9 page."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage

from authflow import simulator
from authflow.app.export import files
from authflow.app.export.options import ExportOptions
from authflow.app.export.slides import rows_around, widescreen
from authflow.app.views.sequence.layout import arrow_label

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("count", "current", "neighbours", "rows"),
    [
        (24, 10, 2, range(8, 13)),
        (24, 0, 2, range(0, 5)),
        (24, 23, 2, range(19, 24)),
        (3, 1, 2, range(0, 3)),
        (24, 5, 0, range(5, 6)),
    ],
)
def test_rows_around_stay_inside_the_run(
    count: int, current: int, neighbours: int, rows: range
) -> None:
    assert rows_around(count, current, neighbours) == rows


def test_crop_shows_the_current_row_and_its_neighbours_only() -> None:
    trace = simulator.run_scenario("basics", "session", {"scrypt_n": "1024"}, seed=1)
    data = files.export_bytes(trace, "svg", ExportOptions(step=9, neighbours=1))
    texts = {"".join(t.itertext()) for t in ET.fromstring(data).iter(f"{SVG}text")}
    assert {"9", "10", "11"} <= texts
    assert not {"8", "12", "1"} & texts
    assert arrow_label(trace.events[9]) in texts
    assert {"browser", "server", "store"} <= texts


@pytest.mark.parametrize("neighbours", [None, 2])
def test_widescreen_png_is_16_by_9(neighbours: int | None) -> None:
    trace = simulator.run_scenario("xss", "jwt", {"scrypt_n": "1024"}, seed=1)
    options = ExportOptions(step=12, neighbours=neighbours, widescreen=True)
    image = QImage.fromData(files.export_bytes(trace, "png", options))
    assert abs(image.width() / image.height() - 16 / 9) < 0.01


def test_widescreen_grows_and_never_crops() -> None:
    tall, wide = QRectF(0, 0, 100, 400), QRectF(0, 0, 1000, 100)
    for rect in (tall, wide):
        page = widescreen(rect)
        assert page.contains(rect)
        assert page.center() == rect.center()
        assert page.width() / page.height() == pytest.approx(16 / 9)
