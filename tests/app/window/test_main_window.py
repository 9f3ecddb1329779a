"""The main window, driven as a user would: mode buttons, actions, keys, lesson picker."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel, QToolBar

from authflow.app.window.shell import MainWindow
from authflow.simulator.config.modes import MODES


def press(qtbot: Any, window: MainWindow, key: Qt.Key) -> None:
    """Press `key` with the stage focused in the active window (shortcuts need both)."""
    if not window.isActiveWindow():
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
    window.stage_view.setFocus()
    qtbot.keyClick(window.stage_view, key)


def walk_new_events(qtbot: Any, window: MainWindow, start: int) -> list[tuple[int, str, str]]:
    """Step with the Right key from `start` to the last event, recording what is shown:
    (index, the packet's label or "", the narration's explanation)."""
    trace = window.player.trace
    assert trace is not None
    seen: list[tuple[int, str, str]] = []
    window.player.pause()
    window.player.jump(start)
    while True:
        i = window.player.index
        packet = window.stage.packet.label if window.stage.packet.isVisible() else ""
        seen.append((i, packet, window.narration.explain.text()))
        if i >= len(trace.events) - 1:
            return seen
        press(qtbot, window, Qt.Key.Key_Right)
        assert window.player.index == i + 1


@pytest.mark.parametrize("mode", MODES)
def test_log_in_then_view_profile_in_each_mode(qtbot: Any, window: MainWindow, mode: str) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.mode_actions[mode].trigger()
    assert window.controller.mode == mode
    assert window.player.trace is not None
    assert window.player.trace.mode == mode

    for action, path in (("login", "/auth/login"), ("profile", "/api/profile")):
        before = len(window.player.trace.events)
        window.user_actions[action].trigger()
        assert window.player.index == before, "the player jumps to the first new event"
        trace = window.player.trace
        seen = walk_new_events(qtbot, window, before)
        new_events = trace.events[before:]
        assert [i for i, _, _ in seen] == list(range(before, len(trace.events)))
        travelling = [
            e for e in new_events if e.kind in ("request", "response", "store") and e.src != e.dst
        ]
        assert [label for _, label, _ in seen if label] == [e.label for e in travelling]
        assert [text for _, _, text in seen] == [e.explain for e in new_events]
        assert any(e.kind == "request" and e.detail.get("path") == path for e in new_events)

    browser = window.stage.actors["browser"]
    assert browser.page_text() == "Signed in as alice"  # type: ignore[attr-defined]
    # The profile request carried a credential, shown as a badge on its packet.
    trace = window.player.trace
    profile = max(
        i
        for i, e in enumerate(trace.events)
        if e.kind == "request" and e.detail.get("path") == "/api/profile"
    )
    window.player.jump(profile)
    assert window.stage.packet.badges, "the profile request shows what it carries"
    expected = "Cookie: sid" if mode == "session" else "Bearer token"
    assert expected in [b.text for b in window.stage.packet.badges]


def test_step_back_restores_the_previous_state(qtbot: Any, window: MainWindow) -> None:
    trace = window.player.trace
    assert trace is not None
    login_done = next(i for i, e in enumerate(trace.events) if e.state.page.signed_in_as == "alice")
    window.player.jump(login_done)
    browser = window.stage.actors["browser"]
    assert browser.page_text() == "Signed in as alice"  # type: ignore[attr-defined]
    press(qtbot, window, Qt.Key.Key_Left)
    assert window.player.index == login_done - 1
    assert browser.context.event is trace.events[login_done - 1]
    assert browser.page_text() == "Sign in"  # type: ignore[attr-defined]
    assert window.narration.explain.text() == trace.events[login_done - 1].explain
    assert window.narration.position.text() == f"Step {login_done} / {len(trace.events)}"
    assert window.controller.trace is trace, "stepping back never re-simulates"


def test_keys_space_home(qtbot: Any, window: MainWindow) -> None:
    window.player.jump(5)
    press(qtbot, window, Qt.Key.Key_Space)
    assert window.player.playing
    assert window.playback_actions["play"].text() == "Pause"
    press(qtbot, window, Qt.Key.Key_Space)
    assert not window.player.playing
    press(qtbot, window, Qt.Key.Key_Home)
    assert window.player.index == 0


def test_refresh_is_disabled_outside_hybrid_with_a_reason(window: MainWindow) -> None:
    refresh = window.user_actions["refresh"]
    for mode in ("session", "jwt"):
        window.set_mode(mode)
        assert not refresh.isEnabled()
        assert "hybrid" in refresh.toolTip()
    window.set_mode("hybrid")
    assert refresh.isEnabled()
    assert "/auth/refresh" in refresh.toolTip()


def test_mode_switch_stays_at_the_same_user_action(window: MainWindow) -> None:
    trace = window.player.trace
    assert trace is not None
    i = next(i for i, e in enumerate(trace.events) if e.step == 1)
    window.player.jump(i)
    window.set_mode("jwt")
    assert window.player.current_event is not None
    assert window.player.current_event.step == 1
    assert window.mode_actions["jwt"].isChecked()


def test_lesson_picker_reruns_from_the_start(window: MainWindow) -> None:
    window.user_actions["login"].trigger()
    window.player.pause()
    names = [window.lesson_picker.itemData(i) for i in range(window.lesson_picker.count())]
    other = next(n for n in names if n and n != "basics")
    window.set_lesson(other)
    assert window.controller.scenario == other
    assert window.controller.extra_steps == []
    assert window.player.index == -1
    assert window.narration.position.text().startswith("Step 0 /")


def test_a_refused_action_keeps_the_run_and_says_why(window: MainWindow) -> None:
    from authflow.simulator.trace.trace import Step

    trace = window.player.trace
    window.append(Step("no-such-action", {}, ""))
    assert window.player.trace is trace
    assert window.controller.extra_steps == []
    assert "Could not run that" in window.statusBar().currentMessage()


def test_other_modules_attach_docks(window: MainWindow) -> None:
    label = QLabel("cookies")
    dock = window.add_dock("Cookie jar", label)
    assert dock.widget() is label
    assert dock.toggleViewAction() in window.menus.view.actions()
    assert window.dockWidgetArea(dock) == Qt.DockWidgetArea.RightDockWidgetArea


def test_text_follows_the_screen_not_the_window(qtbot: Any, window: MainWindow) -> None:
    window.show()
    qtbot.waitExposed(window)
    bar = window.findChildren(QToolBar)[0]
    before = (window.narration.explain.font().pointSizeF(), bar.font().pointSizeF())
    window.resize(900, 600)
    window.resize(1366, 768)
    assert (window.narration.explain.font().pointSizeF(), bar.font().pointSizeF()) == before
    window.scale_for_screen(QSize(3840, 2160))  # the window moved to a 4K screen
    assert window.narration.explain.font().pointSizeF() > 1.8 * before[0]
    assert bar.font().pointSizeF() > 1.8 * window._base_font.pointSizeF()
    assert bar.iconSize().width() > 1.8 * window._toolbar_icon_side


def test_docks_text_grows_with_the_screen_even_floating(qtbot: Any, window: MainWindow) -> None:
    from PySide6.QtWidgets import QDockWidget, QHeaderView

    from authflow.app.views.eventlog import EventLogWidget

    window.show()
    qtbot.waitExposed(window)
    docks = {d.windowTitle(): d for d in window.findChildren(QDockWidget)}
    docks["Cookies"].setFloating(True)
    log = window.findChild(EventLogWidget)
    assert log is not None
    row = log.table.verticalHeader().defaultSectionSize()
    window.scale_for_screen(QSize(3840, 2160))
    big = 1.8 * window._base_font.pointSizeF()
    qtbot.waitUntil(lambda: window.font().pointSizeF() > big)
    for dock in docks.values():
        assert dock.widget().font().pointSizeF() > big, dock.windowTitle()
    for header in log.findChildren(QHeaderView):
        assert header.font().pointSizeF() > big
    assert log.table.verticalHeader().defaultSectionSize() > 1.5 * row


def test_wait_appends_simulated_time(window: MainWindow) -> None:
    trace = window.player.trace
    assert trace is not None
    window.user_actions["wait"].trigger()
    window.user_actions["profile"].trigger()
    window.player.pause()
    assert [s.action for s in window.controller.extra_steps] == ["wait", "profile"]
    assert window.player.trace is not None
    after = window.player.trace.events[-1]
    assert after.t >= trace.events[-1].t + 16 * 60
    window.player.jump(len(window.player.trace.events) - 1)
    assert window.narration.time.text() == "t = 16:00"


def test_an_action_plays_its_first_new_event_as_a_travelling_packet(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[tuple[int, bool]] = []
    show = window.stage.show

    def record(index: int, animate: bool = False) -> None:
        shown.append((index, animate))
        show(index, animate)

    monkeypatch.setattr(window.stage, "show", record)
    before = len(window.player.trace.events) if window.player.trace else 0
    window.user_actions["login"].trigger()
    assert window.player.index == before
    assert window.player.playing, "the new events play on"
    assert shown[-1] == (before, True)
    window.player.pause()
    window.player.jump(before + 3)
    assert shown[-1] == (before + 3, False), "a jump shows the event in place"


def test_narration_names_the_action_in_words(window: Any) -> None:
    """The narration's action line reads "User logs in as alice", not "login"."""
    trace = window.player.trace
    first_of_logout = next(
        i for i, e in enumerate(trace.events) if trace.steps[e.step].action == "logout"
    )
    window.player.jump(1)
    assert "Action 1 / 4: User logs in as alice" in window.narration.action.text()
    window.player.jump(first_of_logout)
    assert "Action 3 / 4: User logs out" in window.narration.action.text()
