"""Keyboard reach and accessible names: every action and control, menus to tooltips."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QWidget

from authflow.app.window import shortcuts
from authflow.app.window.shell import MainWindow


def user_facing_actions(window: MainWindow) -> list[QAction]:
    """Actions a user can see: with text, not separators or submenu titles."""
    return [
        a
        for a in window.findChildren(QAction)
        if a.text() and not a.isSeparator() and a.menu() is None
    ]


def test_every_action_has_a_shortcut_or_a_menu(window: MainWindow) -> None:
    reachable = shortcuts.reachable_actions(window)
    missing = [a.text() for a in user_facing_actions(window) if a not in reachable]
    assert missing == []


def test_playback_presenter_and_file_actions_have_shortcuts(window: MainWindow) -> None:
    for action in (
        *window.playback_actions.values(),
        window.parts.presenter.action,
        window.parts.workspace.save_action,
        window.parts.workspace.open_action,
        window.parts.keyboard.sheet_action,
        *window.mode_actions.values(),
        window.user_actions["login"],
    ):
        assert not action.shortcut().isEmpty(), action.text()


def test_tooltips_show_the_shortcut(window: MainWindow) -> None:
    for action in window.findChildren(QAction):
        keys = shortcuts.key_text(action)
        if keys and action.text():
            assert action.toolTip().endswith(f"({keys})"), action.text()


def test_every_interactive_widget_has_an_accessible_name(window: MainWindow) -> None:
    window.player.jump(5)  # inspectors fill in
    window.parts.keyboard.refresh()
    window.parts.presenter.full_screen = False
    window.parts.presenter.enter()
    window.parts.presenter.leave()
    unnamed = [
        f"{type(w).__name__} {w.objectName()!r}"
        for w in window.findChildren(QWidget)
        if shortcuts.is_interactive(w) and not w.accessibleName().strip()
    ]
    assert unnamed == []


def test_panels_built_after_a_new_trace_are_named(window: MainWindow) -> None:
    window.set_mode("jwt")
    widgets = [w for w in window.findChildren(QWidget) if shortcuts.is_interactive(w)]
    assert widgets
    assert all(w.accessibleName() for w in widgets)


def test_shortcut_sheet_lists_menus_and_presenter_keys(window: MainWindow) -> None:
    window.parts.keyboard.sheet_action.trigger()
    sheet = window.parts.keyboard.sheet
    assert sheet is not None
    assert not sheet.isHidden()
    rows = dict(sheet.rows())
    assert rows["File > Save workspace"] == window.parts.workspace.save_action.shortcut().toString(
        shortcuts.QKeySequence.SequenceFormat.NativeText
    )
    assert rows["Playback > Step"].startswith("Right")
    assert rows["View > Present"] == "F5"
    assert any(what.startswith("Presenter mode > Blank") for what in rows)
    assert any(what.startswith("Actions > Wait >") for what in rows)
    assert sheet.table.accessibleName()
    sheet.close()


def test_focus_reaches_the_stage_and_lesson_picker(window: MainWindow, qtbot: object) -> None:
    window.show()
    window.activateWindow()
    QApplication.processEvents()
    window.lesson_picker.setFocus()
    seen = set()
    for _ in range(60):
        window.focusNextChild()
        QApplication.processEvents()
        focus = QApplication.focusWidget()
        if focus is not None:
            seen.add(focus)
    assert window.stage_view in seen
    assert window.lesson_picker in seen


def test_no_key_is_bound_twice(window: MainWindow) -> None:
    """Qt fires neither of two actions sharing a key: each key must mean one thing."""
    owners: dict[str, list[str]] = {}
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            owners.setdefault(key.toString(), []).append(action.text())
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}


def test_a_tooltip_keeps_its_own_brackets(window: MainWindow) -> None:
    wait = window.user_actions["wait"]
    assert "(the arrow opens more durations)" in wait.toolTip()
    assert wait.toolTip().endswith(f"({shortcuts.key_text(wait)})")
    wait.setShortcut(shortcuts.QKeySequence("Ctrl+Shift+W"))
    shortcuts.show_keys_in_tooltip(wait)
    assert wait.toolTip().count("(Ctrl+") == 1
    assert "(the arrow opens more durations)" in wait.toolTip()


def test_controls_built_on_first_show_are_named_from_their_labels(
    window: MainWindow, qtbot: object
) -> None:
    window.show()
    window.set_mode("hybrid")
    QApplication.processEvents()
    QApplication.processEvents()
    unnamed = [
        f"{type(w).__name__} {w.objectName()!r}"
        for w in window.findChildren(QWidget)
        if shortcuts.is_interactive(w) and not w.accessibleName().strip()
    ]
    assert unnamed == []
    names = {w.accessibleName() for w in window.findChildren(QWidget)}
    assert "Stage" in names
    assert any(name.startswith("SameSite") for name in names), "form rows name their field"
