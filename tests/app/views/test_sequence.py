"""The sequence diagram: layout from the trace, lazy painting, highlight and click-to-jump."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QWheelEvent
from pytestqt.qtbot import QtBot

from authflow import simulator
from authflow.app.session.player import Player
from authflow.app.views.sequence import SequenceScene, SequenceView, theme_named
from authflow.app.views.sequence import layout as lay
from authflow.simulator.trace.trace import Trace

LESSONS = simulator.scenario_names()
MODES = ("session", "jwt", "hybrid")


@pytest.fixture(scope="module")
def trace() -> Trace:
    return simulator.run_scenario(LESSONS[0], "session", seed=1)


def test_columns_follow_the_trace_actors(qapp: object, trace: Trace) -> None:
    scene = SequenceScene(trace, theme_named("light"))
    layout = scene.layout
    assert layout.actors[: len(trace.actors)] == trace.actors
    xs = [layout.x_of[a] for a in layout.actors]
    assert xs == sorted(xs)
    assert len(layout) == len(trace.events)
    # Rows are stacked without gaps, top to bottom.
    assert all(b > a for a, b in zip(layout.tops, layout.tops[1:], strict=False))
    assert layout.row_at(layout.row_top(3) + 1) == 3
    assert layout.row_at(layout.rows_top - 1) is None


def test_rows_in_returns_only_the_exposed_rows(qapp: object, trace: Trace) -> None:
    layout = SequenceScene(trace, theme_named("light")).layout
    top, bottom = layout.row_top(2), layout.row_bottom(4)
    assert list(layout.rows_in(top + 0.5, bottom - 0.5)) == [2, 3, 4]


@pytest.mark.parametrize("mode", MODES)
def test_every_event_has_a_place(qapp: object, mode: str) -> None:
    for lesson in LESSONS:
        trace = simulator.run_scenario(lesson, mode, seed=1)
        layout = SequenceScene(trace, theme_named("dark")).layout
        for event in trace.events:
            assert event.src in layout.x_of
            assert event.dst in layout.x_of
            assert lay.line_style(event) in lay.LINE_STYLES


def arrow_point(view: SequenceView, row: int) -> QPointF:
    """Where the row's arrow (or note) is drawn, in viewport coordinates."""
    layout = view.diagram.layout
    event = layout.events[row]
    x = (layout.x_of[event.src] + layout.x_of[event.dst]) / 2
    return QPointF(view.mapFromScene(QPointF(x, layout.row_top(row) + 30)))


def make_view(qtbot: QtBot, trace: Trace) -> tuple[SequenceView, Player]:
    player = Player()
    view = SequenceView(player, theme_named("light"))
    qtbot.addWidget(view)
    view.resize(900, 500)
    player.set_trace(trace, index=0)
    view.show()
    qtbot.wait_exposed(view)
    return view, player


def test_clicking_an_arrow_moves_the_player(qtbot: QtBot, trace: Trace) -> None:
    view, player = make_view(qtbot, trace)
    row = 2
    with qtbot.wait_signal(player.step_changed) as blocker:
        qtbot.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, pos=arrow_point(view, row).toPoint()
        )
    assert blocker.args == [row]
    assert view.diagram.current == row


def test_player_step_highlights_and_scrolls_to_the_row(qtbot: QtBot, trace: Trace) -> None:
    view, player = make_view(qtbot, trace)
    last = len(trace.events) - 1
    player.jump(last)
    assert view.diagram.current == last
    assert view.visible_scene_rect().intersects(view.diagram.row_rect(last))


def test_highlight_is_painted(qapp: object, trace: Trace) -> None:
    theme = theme_named("light")
    scene = SequenceScene(trace, theme, current=1)
    rect = scene.row_rect(1)
    image = QImage(int(rect.width()), int(rect.height()), QImage.Format.Format_ARGB32)
    image.fill(theme.color("background"))
    painter = QPainter(image)
    scene.render(painter, QRectF(image.rect()), rect)
    painter.end()
    # The highlight's left bar is the active-actor colour.
    bar = QColor(image.pixel(int(lay.MARGIN) - 6, int(rect.height() / 2)))
    assert bar.name() == theme.color("actor_active").name()


def test_a_huge_trace_lays_out_without_items(qapp: object, trace: Trace) -> None:
    events = trace.events * (20_000 // len(trace.events) + 1)
    big = Trace(
        trace.scenario,
        trace.title,
        trace.mode,
        trace.settings,
        trace.seed,
        trace.actors,
        trace.steps,
        events,
    )
    scene = SequenceScene(big, theme_named("light"))
    assert len(scene.items()) == 1
    assert len(scene.layout) == len(events)
    middle = scene.layout.row_top(10_000)
    assert list(scene.layout.rows_in(middle, middle + 1)) == [10_000]


def test_badges_say_what_rode_along_and_what_was_left_out() -> None:
    if "csrf" not in LESSONS:
        pytest.skip("no csrf lesson")
    trace = simulator.run_scenario("csrf", "session", seed=1)
    transfer = next(e for e in trace.events if e.label == "POST /api/transfer")
    texts = [b.text for b in lay.badges(transfer)]
    assert "cross-site from evil.example" in texts
    left_out = transfer.detail.get("left_out") or []
    assert len([t for t in texts if t.startswith("✗ ")]) == len(left_out)
    profile = next(e for e in trace.events if e.label == "GET /api/profile")
    assert [b.text for b in lay.badges(profile)] == ["Cookie sid"]
    assert lay.line_style(profile) == "cookie"
    for event in trace.events:
        if event.kind == "request" and event.detail.get("origin_actor") == "attacker":
            assert not any(b.text.startswith("cross-site") for b in lay.badges(event))


def test_fit_to_width_fills_a_wide_panel_but_keeps_labels_readable(
    qtbot: QtBot, trace: Trace
) -> None:
    view, _ = make_view(qtbot, trace)
    width = view.diagram.diagram_rect().width()
    assert view.fit_action.isChecked()
    view.resize(round(width * 2) + 40, 500)
    qtbot.waitUntil(lambda: view.zoom > 1.5)
    # Fills the width: the whole diagram is in view, left edge included.
    assert view.visible_scene_rect().width() <= width + 20
    # A narrow panel scrolls sideways rather than shrinking labels below the UI's size.
    view.resize(300, 500)
    qtbot.waitUntil(lambda: view.zoom < 1.5)
    assert view.zoom >= 0.85
    # Ctrl + wheel zooms by hand and leaves fit-to-width.
    before = view.zoom
    wheel = QWheelEvent(
        QPointF(50, 50),
        QPointF(view.mapToGlobal(QPoint(50, 50))),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    view.wheelEvent(wheel)
    assert view.zoom > before
    assert not view.fit_action.isChecked()
    view.fit_action.setChecked(True)
    assert view.zoom == pytest.approx(before)


def test_narrow_panel_scrolls_sideways_to_the_current_lanes(qtbot: QtBot, trace: Trace) -> None:
    view, player = make_view(qtbot, trace)
    view.resize(300, 500)
    layout = view.diagram.layout
    for row, event in enumerate(layout.events):
        if event.src not in layout.x_of or event.dst not in layout.x_of:
            continue
        player.jump(row)
        visible = view.visible_scene_rect()
        left, right = sorted((layout.x_of[event.src], layout.x_of[event.dst]))
        assert visible.left() <= left <= visible.right(), row
        if right - left + layout.column <= visible.width():
            assert right <= visible.right(), row
