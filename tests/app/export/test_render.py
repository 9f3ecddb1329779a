"""`authflow render`: headless SVG/PNG for docs builds, clear errors with status 2."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from authflow import simulator
from authflow.app.export import render

LESSON = simulator.scenario_names()[0]


def test_renders_a_png_at_the_asked_scale(qapp: object, tmp_path: Path) -> None:
    one, two = tmp_path / "one.png", tmp_path / "two.png"
    assert render.main([LESSON, "--mode", "jwt", "-o", str(one)]) == 0
    assert render.main([LESSON, "--mode", "jwt", "--scale", "2", "-o", str(two)]) == 0
    small, big = QImage(str(one)), QImage(str(two))
    assert not small.isNull()
    assert abs(big.width() - 2 * small.width()) <= 1
    assert abs(big.height() - 2 * small.height()) <= 1


def test_renders_svg_with_theme_and_step(
    qapp: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "d.svg"
    argv = [LESSON, "--mode", "hybrid", "--theme", "contrast", "--step", "3", "-o", str(out)]
    assert render.main(argv) == 0
    assert "wrote" in capsys.readouterr().out
    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["no-such-lesson", "--mode", "jwt", "-o", "x.png"], "unknown lesson"),
        ([LESSON, "--mode", "kerberos", "-o", "x.png"], "invalid choice"),
        ([LESSON, "--mode", "jwt", "--theme", "neon", "-o", "x.png"], "invalid choice"),
        ([LESSON, "--mode", "jwt", "--view", "map", "-o", "x.png"], "invalid choice"),
        ([LESSON, "--mode", "jwt", "-o", "x.jpg"], "must end in .svg, .png"),
        ([LESSON, "--mode", "jwt", "--scale", "big", "-o", "x.png"], "not a number"),
        ([LESSON, "--mode", "jwt", "--scale", "0", "-o", "x.png"], "out of range"),
        ([LESSON, "--mode", "jwt", "--step", "99999", "-o", "x.png"], "out of range"),
        ([LESSON, "--mode", "jwt", "--step", "0", "-o", "x.png"], "out of range"),
        ([LESSON, "--mode", "jwt"], "required"),
        (["--mode", "jwt", "-o", "x.png"], "required"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert render.main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "usage: authflow render" in err
    assert list(tmp_path.iterdir()) == []


def test_unwritable_output_exits_1_and_leaves_nothing(
    qapp: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("")
    assert render.main([LESSON, "--mode", "session", "-o", str(blocker / "d.png")]) == 1
    assert "Nothing was saved" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["file.txt"]


def test_runs_with_no_display(tmp_path: Path) -> None:
    """The real command, with no DISPLAY and no QT_QPA_PLATFORM: it picks offscreen."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "QT_QPA_PLATFORM", "WAYLAND_DISPLAY")
    }
    out = tmp_path / "d.png"
    result = subprocess.run(
        [sys.executable, "-m", "authflow", "render", LESSON, "--mode", "session", "-o", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert QImage(str(out)).width() > 0


def test_bad_argument_through_the_real_command_exits_2() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "authflow", "render", LESSON, "--mode", "nope", "-o", "x.png"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_renders_the_stage_at_a_step(qapp: object, tmp_path: Path) -> None:
    out = tmp_path / "stage.png"
    argv = [LESSON, "--mode", "session", "--view", "stage", "--step", "5", "-o", str(out)]
    assert render.main(argv) == 0
    image = QImage(str(out))
    assert image.width() > 200
    assert image.height() > 100


def test_animate_writes_one_frame_per_event_of_the_range(qapp: object, tmp_path: Path) -> None:
    from PIL import Image

    out = tmp_path / "clip.webp"
    argv = [LESSON, "--mode", "jwt", "--animate", "--from", "2", "--to", "6"]
    assert render.main([*argv, "--size", "640x360", "-o", str(out)]) == 0
    with Image.open(out) as image:
        assert (image.n_frames, image.size) == (5, (640, 360))


def test_a_png_with_animate_is_an_apng(qapp: object, tmp_path: Path) -> None:
    from PIL import Image

    out = tmp_path / "clip.png"
    argv = [LESSON, "--mode", "session", "--animate", "--to", "3", "--size", "320x180"]
    assert render.main([*argv, "-o", str(out)]) == 0
    with Image.open(out) as image:
        assert (image.format, image.n_frames) == ("PNG", 3)
        assert image.is_animated


def test_pdf_handout(qapp: object, tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "handout.pdf"
    assert render.main([LESSON, "--mode", "hybrid", "-o", str(out)]) == 0
    steps = len(simulator.load_scenario(LESSON).steps_for("hybrid"))
    assert len(PdfReader(out).pages) == 1 + steps


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--animate", "--from", "5", "--to", "3"], "out of range"),
        (["--animate", "--to", "999"], "out of range"),
        (["--animate", "--size", "10x10"], "160 to 3840"),
    ],
)
def test_bad_animation_arguments_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    out = tmp_path / "clip.webp"
    assert render.main([LESSON, "--mode", "jwt", *extra, "-o", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()
