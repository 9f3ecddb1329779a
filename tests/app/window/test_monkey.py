"""A monkey: 1,000 random clicks on what a user can click; nothing may raise."""

from __future__ import annotations

import random
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QToolBar, QToolButton, QWidget

from authflow.app.window.shell import MainWindow

CLICKS = 1000


def clickable(window: MainWindow) -> list[QWidget]:
    """Every enabled user action, mode button and playback button. (Buttons other
    modules add to the toolbars, such as Export, open dialogs and have tests of their
    own.)"""
    widgets: list[QWidget] = []
    ours = {*window.user_actions.values(), *window.mode_actions.values()}
    for bar in window.findChildren(QToolBar):
        for action in bar.actions():
            button = bar.widgetForAction(action)
            if not isinstance(button, QToolButton) or not button.isEnabled():
                continue
            if action in ours or button.defaultAction() in ours:
                widgets.append(button)
    widgets.extend(b for b in window.controls.buttons.values() if b.isEnabled())
    return widgets


def test_a_thousand_random_clicks(qtbot: Any, window: MainWindow) -> None:
    rng = random.Random(4)
    window.show()
    qtbot.waitExposed(window)
    controls = window.controls
    lessons = window.lesson_picker.count()
    with qtbot.captureExceptions() as exceptions:
        for n in range(CLICKS):
            roll = rng.random()
            if roll < 0.70:
                buttons = clickable(window)
                button = rng.choice(buttons)
                qtbot.mouseClick(
                    button,
                    Qt.MouseButton.LeftButton,
                    pos=QPoint(button.width() // 3, button.height() // 2),
                )
            elif roll < 0.78:
                window.lesson_picker.setCurrentIndex(rng.randrange(lessons))
            elif roll < 0.86:
                controls.slider.setValue(rng.randrange(controls.slider.maximum() + 1))
            elif roll < 0.92:
                controls.jump.setValue(rng.randrange(controls.jump.maximum() + 2))
            else:
                controls.speed.setCurrentIndex(rng.randrange(controls.speed.count()))
            if n % 10 == 0:
                QApplication.processEvents()
            if len(window.controller.extra_steps) > 40:
                # Keep each re-simulation short: a fresh lesson clears the user's steps.
                window.lesson_picker.setCurrentIndex(
                    (window.lesson_picker.currentIndex() + 1) % lessons
                )
    assert exceptions == []
    assert window.player.trace is not None
