"""The words on screen follow the run: the narration bar shows each step's note text
under the settings in force, and the settings dock and the presenter say which settings
differ from the lesson's own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from factories import FAST
from PySide6.QtWidgets import QComboBox

from authflow.app.session.player import Player
from authflow.app.session.run_controller import RunController
from authflow.app.views.narration import NarrationBar
from authflow.app.views.palette import LIGHT
from authflow.app.views.settings_panel import CHANGED_MARK, SettingsPanel, label_for
from authflow.app.window.shell import MainWindow


@pytest.fixture
def panel(qtbot: Any) -> Iterator[SettingsPanel]:
    player = Player()
    controller = RunController(player, "revocation", "jwt", seed=1)
    controller.overrides = dict(FAST)
    controller.rebuild()
    widget = SettingsPanel(controller, player)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    player.pause()


def choose(panel: SettingsPanel, key: str, value: str) -> None:
    combo = panel.rows[key].editor
    assert isinstance(combo, QComboBox)
    i = combo.findData(value)
    assert i >= 0, f"{key} offers no {value}"
    combo.setCurrentIndex(i)
    combo.activated.emit(i)


def test_the_bar_shows_each_steps_note_text_under_changed_settings(
    panel: SettingsPanel, qtbot: Any
) -> None:
    """revocation = none in the revocation lesson: the replay gets 200, and the bar must
    say so, not the lesson's token-version sentence."""
    choose(panel, "revocation", "none")
    trace = panel.controller.trace
    assert trace is not None
    bar = NarrationBar(LIGHT)
    qtbot.addWidget(bar)
    bar.resize(1200, 300)
    notes = [
        (i, e)
        for i, e in enumerate(trace.events)
        if e.kind == "note" and "narration_source" in e.detail
    ]
    assert len(notes) == len(trace.steps)
    for index, note in notes:
        bar.show_event(trace, note, index)
        assert bar.explain.text() == note.detail["narration"]
        later = next(i for i, e in enumerate(trace.events) if e.step == note.step and i > index)
        bar.show_event(trace, trace.events[later], later)
        assert note.detail["narration"] in bar.action.text()
    replay = notes[3][1].detail["narration"]
    assert "200" in replay
    assert "ver 0 is not the current 1" not in replay


def test_the_dock_marks_settings_that_differ_from_the_lessons_and_goes_back(
    panel: SettingsPanel,
) -> None:
    row = panel.rows["same_site"]
    assert row.label.text() == label_for("same_site")
    choose(panel, "same_site", "unset")
    assert panel.controller.trace is not None
    assert panel.controller.trace.settings["same_site"] == "unset"
    assert row.label.text() == CHANGED_MARK + label_for("same_site")
    assert "Changed from the lesson's Lax" in row.label.toolTip()
    # The lesson's own revocation = token-version is not a change.
    assert not panel.rows["revocation"].label.text().startswith(CHANGED_MARK)
    panel.reset_button.click()
    assert panel.controller.trace.settings["same_site"] == "Lax"
    assert row.label.text() == label_for("same_site")


def test_the_presenter_names_the_changed_settings_under_the_step_counter(qtbot: Any) -> None:
    win = MainWindow(scenario="csrf", mode="session", seed=1, palette=LIGHT, animation_ms=0)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.start(-1)
    presenter = win.parts.presenter
    presenter.full_screen = False
    presenter.enter()
    try:
        assert "Changed" not in presenter.counter.text()
        win.controller.set_setting("csrf_defence", "origin-check")
        win.player.jump(0)
        lines = presenter.counter.text().splitlines()
        assert lines[0].startswith("Step 1 / ")
        assert lines[1] == "Changed: csrf_defence = origin-check"
    finally:
        presenter.leave()
        win.shutdown()
