"""Nothing on the stage overlaps, leaves its card or shrinks below the text floor: every
lesson, in every mode, at every event, at a laptop's, a 1080p and a 4K screen's size
(the inspector area open) and in presenter mode at 1080p (DESIGN.md section 6).

Each layout is read from the scene's items (stage_geometry.py records the text the
items lay out, without drawing it). The lessons are simulated once and walked at every
size; the light theme is used (the themes change colours, not geometry).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
import stage_geometry
from factories import FAST
from PySide6.QtWidgets import QApplication

from authflow import simulator
from authflow.app.views.palette import LIGHT
from authflow.app.window.shell import MainWindow
from authflow.simulator.trace.trace import Trace

SIZES = {
    "laptop 1366x768": ((1366, 768), False, 11.0),
    "1080p": ((1920, 1080), False, 11.0),
    "4K": ((3840, 2160), False, 11.0),
    "presenter 1080p": ((1920, 1080), True, 1080 / 60),
}
"""name -> (window size, presenting, least on-screen pixel height of any stage text)."""
SMALLEST_SEEN: dict[str, float] = {}


@cache
def runs() -> tuple[tuple[str, str, Trace], ...]:
    return tuple(
        (name, mode, simulator.run_scenario(name, mode, FAST, seed=1))
        for name in simulator.scenario_names()
        for mode in simulator.load_scenario(name).modes
    )


@pytest.fixture
def sized_window(qtbot: Any, request: pytest.FixtureRequest) -> Iterator[MainWindow]:
    (width, height), presenting, _floor = SIZES[request.param]
    win = MainWindow(scenario="basics", mode="session", seed=1, palette=LIGHT, animation_ms=0)
    qtbot.addWidget(win)
    win.resize(width, height)
    win.show()
    qtbot.waitExposed(win)
    win.start(-1)
    if presenting:
        presenter = win.parts.presenter
        presenter.full_screen = False  # offscreen has no full screen: the window is sized
        presenter.enter()
    QApplication.processEvents()
    yield win
    if presenting:
        win.parts.presenter.leave()
    win.shutdown()


@pytest.mark.parametrize("sized_window", list(SIZES), indirect=True)
def test_no_text_overlaps_leaves_its_card_or_falls_below_the_floor(
    sized_window: MainWindow, request: pytest.FixtureRequest
) -> None:
    name = request.node.callspec.params["sized_window"]
    floor = SIZES[name][2]
    win = sized_window
    scene, view = win.stage, win.stage_view
    found: list[str] = []
    smallest = float("inf")
    layouts = 0
    for lesson, mode, trace in runs():
        scene.set_trace(trace)
        QApplication.processEvents()  # a new cast resizes the view (its least size)
        on_screen = view.scale_factor
        shown = view.mapFromScene(scene.sceneRect()).boundingRect()
        if not view.viewport().rect().adjusted(-1, -1, 1, 1).contains(shown):
            found.append(f"{lesson} {mode}: the stage {shown} is cut off by its view")
        for index in range(len(trace.events)):
            scene.show(index)
            layout = stage_geometry.collect(scene)
            layouts += 1
            smallest = min(smallest, stage_geometry.smallest_pixels(layout, on_screen))
            found += [
                f"{lesson} {mode} event {index}: {problem}"
                for problem in stage_geometry.problems(layout, on_screen, floor)
            ]
    SMALLEST_SEEN[name] = smallest
    assert layouts > 1000
    assert not found, f"{len(found)} problems at {name}, first:\n" + "\n".join(found[:25])
    assert win.width() <= SIZES[name][0][0], "the window grew past the screen"
    assert win.height() <= SIZES[name][0][1], "the window grew past the screen"
