"""Frame time: one full repaint of the stage with 10 and 100 packets in flight.

For each size (1920x1080, 3840x2160) and packet count (10, 100), moves every packet a
little along its lane and repaints the whole stage viewport synchronously, timing each
frame. Beside it, the same view settings on a bare QGraphicsScene holding the same
number of plain Qt packets (a QGraphicsRectItem with a QGraphicsSimpleTextItem label),
measured in the same run, as the floor. Prints mean
and worst frame time and Authflow's ratio to the floor (targets: 10 packets at most 2x
the floor; 100 packets under 16 ms at 4K).

    QT_QPA_PLATFORM=offscreen python benchmarks/frames.py [--frames 120]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QLineF, QRectF
from PySide6.QtGui import QBrush, QColor, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
)

from authflow import simulator
from authflow.app.views.palette import LIGHT
from authflow.app.views.stage.packet import PacketItem
from authflow.app.views.stage.scene import StageScene, badges_for
from authflow.app.views.stage.view import StageView

SIZES = ((1920, 1080), (3840, 2160))
COUNTS = (10, 100)


def time_frames(view: QGraphicsView, move: Callable[[float], None], frames: int) -> list[float]:
    viewport = view.viewport()
    for f in range(10):  # warm caches and the backing store
        move(f / frames)
        viewport.repaint()
    times = []
    for f in range(frames):
        move(f / frames)
        start = time.perf_counter()
        viewport.repaint()
        times.append((time.perf_counter() - start) * 1000)
    return times


def stage_frames(size: tuple[int, int], count: int, frames: int) -> list[float]:
    trace = simulator.run_scenario("basics", "session", seed=1)
    scene = StageScene(LIGHT, duration_ms=0)
    scene.set_trace(trace)
    view = StageView(scene)
    view.resize(*size)
    view.show()
    QApplication.processEvents()
    view.fit()
    scene.show(8)
    travelling = [e for e in trace.events if e.kind in ("request", "response", "store")]
    packets: list[PacketItem] = []  # the list owns the items (see the parentItem pitfall)
    for i in range(count):
        event = travelling[i % len(travelling)]
        arrow = scene.arrow_for(event.src, event.dst)
        assert arrow is not None
        packet = PacketItem(LIGHT)
        ends = [scene.actors[a].scene_rect() for a in (event.src, event.dst)]
        packet.set_packet(
            event.label,
            event.kind,
            arrow.lane(event.src, event.dst),
            badges_for(event),
            avoid=ends,
        )
        scene.addItem(packet)
        packets.append(packet)

    def move(t: float) -> None:
        for i, packet in enumerate(packets):
            packet.set_progress((t + i / count) % 1.0)

    try:
        return time_frames(view, move, frames)
    finally:
        view.close()


def bare_frames(size: tuple[int, int], count: int, frames: int) -> list[float]:
    scene = QGraphicsScene(QRectF(0, 0, 1920, 1080))
    items: list[QGraphicsRectItem] = []
    labels: list[QGraphicsSimpleTextItem] = []
    for i in range(count):
        # The plain-Qt version of a packet: a filled box with a text label on it.
        item = QGraphicsRectItem(0, 0, 160, 50)
        item.setBrush(QBrush(QColor("#0072B2")))
        label = QGraphicsSimpleTextItem(f"GET /api/profile {i}", item)
        label.setPos(8, 14)
        scene.addItem(item)
        items.append(item)
        labels.append(label)
    view = QGraphicsView(scene)
    view.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    view.resize(*size)
    view.show()
    QApplication.processEvents()
    view.fitInView(scene.sceneRect())
    line = QLineF(100, 100, 1700, 900)

    def move(t: float) -> None:
        for i, item in enumerate(items):
            item.setPos(line.pointAt((t + i / count) % 1.0))

    try:
        return time_frames(view, move, frames)
    finally:
        view.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=120)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"platform: {QApplication.platformName()}, {args.frames} frames each, times in ms")
    print(f"load average {load} on {os.cpu_count()} CPUs (other work inflates both columns)")
    print(
        f"{'size':>10} {'packets':>7} | {'bare mean':>9} {'worst':>6} | "
        f"{'stage mean':>10} {'worst':>6} | ratio | medians stage/bare"
    )
    for size in SIZES:
        for count in COUNTS:
            bare = bare_frames(size, count, args.frames)
            ours = stage_frames(size, count, args.frames)
            b, o = statistics.mean(bare), statistics.mean(ours)
            mb, mo = statistics.median(bare), statistics.median(ours)
            print(
                f"{size[0]}x{size[1]:<5} {count:>7} | {b:9.2f} {max(bare):6.2f} | "
                f"{o:10.2f} {max(ours):6.2f} | {o / b:4.2f}x | {mo:.2f}/{mb:.2f}"
            )
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
