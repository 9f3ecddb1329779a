"""Presenter mode driven by the keys a presenter remote sends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel, QToolBar

from authflow.app.views.palette import LIGHT
from authflow.app.window import persistence
from authflow.app.window.presenter import PresenterMode
from authflow.app.window.shell import MainWindow


@pytest.fixture
def presenter(window: MainWindow) -> Iterator[PresenterMode]:
    p: PresenterMode = window.parts.presenter
    p.full_screen = False  # the test decides the size; no real full screen offscreen
    window.resize(1920, 1080)
    p.enter()
    yield p
    p.leave()


def press(window: MainWindow, *keys: Qt.Key) -> None:
    for key in keys:
        QApplication.processEvents()
        QTest.keyClick(QApplication.focusWidget() or window.stage_view, key)


def test_keys_step_on_go_back_and_restart(window: MainWindow, presenter: PresenterMode) -> None:
    total = len(window.player.trace.events)
    assert not presenter.counter.isHidden()
    assert presenter.counter.text() == f"Step 0 / {total}"
    press(window, Qt.Key.Key_PageDown, Qt.Key.Key_Right, Qt.Key.Key_Space, Qt.Key.Key_Return)
    assert window.player.index == 3
    assert not window.player.playing, "Space steps in presenter mode; it does not play"
    assert presenter.counter.text() == f"Step 4 / {total}"
    press(window, Qt.Key.Key_Enter, Qt.Key.Key_PageUp, Qt.Key.Key_Left)
    assert window.player.index == 2
    press(window, Qt.Key.Key_Backspace)
    assert window.player.index == 1
    assert presenter.counter.text() == f"Step 2 / {total}"
    press(window, Qt.Key.Key_End)
    assert presenter.counter.text() == f"Step {total} / {total}"
    press(window, Qt.Key.Key_Home)
    assert window.player.index == 0
    assert presenter.counter.text() == f"Step 1 / {total}"


def test_b_and_period_blank_the_screen_and_any_key_brings_it_back(
    window: MainWindow, presenter: PresenterMode
) -> None:
    press(window, Qt.Key.Key_Right)
    press(window, Qt.Key.Key_B)
    assert presenter.blanked
    assert presenter.blank.geometry() == window.rect()
    press(window, Qt.Key.Key_B)
    assert not presenter.blanked
    press(window, Qt.Key.Key_Period)
    assert presenter.blanked
    press(window, Qt.Key.Key_PageDown)
    assert not presenter.blanked
    assert window.player.index == 0, "the key that unblanks does not also step"


def test_escape_leaves_and_restores_the_window(window: MainWindow) -> None:
    p: PresenterMode = window.parts.presenter
    p.full_screen = False
    cookies = window.findChild(QDockWidget, "dock_cookies")
    assert cookies is not None
    assert not cookies.isHidden()
    margins = window.narration.contentsMargins()
    p.enter()
    assert window.narration.contentsMargins().left() > margins.left(), "kept off the edge"
    assert p.active
    assert window.menuBar().isHidden()
    assert all(bar.isHidden() for bar in window.findChildren(QToolBar))
    assert all(d.isHidden() for d in window.findChildren(QDockWidget))
    assert window.controls.isHidden()
    press(window, Qt.Key.Key_Escape)
    assert not p.active
    assert p.counter.isHidden()
    assert not window.menuBar().isHidden()
    assert not window.controls.isHidden()
    assert not any(bar.isHidden() for bar in window.findChildren(QToolBar))
    assert not cookies.isHidden()
    assert window.narration.contentsMargins() == margins


def test_escape_while_blank_leaves(window: MainWindow, presenter: PresenterMode) -> None:
    press(window, Qt.Key.Key_B, Qt.Key.Key_Escape)
    assert not presenter.blanked
    assert not presenter.active


def test_pinned_docks_stay(window: MainWindow) -> None:
    p: PresenterMode = window.parts.presenter
    p.full_screen = False
    p.pin("dock_token_decoder")
    p.enter()
    visible = [d.objectName() for d in window.findChildren(QDockWidget) if not d.isHidden()]
    assert visible == ["dock_token_decoder"]
    p.leave()


def test_pin_menu_lists_every_dock(window: MainWindow) -> None:
    p: PresenterMode = window.parts.presenter
    p.pin_menu.aboutToShow.emit()
    titles = [a.text() for a in p.pin_menu.actions()]
    assert "Cookies" in titles
    next(a for a in p.pin_menu.actions() if a.text() == "Store").setChecked(True)
    assert "dock_store" in p.pinned


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (3840, 2160), (1024, 768)])
def test_narration_is_at_least_a_thirtieth_of_the_screen(
    window: MainWindow, width: int, height: int
) -> None:
    p: PresenterMode = window.parts.presenter
    p.full_screen = False
    window.resize(width, height)
    p.enter()
    for _ in range(20):
        press(window, Qt.Key.Key_Minus)
    assert p.scale == pytest.approx(0.8)
    explain = window.narration.explain.font().pixelSize()
    assert explain >= height / 30
    assert window.narration.explain.fontInfo().pixelSize() >= height / 30 - 1
    press(window, Qt.Key.Key_Plus, Qt.Key.Key_Plus)
    assert window.narration.explain.font().pixelSize() > explain
    press(window, Qt.Key.Key_0)
    assert p.scale == 1.0
    p.leave()
    assert window.narration.explain.font().pixelSize() < height / 30


def test_font_scale_is_remembered_per_screen(qtbot: Any, tmp_path: Path) -> None:
    settings = persistence.open_settings("AuthflowTests", "presenter", tmp_path)
    first = MainWindow(scenario="basics", seed=1, palette=LIGHT, animation_ms=0)
    qtbot.addWidget(first)
    first.bind_settings(settings)
    first.parts.presenter.set_scale(1.6)
    screen = first.screen().name()
    first.shutdown()

    second = MainWindow(scenario="basics", seed=1, palette=LIGHT, animation_ms=0)
    qtbot.addWidget(second)
    assert second.parts.presenter.scale == 1.0
    second.bind_settings(settings)
    assert second.parts.presenter.scale == pytest.approx(1.6)
    assert (
        persistence.Persistence.font_scale(second.parts.persistence, "another-screen", None) is None
    )
    assert second.parts.persistence.font_scale(screen, None) == pytest.approx(1.6)
    second.shutdown()


def test_f5_and_the_toolbar_button_enter(window: MainWindow, qtbot: Any) -> None:
    p: PresenterMode = window.parts.presenter
    p.full_screen = False
    bar = window.findChild(QToolBar, "toolbar_mode")
    assert p.action in bar.actions()
    assert p.action.shortcut().toString() == "F5"
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.stage_view, Qt.Key.Key_F5)
    assert p.active
    qtbot.keyClick(window.stage_view, Qt.Key.Key_F5)
    assert not p.active
    p.action.trigger()
    assert p.active
    p.leave()


def test_full_screen_and_back(window: MainWindow, qtbot: Any) -> None:
    p: PresenterMode = window.parts.presenter
    window.show()
    qtbot.waitExposed(window)
    p.enter()
    qtbot.waitUntil(window.isFullScreen)
    screen_height = window.screen().geometry().height()
    assert window.narration.explain.font().pixelSize() >= screen_height / 30
    p.leave()
    assert not window.isFullScreen()


def test_text_follows_a_late_resize(window: MainWindow, qtbot: Any) -> None:
    """On X11 full screen arrives after entering, and after the window scaled its own
    fonts: the presenter sizes the narration again once the resize settles."""
    p: PresenterMode = window.parts.presenter
    p.full_screen = False
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    # (Offscreen, the first show's dock arrangement can leave the window taller.)
    qtbot.waitUntil(lambda: window.resize(1280, 720) or window.height() == 720)
    p.enter()
    assert window.narration.explain.font().pixelSize() == round(720 / 24)
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: window.narration.explain.font().pixelSize() == round(1080 / 24))
    counter = p.counter.geometry()
    assert counter.right() < window.stage_view.width()
    assert counter.right() > window.stage_view.width() - 100
    p.leave()


def test_text_size_control_in_the_view_menu(window: MainWindow) -> None:
    p: PresenterMode = window.parts.presenter
    assert p.size_menu.menuAction() in window.menus.view.actions()
    p.size_actions["larger"].trigger()
    p.size_actions["larger"].trigger()
    assert p.scale == pytest.approx(1.2)
    p.size_menu.aboutToShow.emit()
    assert "120%" in p.size_actions["default"].text()
    p.size_actions["smaller"].trigger()
    assert p.scale == pytest.approx(1.1)
    p.size_actions["default"].trigger()
    assert p.scale == 1.0


# Large text on a projector ---------------------------------------------------------------
LONG_NARRATION = (("xss", 12), ("weak-secret", 9), ("csrf", 15))
"""The report's view (xss, event 12) and the lessons with the longest explanations."""


