"""app/compare: panes step together by lesson step, differences marked on both sides."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from factories import FAST
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QComboBox, QWidget

from authflow import simulator
from authflow.app.compare.pane import MIN_STAGE_EM_PX, ComparePane
from authflow.app.compare.window import CompareWindow, RunSpec, parse_overrides
from authflow.app.views.palette import CONTRAST, DARK, LIGHT
from authflow.app.views.stage.layout import EM
from authflow.app.window.compare_launcher import SHORTCUT
from authflow.simulator.config.settings import SettingError


def make(qtbot: Any, lesson: str, runs: tuple[RunSpec, ...] | None = None) -> CompareWindow:
    kwargs: dict[str, Any] = {} if runs is None else {"runs": runs}
    win = CompareWindow(
        lesson, seed=1, base_overrides=FAST, palette=LIGHT, animation_ms=0, **kwargs
    )
    qtbot.addWidget(win)
    win.resize(1600, 900)
    win.show()
    return win


@pytest.fixture
def compare(qtbot: Any) -> Iterator[CompareWindow]:
    win = make(qtbot, "basics")
    yield win
    win.shutdown()
    assert not win.playback.playing, "the shared timer was left running"
    assert not any(p.player.playing for p in win.panes)
    assert not win.animating, "a packet animation was left running"


def assert_in_sync(win: CompareWindow) -> None:
    line = win.playback.timeline
    assert line is not None
    position = win.playback.position
    step = line.step_at(position)
    for run, pane in enumerate(win.panes):
        assert pane.player.index == line.index_for(run, position)
        assert pane.stage.index == pane.player.index
        event = pane.player.current_event
        if step is None:
            assert event is None
        else:
            assert event is not None
            assert event.step == step, f"pane {run} is at step {event.step}, not {step}"
    assert win.slider.value() == position + 1


def test_three_modes_step_together(compare: CompareWindow) -> None:
    assert [p.trace.mode for p in compare.panes if p.trace] == ["session", "jwt", "hybrid"]
    lengths = {len(p.trace.events) for p in compare.panes if p.trace}
    assert len(lengths) > 1, "the modes' traces differ in length"
    assert compare.playback.position == -1
    assert_in_sync(compare)
    while compare.playback.position < compare.playback.length - 1:
        compare.actions_by_key["forward"].trigger()
        assert_in_sync(compare)
    for pane in compare.panes:
        assert pane.trace is not None
        assert pane.player.index == len(pane.trace.events) - 1
    assert not compare.playback.step_forward()


def test_in_sync_after_step_back_and_jump(compare: CompareWindow) -> None:
    line = compare.playback.timeline
    assert line is not None
    compare.slider.setValue(line.first_of_step(3) + 1)
    assert compare.current_step() == 3
    assert_in_sync(compare)
    compare.actions_by_key["back"].trigger()
    assert compare.current_step() == 2
    assert_in_sync(compare)
    compare.jump(line.first_of_step(1) + 2)
    assert_in_sync(compare)
    for _ in range(4):
        compare.step_back()
        assert_in_sync(compare)
    compare.actions_by_key["end"].trigger()
    assert compare.playback.position == len(line) - 1
    assert_in_sync(compare)
    compare.actions_by_key["restart"].trigger()
    assert compare.playback.position == 0
    assert_in_sync(compare)
    compare.step_back()
    assert compare.playback.position == -1
    assert_in_sync(compare)


def test_play_and_pause_drive_one_timer(compare: CompareWindow, qtbot: Any) -> None:
    with qtbot.wait_signal(compare.playback.playing_changed):
        compare.actions_by_key["play"].trigger()
    assert compare.playback.playing
    assert compare.actions_by_key["play"].text() == "Pause"
    compare.step_forward()  # a manual step pauses
    assert not compare.playback.playing
    assert_in_sync(compare)


def test_two_settings_of_one_mode_mark_the_csrf_step_on_both_sides(qtbot: Any) -> None:
    if "csrf" not in simulator.scenario_names():
        pytest.skip("the csrf lesson is not there yet")
    runs = (RunSpec("session"), RunSpec("session", {"same_site": "None"}))
    win = make(qtbot, "csrf", runs)
    try:
        assert win.comparison is not None
        csrf = next(d.step for d in win.comparison.steps if d.action == "csrf")
        assert win.comparison.changed_steps == (csrf,)
        assert win.message.text() == f"Outcomes differ at step {csrf + 1} (csrf)."
        assert [p.title.text() for p in win.panes] == ["Session", "Session · same_site=None"]
        line = win.playback.timeline
        assert line is not None
        win.jump(line.first_of_step(0))
        assert not any(p.differs for p in win.panes)
        assert all(p.difference.text().startswith("= Same outcome at step 1") for p in win.panes)
        win.jump(line.first_of_step(csrf))
        assert all(p.differs for p in win.panes)
        left, right = (p.difference.text() for p in win.panes)
        assert left.startswith(f"≠ Outcome differs at step {csrf + 1}: ")
        assert "POST /api/transfer → 401; csrf failed" in left
        assert "POST /api/transfer → 200; csrf worked" in right
        assert_in_sync(win)
    finally:
        win.shutdown()


def test_changing_a_panes_mode_and_count_keeps_the_step(compare: CompareWindow) -> None:
    line = compare.playback.timeline
    assert line is not None
    compare.jump(line.first_of_step(2))
    picker = compare.mode_pickers[2]
    picker.setCurrentIndex(picker.findData("session"))
    picker.activated.emit(picker.currentIndex())
    assert compare.specs[2] == RunSpec("session")
    assert compare.panes[2].title.text() == "Session"
    assert compare.current_step() == 2
    assert_in_sync(compare)
    count = compare.pane_count
    count.setCurrentIndex(count.findData(2))
    count.activated.emit(count.currentIndex())
    assert len(compare.panes) == 2
    assert compare.scoreboard.table.columnCount() == 2
    assert compare.current_step() == 2
    assert_in_sync(compare)
    count.setCurrentIndex(count.findData(3))
    count.activated.emit(count.currentIndex())
    assert [s.mode for s in compare.specs] == ["session", "jwt", "hybrid"]
    assert_in_sync(compare)


def test_a_bad_pane_setting_is_refused_with_the_reason(compare: CompareWindow) -> None:
    edit = compare.setting_edits[0]
    edit.setText("same_site=Sideways")
    edit.editingFinished.emit()
    assert compare.specs[0] == RunSpec("session")
    assert compare.message.text().startswith("Pane 1: not changed: same_site='Sideways'")
    edit.setText("same_site=none, secure=true")
    edit.editingFinished.emit()
    assert compare.specs[0].overrides == {"same_site": "None", "secure": "true"}
    assert compare.panes[0].title.text() == "Session · same_site=None, secure=true"


def test_parse_overrides() -> None:
    assert parse_overrides("") == {}
    assert parse_overrides(" max_age=60 , store=shared") == {"max_age": "60", "store": "shared"}
    with pytest.raises(SettingError, match="not key=value"):
        parse_overrides("store")


def test_lesson_picker_switches_every_pane(compare: CompareWindow) -> None:
    other = next(n for n in simulator.scenario_names() if n != "basics")
    compare.lesson_picker.setCurrentIndex(compare.lesson_picker.findData(other))
    compare.lesson_picker.activated.emit(compare.lesson_picker.currentIndex())
    assert all(p.trace is not None and p.trace.scenario == other for p in compare.panes)
    assert compare.playback.position == -1
    assert_in_sync(compare)


def test_main_window_menu_opens_side_by_side(window: Any) -> None:
    action = window.parts.compare.action
    assert action.shortcut().toString() == SHORTCUT
    menus = [a.menu() for a in window.menuBar().actions() if a.menu() is not None]
    tools = [m for m in menus if m.title().replace("&", "") == "Tools"]
    assert len(tools) == 1
    assert action in tools[0].actions()
    window.controller.set_setting("scrypt_n", "1024")
    action.trigger()
    win = window.parts.compare.window
    try:
        assert isinstance(win, CompareWindow)
        assert win.scenario == window.controller.scenario
        assert win.seed == window.controller.seed
        assert win.base_overrides == {"scrypt_n": "1024"}
        assert len(win.panes) == 3
        assert isinstance(win.mode_pickers[0], QComboBox)
    finally:
        win.shutdown()
        win.close()


def test_a_run_the_simulator_refuses_keeps_the_old_runs(
    compare: CompareWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise simulator.SimulationError("step 2: no such thing")

    before = [p.trace for p in compare.panes]
    compare.jump(5)
    monkeypatch.setattr(simulator, "run_scenario", refuse)
    picker = compare.mode_pickers[0]
    picker.setCurrentIndex(picker.findData("hybrid"))
    picker.activated.emit(picker.currentIndex())
    assert compare.message.text() == "Pane 1: could not run that: step 2: no such thing"
    assert compare.specs[0] == RunSpec("session")
    assert picker.currentData() == "session"
    assert [p.trace for p in compare.panes] == before
    assert compare.playback.position == 5
    assert_in_sync(compare)
    other = next(n for n in simulator.scenario_names() if n != "basics")
    compare.lesson_picker.setCurrentIndex(compare.lesson_picker.findData(other))
    compare.lesson_picker.activated.emit(compare.lesson_picker.currentIndex())
    assert compare.message.text().startswith(f"Lesson {other}: could not run that")
    assert compare.scenario == "basics"
    assert compare.lesson_picker.currentData() == "basics"
    assert compare.playback.position == 5
    assert_in_sync(compare)


def test_text_grows_with_the_screen_not_the_window(compare: CompareWindow) -> None:
    small = compare.panes[0].explain.font().pointSizeF()
    compare.resize(2732, 1536)
    assert compare.panes[0].explain.font().pointSizeF() == small
    compare.scale_for_screen(QSize(2732, 1536))  # twice the reference size
    assert compare.font_factor > 1.5
    assert compare.panes[0].explain.font().pointSizeF() > small * 1.5
    assert compare.scoreboard.title.font().pointSizeF() > small
    # Every line of a pane grows, the event line and the mode and settings fields too.
    pane = compare.panes[0]
    base = compare.font().pointSizeF()
    for widget in (pane.action, compare.mode_pickers[0], compare.setting_edits[0]):
        assert widget.font().pointSizeF() == pytest.approx(base)
    # The playback buttons grow with the text, as the main window's toolbar does.
    icon = compare.toolbar.iconSize().width()
    assert icon >= round(20 * compare.font_factor) - 1 > 30


def fully_shown(widget: QWidget) -> bool:
    """Whether every pixel of `widget` is on screen (not scrolled away)."""
    return widget.visibleRegion().boundingRect().size() == widget.size()


def stage_text_px(pane: ComparePane) -> float:
    """The pixel size of the pane's stage text as drawn (the view scales the stage)."""
    return pane.view.scale_factor * EM


