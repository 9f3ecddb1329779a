"""app/views/settings_panel.py: every setting shown, a change re-runs and says what changed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from factories import FAST
from PySide6.QtWidgets import QComboBox, QLineEdit

from authflow import simulator
from authflow.app.session.player import Player
from authflow.app.session.run_controller import RunController
from authflow.app.views.settings_panel import DEFAULT_MARK, SettingsPanel
from authflow.simulator.config.settings import SETTINGS


def lesson_with_csrf() -> str:
    if "csrf" not in simulator.scenario_names():
        pytest.skip("the csrf lesson is not there yet")
    return "csrf"


@pytest.fixture
def panel(qtbot: Any, request: pytest.FixtureRequest) -> Iterator[SettingsPanel]:
    lesson = getattr(request, "param", "basics")
    player = Player()
    controller = RunController(player, lesson, "session", seed=1)
    controller.overrides = dict(FAST)
    controller.rebuild()
    widget = SettingsPanel(controller, player)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    player.pause()
    assert not player.playing


def choose(panel: SettingsPanel, key: str, value: str) -> None:
    combo = panel.rows[key].editor
    assert isinstance(combo, QComboBox)
    i = combo.findData(value)
    assert i >= 0
    combo.setCurrentIndex(i)
    combo.activated.emit(i)


def type_into(panel: SettingsPanel, key: str, text: str) -> None:
    edit = panel.rows[key].editor
    assert isinstance(edit, QLineEdit)
    edit.setText(text)
    edit.editingFinished.emit()


def test_every_setting_has_a_row_in_its_group_with_default_and_tooltip(
    panel: SettingsPanel,
) -> None:
    assert set(panel.rows) == {s.key for s in SETTINGS}
    for setting in SETTINGS:
        row = panel.rows[setting.key]
        assert setting.help in row.editor.toolTip()
        assert f"Default: {setting.default}" in row.label.toolTip()
        box = panel.groups[setting.group]
        assert box.isAncestorOf(row.editor)
        if isinstance(row.editor, QComboBox):
            marked = [row.editor.itemText(i) for i in range(row.editor.count())]
            assert [t for t in marked if t.endswith(DEFAULT_MARK)] != []
            default_index = row.editor.findData(setting.default)
            assert row.editor.itemText(default_index).endswith(DEFAULT_MARK)
        else:
            assert row.default_note.text() == f"default {setting.default}"
    assert set(panel.groups) >= {"cookie", "token", "server", "user", "browser"}


@pytest.mark.parametrize("panel", ["csrf"], indirect=True)
def test_samesite_none_lets_the_csrf_transfer_through_and_the_panel_says_where(
    panel: SettingsPanel, qtbot: Any
) -> None:
    lesson_with_csrf()
    controller = panel.controller
    before = controller.trace
    assert before is not None
    assert before.settings["same_site"] == "Lax"
    assert before.settings["secure"] == "true"
    attack = next(e for e in before.events if e.kind == "attack")
    assert attack.detail["success"] is False
    step = attack.step
    with qtbot.wait_signal(panel.change_explained) as blocker:
        choose(panel, "same_site", "None")
    after = controller.trace
    assert after is not None
    assert controller.overrides["same_site"] == "None"
    attack = next(e for e in after.events if e.kind == "attack")
    assert attack.detail["success"] is True
    assert panel.changed_steps == (step,)
    text = panel.banner.text()
    assert blocker.args == [text]
    assert text.startswith("SameSite: Lax → None. ")
    assert f"Step {step + 1} (csrf) changed: POST /api/transfer 401 → 200" in text
    assert panel.go_to_step.isVisibleTo(panel)
    assert panel.go_to_step.text() == f"Show step {step + 1}"
    panel.go_to_step.click()
    assert panel.player.current_event is not None
    assert panel.player.current_event.step == step
    # Back to Lax: the lesson's own value, so nothing counts as changed any more.
    choose(panel, "same_site", "Lax")
    assert "same_site" not in controller.overrides
    assert "401" in panel.banner.text()


def test_a_change_that_changes_no_outcome_says_so(panel: SettingsPanel) -> None:
    type_into(panel, "access_ttl", "600")
    assert panel.controller.overrides["access_ttl"] == "600"
    assert panel.banner.text().startswith("Access token lifetime (s): 900 → 600. ")
    assert "No step's outcome changed." in panel.banner.text()
    assert panel.changed_steps == ()
    assert not panel.go_to_step.isVisibleTo(panel)


def test_a_refused_value_keeps_the_run(panel: SettingsPanel) -> None:
    trace = panel.controller.trace
    type_into(panel, "servers", "99")
    assert panel.controller.trace is trace
    assert "servers" not in panel.controller.overrides
    assert panel.banner.text().startswith("Not changed: servers='99' is out of range")
    edit = panel.rows["servers"].editor
    assert isinstance(edit, QLineEdit)
    assert edit.text() == "1"


def test_reset_and_show_only_what_i_changed(panel: SettingsPanel) -> None:
    choose(panel, "http_only", "false")
    choose(panel, "store", "shared")
    assert panel.changed() == {"http_only": "false", "store": "shared", **FAST}
    assert panel.rows["http_only"].label.font().bold()
    assert not panel.rows["same_site"].label.font().bold()
    panel.only_changed.setChecked(True)
    visible = {k for k, r in panel.rows.items() if r.editor.isVisibleTo(panel)}
    assert visible == {"http_only", "store", "scrypt_n"}
    assert not panel.groups["browser"].isVisibleTo(panel)
    panel.reset_button.click()
    assert panel.controller.overrides == {}
    assert panel.controller.trace is not None
    assert panel.controller.trace.settings["store"] == "memory"
    assert panel.banner.text().startswith("Back to the lesson's settings.")
    assert not panel.reset_button.isEnabled()
    assert {k for k, r in panel.rows.items() if r.editor.isVisibleTo(panel)} == set()
    panel.only_changed.setChecked(False)
    assert all(r.editor.isVisibleTo(panel) for r in panel.rows.values())


def test_mode_switch_shows_the_new_runs_values(panel: SettingsPanel) -> None:
    panel.controller.set_mode("jwt")
    combo = panel.rows["token_storage"].editor
    assert isinstance(combo, QComboBox)
    assert combo.currentData() == "localStorage"
    assert combo.currentText() == "localStorage" + DEFAULT_MARK


def test_a_narrow_dock_wraps_rows_rather_than_clip_the_default_notes(
    panel: SettingsPanel, qtbot: Any
) -> None:
    panel.resize(355, 700)  # the side column of a 1366x768 window
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.body.minimumSizeHint().width() <= 340
    row = panel.rows["refresh_ttl"]
    note = row.default_note
    assert note.isVisible()
    assert note.width() >= note.sizeHint().width()
    assert note.mapTo(panel, note.rect().topRight()).x() <= panel.width()