def _presenting(
    qtbot: Any, lesson: str, step: int, size: tuple[int, int], scale: float, theme: str = "light"
) -> MainWindow:
    from authflow.app.views import palette

    window = MainWindow(
        scenario=lesson, mode="session", seed=1, palette=palette.THEMES[theme], animation_ms=0
    )
    qtbot.addWidget(window)
    window.parts.themes.choose(theme)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.start(step - 1)
    p: PresenterMode = window.parts.presenter
    p.full_screen = False
    p.set_scale(scale)
    p.enter()
    _settle()
    return window


def _settle() -> None:
    """Let the layouts run: each resize they make posts the next."""
    for _ in range(5):
        QApplication.processEvents()


def _text_fits(label: QLabel) -> bool:
    if label.wordWrap():
        return label.heightForWidth(label.width()) <= label.height()
    hint = label.sizeHint()
    return hint.width() <= label.width() and hint.height() <= label.height()


def _check_unclipped(window: MainWindow) -> None:
    n = window.narration
    for label in (n.position, n.time, n.action, n.explain):
        assert label.isVisible()
        assert n.rect().contains(label.geometry()), f"{label.objectName()} leaves the bar"
        assert _text_fits(label), (
            f"{label.objectName()} at {label.geometry()} needs more room for {label.text()!r}"
        )
        if label.text().endswith("…"):
            assert label.toolTip().startswith(label.text()[:-1].rstrip()), "full text on hover"
    event = window.player.current_event
    assert event is not None
    if n.explain.text() != event.explain:
        assert n.explain.toolTip() == event.explain


