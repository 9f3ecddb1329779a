"""Hostile text in the window: markup from a token, a header, a narration or a file name
is shown as written, never rendered as rich text (no big red "VALID", no local image).

Qt renders a QLabel, a tooltip or a message box as HTML when its text merely looks like
HTML. These probes put markup everywhere the window shows outside text, step through
the whole run with every panel built, and check what each label and tooltip would show.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QTextDocument
from PySide6.QtGui import Qt as QtGui
from PySide6.QtWidgets import QAbstractItemView, QGraphicsView, QLabel, QWidget

from authflow.app import plain_text
from authflow.app.window.shell import MainWindow
from authflow.simulator.analysis.token_report import b64url_encode

MARKUP = [
    '<b style="font-size:80px;color:red">VALID</b>',
    '<img src="file:///etc/hostname">',
    "<h1>Title</h1>",
    "<table><tr><td>x</td></tr></table>",
    '<a href="https://evil.example">click</a>',
    "<!-- --><p>hidden</p>",
]


def shown(text: str, fmt: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    """What Qt displays for `text` in a label of format `fmt` (or in a tooltip)."""
    rich = fmt == Qt.TextFormat.RichText or (
        fmt == Qt.TextFormat.AutoText and QtGui.mightBeRichText(text)
    )
    if not rich:
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def _segment(text: str) -> str:
    return b64url_encode(text.encode("utf-8"))


def hostile_token(markup: str) -> str:
    header = _segment(json.dumps({"alg": markup, "typ": "JWT"}))
    payload = _segment(json.dumps({"sub": markup, "role": markup, "exp": 1}))
    return f"{header}.{payload}.c2ln"


def hostile_workspace(markup: str) -> str:
    token = hostile_token(markup)
    send = {
        "action": "send",
        "args": {
            "method": "GET",
            "path": "/api/profile",
            "headers": [["Authorization", f"Bearer {token}"], ["X-Note", markup]],
        },
        "narration": markup,
    }
    login = {"action": "login", "args": {}, "narration": markup}
    return json.dumps(
        {
            "format": "authflow-workspace",
            "version": 1,
            "lesson": "basics",
            "mode": "jwt",
            "seed": 1,
            "settings": {"secret": markup},
            "actions": [login, send],
            "step": -1,
        }
    )


def open_hostile(window: MainWindow, tmp_path: Path, markup: str) -> None:
    """Open the hostile workspace in `window`, with every panel built."""
    shown_warnings: list[tuple[str, str]] = []
    window.parts.workspace.warn = lambda *m: shown_warnings.append(m)
    path = tmp_path / "hostile.authflow.json"
    path.write_text(hostile_workspace(markup), encoding="utf-8")
    assert window.parts.workspace.open_path(str(path)), shown_warnings
    window.finish_panels()


def _model_tips(model: QAbstractItemModel, parent: QModelIndex, depth: int = 0) -> Iterator[str]:
    if depth > 3:
        return
    for row in range(min(model.rowCount(parent), 200)):
        for column in range(model.columnCount(parent)):
            index = model.index(row, column, parent)
            value = model.data(index, Qt.ItemDataRole.ToolTipRole)
            if isinstance(value, str):
                yield value
            if column == 0 and model.rowCount(index) > 0:
                yield from _model_tips(model, index, depth + 1)


def texts_shown(root: QWidget) -> Iterator[tuple[str, str, str]]:
    """(where, raw text, what Qt shows) for every label and tooltip under `root`."""
    for label in root.findChildren(QLabel):
        yield (f"label {label.objectName()}", label.text(), shown(label.text(), label.textFormat()))
    for widget in [root, *root.findChildren(QWidget)]:
        tip = widget.toolTip()
        yield (f"tooltip of {type(widget).__name__}", tip, shown(tip))
    for action in root.findChildren(QAction):
        yield (f"action {action.text()}", action.toolTip(), shown(action.toolTip()))
    for view in root.findChildren(QAbstractItemView):
        model = view.model()
        if model is not None:
            for tip in _model_tips(model, QModelIndex()):
                yield (f"model of {view.objectName()}", tip, shown(tip))
    for graphics in root.findChildren(QGraphicsView):
        scene = graphics.scene()
        if scene is not None:
            for item in scene.items():
                yield ("graphics item", item.toolTip(), shown(item.toolTip()))


def assert_literal(root: QWidget, markup: str) -> int:
    """Every text that holds `markup` shows it as written; returns how many did."""
    seen = 0
    for where, raw, display in texts_shown(root):
        if markup in raw:
            seen += 1
            assert markup in display, f"{where} renders {markup!r} as rich text: {display!r}"
        # Nothing anywhere may *display* the hostile words without their markup.
        assert not (markup not in display and "VALID</b>" in raw and "VALID" in display), where
    return seen


@pytest.mark.parametrize("markup", MARKUP)
def test_markup_from_a_workspace_is_shown_as_written_everywhere(
    window: MainWindow, tmp_path: Path, markup: str
) -> None:
    open_hostile(window, tmp_path, markup)
    trace = window.controller.trace
    assert trace is not None
    seen = 0
    for index in range(len(trace.events)):
        window.player.jump(index)
        seen += assert_literal(window, markup)
    assert seen > 0  # the probe reached the screen


@pytest.mark.parametrize("markup", MARKUP)
def test_the_token_decoders_verdict_quotes_alg_as_written(
    window: MainWindow, tmp_path: Path, markup: str
) -> None:
    from authflow.app.views.inspectors.token_decoder import TokenDecoder

    open_hostile(window, tmp_path, markup)
    decoder = window.findChild(TokenDecoder)
    assert decoder is not None
    trace = window.controller.trace
    assert trace is not None
    sent = max(i for i, e in enumerate(trace.events) if e.kind == "request")
    window.player.jump(sent)
    decoder.text.setPlainText(hostile_token(markup))
    assert decoder.verdict is not None
    label = decoder.verdict_label
    assert markup in label.text()  # "wrong algorithm (alg=<b …>…)"
    assert markup in shown(label.text(), label.textFormat())


@pytest.mark.parametrize("markup", MARKUP)
def test_the_scoreboard_shows_cells_as_written(qtbot: Any, markup: str) -> None:
    from authflow import simulator
    from authflow.app.views.scoreboard import ScoreboardView
    from authflow.simulator.analysis import scoreboard
    from authflow.simulator.trace.trace import Step

    steps = [Step("login", {}, markup), Step("xss_steal", {}, markup)]
    run = simulator.simulate(steps, "jwt", {"secret": markup}, seed=1, title=markup)
    view = ScoreboardView()
    qtbot.addWidget(view)
    view.set_boards([scoreboard.score(run)])
    view.status.setText(f"Could not save {markup}.md")
    assert assert_literal(view, markup) > 0


def test_a_file_name_with_markup_and_ampersands_in_recent_files(
    window: MainWindow, tmp_path: Path
) -> None:
    name = "<b style='font-size:80px'>bold & co.authflow.json"  # no "/": one file name
    assert QtGui.mightBeRichText(name)
    path = tmp_path / name
    window.parts.workspace.warn = lambda *m: pytest.fail(str(m))
    assert window.parts.workspace.save_to(str(path))
    entry = next(
        a
        for a in window.parts.workspace.recent_menu.actions()
        if a.toolTip() and "bold" in a.toolTip()
    )
    assert shown(entry.toolTip()) == str(path.resolve())
    assert entry.text().replace("&&", "&").endswith(name)


@pytest.mark.parametrize("markup", MARKUP)
def test_message_boxes_show_their_text_as_written(qtbot: Any, markup: str) -> None:
    box = plain_text.message_box(None, "Open workspace", f"Could not open {markup}.json")
    qtbot.addWidget(box)
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert assert_literal(box, markup) > 0


@pytest.mark.parametrize("text", ["plain words", "a < b", "", "x\ny", "Default: 900."])
def test_plain_tooltips_stay_byte_for_byte(text: str) -> None:
    assert plain_text.tip(text) == text
