"""Animated exports open in Pillow with one frame per event shown, in every lesson and mode."""

from __future__ import annotations

import io
import itertools

import pytest
from factories import run_once
from PIL import Image

from authflow import simulator
from authflow.app.export import files
from authflow.app.export.animation import AnimationOptions, animate, frames
from authflow.app.export.options import ExportError, ExportOptions, Format, format_for

RUNS = [(lesson, mode) for lesson in simulator.scenario_names() for mode in simulator.MODES]


def opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


@pytest.mark.parametrize(("lesson", "mode"), RUNS)
def test_one_webp_frame_per_event(lesson: str, mode: str) -> None:
    trace = run_once(lesson, mode)
    small = ExportOptions(animate=True, size=(320, 180), seconds_per_step=0.5)
    image = opened(files.export_bytes(trace, "webp", small))
    assert image.format == "WEBP"
    assert image.n_frames == len(trace.events)
    assert image.size == (320, 180)


@pytest.mark.parametrize(("fmt", "pil"), [("gif", "GIF"), ("apng", "PNG"), ("webp", "WEBP")])
def test_a_range_at_720p_in_every_format(fmt: Format, pil: str) -> None:
    trace = run_once("basics", "session")
    options = ExportOptions(animate=True, first=3, last=12, seconds_per_step=2.0)
    image = opened(files.export_bytes(trace, fmt, options))
    assert (image.format, image.n_frames, image.size) == (pil, 10, (1280, 720))
    assert image.info.get("loop") == 0
    if fmt != "webp":  # Pillow does not report WebP frame durations
        image.seek(1)
        assert image.info["duration"] == 2000


def test_each_frame_shows_its_own_event() -> None:
    trace = run_once("basics", "session")
    images = list(frames(trace, AnimationOptions(width=320, height=180, first=0, last=5)))
    # The stage changes with every event, so no two neighbours are the same picture.
    assert all(a != b for a, b in itertools.pairwise(images))


def test_caption_adds_a_band_of_surface_colour() -> None:
    trace = run_once("basics", "jwt")
    with_caption = next(frames(trace, AnimationOptions(width=640, height=360)))
    without = next(frames(trace, AnimationOptions(width=640, height=360, caption=False)))
    assert with_caption.pixelColor(5, 355) != without.pixelColor(5, 355)


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [(5, 2, "out of range"), (0, 999, "steps 1 to"), (-1, 3, "out of range")],
)
def test_bad_ranges_say_the_valid_one(first: int, last: int, message: str) -> None:
    with pytest.raises(ExportError, match=message):
        animate(run_once("basics", "jwt"), AnimationOptions(first=first, last=last))


def test_a_png_name_with_animate_is_an_apng() -> None:
    assert format_for("clip.png", animate=True) == "apng"
    assert format_for("clip.png") == "png"
    with pytest.raises(ExportError, match=r"webp, \.gif or \.png"):
        format_for("clip.svg", animate=True)