def _check_counter_clear_of_actors(window: MainWindow) -> None:
    counter = window.parts.presenter.counter.geometry()
    view = window.stage_view
    assert view.rect().contains(counter), "the counter stays on the stage"
    for name, actor in window.stage.actors.items():
        if not actor.isVisible():
            continue
        box = view.mapFromScene(actor.sceneBoundingRect()).boundingRect()
        assert not counter.intersects(box), f"the step counter covers the {name}"


@pytest.mark.parametrize(("lesson", "step"), LONG_NARRATION)
def test_largest_text_at_1080p_leaves_the_stage_the_main_thing(
    qtbot: Any, lesson: str, step: int
) -> None:
    from authflow.app.window.presenter import SCALE_MAX

    window = _presenting(qtbot, lesson, step, (1920, 1080), SCALE_MAX)
    height = window.height()
    assert window.stage_view.height() >= 0.6 * height, "the stage is what the room watches"
    assert window.narration.height() <= 0.4 * height
    _check_unclipped(window)
    _check_counter_clear_of_actors(window)
    # Still large: never below the smallest size the text-size keys allow.
    assert window.narration.explain.fontInfo().pixelSize() >= height / 30 - 1
    window.parts.presenter.leave()
    window.shutdown()


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080), (3840, 2160)])
@pytest.mark.parametrize("scale", [1.0, 1.5, 2.0])
@pytest.mark.parametrize("theme", ["light", "dark", "contrast"])
def test_no_text_is_cut_off_and_no_actor_covered(
    qtbot: Any, size: tuple[int, int], scale: float, theme: str
) -> None:
    window = _presenting(qtbot, "xss", 12, size, scale, theme)
    assert window.stage_view.height() >= 0.6 * window.height()
    _check_unclipped(window)
    _check_counter_clear_of_actors(window)
    # Each step brings new text: it is fitted again, not only on entering.
    press(window, Qt.Key.Key_Right, Qt.Key.Key_Right)
    _settle()
    _check_unclipped(window)
    window.parts.presenter.leave()
    window.parts.themes.restore_application()
    window.shutdown()