def test_three_panes_on_a_laptop_keep_legible_text_and_scroll(qtbot: Any) -> None:
    win = make(qtbot, "basics")
    try:
        win.resize(1366, 768)
        QApplication.processEvents()
        assert len(win.panes) == 3
        for pane in win.panes:
            assert stage_text_px(pane) >= MIN_STAGE_EM_PX - 0.01
        bar = win.pane_scroll.horizontalScrollBar()
        assert bar.isVisible()
        assert bar.maximum() > 0
        assert win.pane_scroll.verticalScrollBar().maximum() == 0, "stages scroll sideways only"
        first, _, last = win.panes
        assert fully_shown(first)
        assert not fully_shown(last)
        assert not last.visibleRegion().isEmpty(), "the third pane peeks in: there is more"
        bar.setValue(bar.maximum())
        assert fully_shown(last)
        # Stepping never lets a longer explanation push the stages into a vertical scroll.
        while win.playback.position < win.playback.length - 1:
            win.actions_by_key["forward"].trigger()
            QApplication.processEvents()
            assert win.pane_scroll.verticalScrollBar().maximum() == 0
    finally:
        win.shutdown()


def test_two_panes_fit_a_laptop_side_by_side(qtbot: Any) -> None:
    win = make(qtbot, "basics", (RunSpec("session"), RunSpec("jwt")))
    try:
        win.resize(1366, 768)
        QApplication.processEvents()
        assert win.pane_scroll.horizontalScrollBar().maximum() == 0
        assert all(fully_shown(p) for p in win.panes)
        assert all(stage_text_px(p) >= MIN_STAGE_EM_PX for p in win.panes)
    finally:
        win.shutdown()


