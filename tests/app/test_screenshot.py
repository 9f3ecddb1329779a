"""`authflow --screenshot` and what `authflow` says when there is no display."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage

from authflow.app.gui import display_problem
from authflow.app.screenshot import parse_size, take

ROOT = Path(__file__).resolve().parents[2]


def distinct_colours(image: QImage, samples: int = 40) -> int:
    """How many different colours a grid of samples finds (a blank image has one)."""
    w, h = image.width(), image.height()
    return len(
        {
            image.pixel(x * w // samples, y * h // samples)
            for x in range(samples)
            for y in range(samples)
        }
    )


def test_screenshot_command_writes_a_png_of_the_requested_size(tmp_path: Path) -> None:
    out = tmp_path / "stage.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "authflow",
            "--screenshot",
            str(out),
            "--lesson",
            "basics",
            "--mode",
            "jwt",
            "--step",
            "8",
            "--size",
            "900x600",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (900, 600)
    assert distinct_colours(image) > 20


@pytest.mark.parametrize(("size", "theme"), [("1366x768", "light"), ("3840x2160", "dark")])
def test_take_renders_mid_flow_at_laptop_and_4k(
    qtbot: Any, tmp_path: Path, size: str, theme: str
) -> None:
    out = tmp_path / "shot.png"
    image = take(out, lesson="basics", mode="session", step=9, size=parse_size(size), theme=theme)
    assert image.size() == parse_size(size)
    assert QImage(str(out)).size() == parse_size(size)
    # A finer grid than the default: at 4K the actors' lines and text are a smaller
    # share of the picture (text follows the screen, not the window).
    assert distinct_colours(image, samples=120) > 20


def test_bad_size_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="WIDTHxHEIGHT"):
        parse_size("big")
    assert parse_size("800X600") == QSize(800, 600)


def test_no_display_says_what_to_do_instead_of_aborting() -> None:
    message = display_problem({}) if sys.platform.startswith("linux") else None
    if message is not None:
        assert "authflow trace" in message
        assert "--screenshot" in message
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}) is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}) is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland check is Linux's")
def test_authflow_without_display_exits_with_advice(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    result = subprocess.run(
        [sys.executable, "-m", "authflow"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "no display" in result.stderr
    assert "authflow trace" in result.stderr