def test_short_text_keeps_the_asked_size_and_leaving_restores_the_bar(qtbot: Any) -> None:
    window = _presenting(qtbot, "basics", 1, (1920, 1080), 1.0)
    p: PresenterMode = window.parts.presenter
    assert window.narration.explain.font().pixelSize() == p.narration_pixel_size()
    p.set_scale(2.0)
    _settle()
    assert window.narration.height() <= 0.4 * window.height()
    p.leave()
    _settle()
    assert window.narration.maximumHeight() > window.height(), "no cap outside presenting"
    assert window.narration.explain.text() == window.player.current_event.explain
    window.shutdown()


def test_text_too_long_for_the_cap_even_at_the_floor_is_elided_with_the_full_text_on_hover(
    qtbot: Any,
) -> None:
    """The last resort: the lesson's line gives way first, then the explanation; both
    stay whole in their tooltips and nothing is cut mid-line."""
    from authflow.app.views.narration import ELLIPSIS, NarrationBar

    bar = NarrationBar(LIGHT)
    qtbot.addWidget(bar)
    bar.resize(900, 400)
    bar.show()
    qtbot.waitExposed(bar)
    window_trace = MainWindow(scenario="weak-secret", seed=1, palette=LIGHT, animation_ms=0)
    qtbot.addWidget(window_trace)
    window_trace.start(8)
    trace, event = window_trace.player.trace, window_trace.player.current_event
    font = QFont(bar.font())
    font.setPixelSize(30)
    bar.set_height_cap(200, min_explain_px=40)
    bar.set_base_font(font)
    bar.show_event(trace, event, 8)
    _settle()
    assert bar.height() <= 200
    assert bar.explain.fontInfo().pixelSize() >= 40 - 1, "elided, not shrunk past the floor"
    assert bar.action.text().endswith(ELLIPSIS)
    assert bar.action.toolTip().startswith("Action 2 / 2:")
    assert bar.action.text().startswith("Action 2 / 2: Attacker"), "a whole line, not a word"
    assert bar.explain.text().endswith(ELLIPSIS)
    assert bar.explain.toolTip() == event.explain
    for label in (bar.action, bar.explain):
        assert _text_fits(label), label.objectName()
    bar.set_height_cap(None)
    _settle()
    assert bar.explain.text() == event.explain
    assert bar.explain.font().pixelSize() == round(30 * 1.45)
    window_trace.shutdown()


def test_the_lesson_line_does_not_repeat_the_explanation(window: MainWindow) -> None:
    trace = window.player.trace
    same = next(
        i
        for i, e in enumerate(trace.events)
        if trace.steps[e.step].narration and trace.steps[e.step].narration == e.explain
    )
    window.player.jump(same)
    event = trace.events[same]
    assert window.narration.explain.text() == event.explain
    assert event.explain not in window.narration.action.text()
    assert window.narration.action.text().startswith(f"Action {event.step + 1} / ")
    other = next(
        i
        for i, e in enumerate(trace.events)
        if e.step == event.step and e.explain != trace.steps[e.step].narration
    )
    window.player.jump(other)
    assert trace.steps[event.step].narration in window.narration.action.text()


def test_typing_in_a_pinned_editor_neither_blanks_nor_steps(window: MainWindow, qtbot: Any) -> None:
    from authflow.app.views.inspectors.resend_editor import ResendEditor

    p: PresenterMode = window.parts.presenter
    p.full_screen = False
    window.finish_panels()
    p.pin("dock_edit_and_resend")
    p.enter()
    dock = window.findChild(QDockWidget, "dock_edit_and_resend")
    assert dock is not None
    assert not dock.isHidden()
    editor = dock.widget()
    assert isinstance(editor, ResendEditor)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    editor.path.setFocus()
    assert QApplication.focusWidget() is editor.path
    editor.path.setText("/api/")
    # B and . blank the screen and Space and Right step, except in a text field.
    QTest.keyClicks(editor.path, "b. x")
    QTest.keyClick(editor.path, Qt.Key.Key_Right)
    assert editor.path.text() == "/api/b. x"
    assert not p.blanked
    assert window.player.index == -1
    # Esc still leaves, from anywhere.
    QTest.keyClick(editor.path, Qt.Key.Key_Escape)
    assert not p.active
