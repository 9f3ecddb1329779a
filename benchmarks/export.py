"""Exports: time and size of every format for one lesson, and of a 720p animation.

Each export is made in-process from an already simulated trace (the simulation is not
timed), median of a few runs. The baseline is bare Qt in the same run: a 1280x720 QImage
filled and encoded as PNG, once per frame the animation has; an animation's ratio to
it says what drawing the stage and Pillow's encoder add.

    python benchmarks/export.py [--lesson basics] [--mode session] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def timed(make: Callable[[], bytes], runs: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        size = len(make())
        times.append(time.perf_counter() - start)
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lesson", default="basics")
    parser.add_argument("--mode", default="session")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QColor, QImage
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from authflow import simulator
    from authflow.app.export import files
    from authflow.app.export.options import ExportOptions, Format

    trace = simulator.run_scenario(args.lesson, args.mode, seed=1)
    frames = len(trace.events)

    def bare() -> bytes:
        out = b""
        for _ in range(frames):
            image = QImage(1280, 720, QImage.Format.Format_RGB32)
            image.fill(QColor("#fafaf7"))
            buffer = QBuffer()
            buffer.open(QIODevice.OpenModeFlag.WriteOnly)
            image.save(buffer, "PNG")  # type: ignore[call-overload]
            out = bytes(buffer.data().data())
        return out

    base, _ = timed(bare, args.runs)
    print(f"{args.lesson} / {args.mode}: {frames} events; median of {args.runs} runs")
    print(f"baseline: bare Qt 1280x720 fill+PNG x{frames}: {base * 1000:.0f} ms")
    cases: list[tuple[str, Format, ExportOptions]] = [
        ("sequence PNG 2x", "png", ExportOptions(scale=2.0)),
        ("sequence SVG", "svg", ExportOptions()),
        ("stage PNG 2x", "png", ExportOptions(view="stage", scale=2.0)),
        ("stage SVG", "svg", ExportOptions(view="stage")),
        ("slide crop PNG 16:9 2x", "png", ExportOptions(step=9, neighbours=2, widescreen=True)),
        ("Mermaid", "mermaid", ExportOptions()),
        ("HAR", "har", ExportOptions()),
        ("PDF per action", "pdf", ExportOptions()),
        ("PDF per event", "pdf", ExportOptions(per="event")),
        ("WebP 1280x720", "webp", ExportOptions(animate=True)),
        ("GIF 1280x720", "gif", ExportOptions(animate=True)),
        ("APNG 1280x720", "apng", ExportOptions(animate=True)),
    ]
    print(f"{'export':<24} {'ms':>8} {'bytes':>10} {'x baseline':>11}")
    for name, fmt, options in cases:
        seconds, size = timed(lambda f=fmt, o=options: files.export_bytes(trace, f, o), args.runs)
        print(f"{name:<24} {seconds * 1000:>8.0f} {size:>10,} {seconds / base:>11.2f}")
    del app


if __name__ == "__main__":
    main()