@pytest.mark.parametrize("size", [(1920, 1080), (3840, 2160)])
def test_with_room_three_panes_stay_side_by_side(qtbot: Any, size: tuple[int, int]) -> None:
    win = make(qtbot, "basics")
    try:
        win.resize(*size)
        QApplication.processEvents()
        assert win.pane_scroll.horizontalScrollBar().maximum() == 0
        assert all(fully_shown(p) for p in win.panes)
        assert len({p.y() for p in win.panes}) == 1
        assert all(stage_text_px(p) >= MIN_STAGE_EM_PX for p in win.panes)
    finally:
        win.shutdown()


def _lightness_range(widget: QWidget) -> tuple[float, float]:
    image = widget.grab().toImage()
    values = [
        QColor(image.pixel(x, y)).lightnessF()
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
    ]
    return min(values), max(values)


def test_a_theme_chosen_in_the_main_window_repaints_side_by_side(window: Any) -> None:
    window.controller.set_setting("scrypt_n", "1024")
    window.parts.compare.action.trigger()
    win = window.parts.compare.window
    try:
        win.jump(8)
        pane = win.panes[0]
        before = pane.view.grab().toImage()
        assert QColor(before.pixel(2, 2)) == QColor(LIGHT.background)
        window.parts.themes.actions["dark"].trigger()
        QApplication.processEvents()
        for pane in win.panes:
            after = pane.view.grab().toImage()
            assert QColor(after.pixel(2, 2)) == QColor(DARK.background)
            # The pane's own lines: light text on the dark theme, not last theme's black.
            assert _lightness_range(pane.title)[1] > 0.7
            assert _lightness_range(pane.explain)[1] > 0.7
        # The playback icons are redrawn in the dark theme's light text colour.
        icon = win.actions_by_key["play"].icon().pixmap(32, 32).toImage()
        drawn = [
            QColor(icon.pixel(x, y))
            for x in range(32)
            for y in range(32)
            if QColor(icon.pixelColor(x, y)).alpha() > 200
        ]
        assert drawn
        assert min(c.lightnessF() for c in drawn) > 0.6
        window.parts.themes.actions["contrast"].trigger()
        QApplication.processEvents()
        assert QColor(win.panes[2].view.grab().toImage().pixel(2, 2)) == QColor(CONTRAST.background)
        # A side-by-side window opened afresh follows the theme too.
        window.parts.compare.action.trigger()
        again = window.parts.compare.window
        assert again is not win
        window.parts.themes.actions["light"].trigger()
        QApplication.processEvents()
        assert QColor(again.panes[0].view.grab().toImage().pixel(2, 2)) == QColor(LIGHT.background)
        again.shutdown()
        again.close()
    finally:
        win.shutdown()
        win.close()
        window.parts.themes.restore_application()
