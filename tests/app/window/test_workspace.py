"""Workspace files: the same trace and step after save, close, open; bad files change nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from authflow.app.window import workspace
from authflow.app.window.shell import USER_ACTIONS, MainWindow
from authflow.simulator.formats.text import to_json_lines


class Messages:
    """Stands in for QMessageBox: records (title, text)."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str]] = []

    def __call__(self, title: str, text: str) -> None:
        self.shown.append((title, text))


@pytest.fixture
def messages(window: MainWindow) -> Messages:
    recorder = Messages()
    window.parts.workspace.warn = recorder
    return recorder


def lines(win: MainWindow) -> list[str]:
    assert win.player.trace is not None
    return list(to_json_lines(win.player.trace))


def spec(key: str) -> Any:
    return next(s for s in USER_ACTIONS if s.key == key)


def test_save_close_open_gives_the_same_trace_and_step(
    window: MainWindow, second_window: MainWindow, tmp_path: Path, qtbot: Any
) -> None:
    window.set_mode("jwt")
    window.controller.set_setting("access_ttl", "60")
    window.do(spec("profile"))
    window.wait(16 * 60, "16 minutes")
    window.player.pause()
    window.player.jump(7)
    expected, step = lines(window), window.player.index
    path = tmp_path / "lecture.authflow.json"
    assert window.parts.workspace.save_to(str(path))
    window.close()

    assert second_window.parts.workspace.open_path(str(path))
    assert lines(second_window) == expected
    assert second_window.player.index == step
    assert second_window.controller.mode == "jwt"
    assert second_window.mode_actions["jwt"].isChecked()
    assert second_window.lesson_picker.currentData() == "basics"
    assert second_window.parts.workspace.recent[0] == str(path.resolve())


def test_file_is_small_readable_json(window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "w.authflow.json"
    window.parts.workspace.save_to(str(path))
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == workspace.FORMAT
    assert (data["lesson"], data["mode"], data["seed"], data["step"]) == (
        "basics",
        "session",
        1,
        -1,
    )
    assert path.stat().st_size < 2000


def _good(window: MainWindow) -> dict[str, Any]:
    return json.loads(workspace.capture(window).to_json())


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (lambda text, data: text[: len(text) // 2], "not valid JSON"),
        (lambda text, data: json.dumps({**data, "seed": "one"}), "'seed' must be a whole number"),
        (lambda text, data: json.dumps({**data, "step": 1.5}), "'step' must be"),
        (lambda text, data: json.dumps({**data, "lesson": "no-such-lesson"}), "unknown lesson"),
        (lambda text, data: json.dumps({**data, "lesson": "/etc/passwd"}), "not a file"),
        (lambda text, data: json.dumps({**data, "mode": "kerberos"}), "unknown mode"),
        (lambda text, data: json.dumps({**data, "settings": {"nope": "1"}}), "unknown setting"),
        (lambda text, data: json.dumps({**data, "step": 10_000}), "past the end"),
        (
            lambda text, data: json.dumps({**data, "actions": [{"action": "fly", "args": {}}]}),
            "unknown action",
        ),
        (
            lambda text, data: json.dumps(
                {**data, "actions": [{"action": "wait", "args": {"seconds": "soon"}}]}
            ),
            "action 1",
        ),
        (lambda text, data: json.dumps({"cells": [], "nbformat": 4}), "not an Authflow workspace"),
        (lambda text, data: json.dumps({**data, "version": 7}), "version 7"),
    ],
)
def test_damaged_file_gives_a_message_and_changes_nothing(
    window: MainWindow, messages: Messages, tmp_path: Path, damage: Any, says: str
) -> None:
    window.do(spec("profile"))
    window.player.pause()
    window.player.jump(3)
    text = workspace.capture(window).to_json()
    before, trace, index = workspace.capture(window), window.player.trace, window.player.index
    path = tmp_path / "bad.authflow.json"
    path.write_text(damage(text, json.loads(text)), encoding="utf-8")

    assert not window.parts.workspace.open_path(str(path))

    assert len(messages.shown) == 1
    assert says in messages.shown[0][1]
    assert workspace.capture(window) == before
    assert window.player.trace is trace
    assert window.player.index == index
    assert window.parts.workspace.recent == []


def test_unreadable_files_give_a_message(
    window: MainWindow, messages: Messages, tmp_path: Path
) -> None:
    binary = tmp_path / "photo.json"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    assert not window.parts.workspace.open_path(str(binary))
    assert not window.parts.workspace.open_path(str(tmp_path / "missing.json"))
    assert [title for title, _ in messages.shown] == ["Open workspace", "Open workspace"]


def test_save_failure_is_reported(window: MainWindow, messages: Messages, tmp_path: Path) -> None:
    assert not window.parts.workspace.save_to(str(tmp_path / "no" / "such" / "dir" / "w.json"))
    assert messages.shown
    assert "cannot write" in messages.shown[0][1].lower()


def test_recent_menu_opens_the_file(window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "a.authflow.json"
    window.set_mode("hybrid")
    window.parts.workspace.save_to(str(path))
    window.set_mode("session")
    entries = [a for a in window.parts.workspace.recent_menu.actions() if a.toolTip() == str(path)]
    assert len(entries) == 1
    entries[0].trigger()
    assert window.controller.mode == "hybrid"


def test_dialog_functions_are_injectable(window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "b.authflow.json"
    window.parts.workspace.ask_save = lambda default: str(path)
    window.parts.workspace.ask_open = lambda: str(path)
    window.parts.workspace.save_action.trigger()
    assert path.exists()
    window.set_mode("jwt")
    window.parts.workspace.open_action.trigger()
    assert window.controller.mode == "session"


# Hypothesis: nothing a file holds makes the loader raise anything but WorkspaceError.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
ODD: dict[str, st.SearchStrategy[Any]] = {
    "lesson": st.sampled_from(["basics", "expiry", "nope", "", "../x.toml"]) | json_values,
    "mode": st.sampled_from(["session", "jwt", "hybrid", "x"]) | json_values,
    "seed": st.integers(min_value=-(2**70), max_value=2**70) | json_values,
    "settings": st.dictionaries(
        st.sampled_from(["access_ttl", "samesite", "cookie_secure", "zzz"]),
        st.text(max_size=6) | st.integers() | st.booleans(),
        max_size=2,
    )
    | json_values,
    "actions": st.lists(
        st.fixed_dictionaries(
            {"action": st.sampled_from(["login", "profile", "wait", "logout", "send", "x"])},
            optional={
                "args": st.dictionaries(
                    st.sampled_from(["seconds", "user", "password", "path", "amount"]),
                    json_values,
                    max_size=2,
                ),
                "narration": json_values,
            },
        ),
        max_size=3,
    )
    | json_values,
    "step": st.integers(min_value=-3, max_value=40) | json_values,
}
"""Per workspace field: right and wrong values for it."""
fields = st.fixed_dictionaries(
    {"format": st.just(workspace.FORMAT), "version": st.just(1)}, optional=ODD
)


def _load(text: str) -> workspace.Workspace | str:
    """Open `text` as the app does: the workspace it reproduces, or the message the user
    is shown (only WorkspaceError may come out, with a short message that says why)."""
    try:
        ws = workspace.parse(text)
        trace = workspace.simulate(ws)
    except workspace.WorkspaceError as exc:
        message = str(exc)
        assert message.strip()
        assert len(message) <= workspace.MESSAGE_LIMIT
        return message
    # Accepted: saving it again writes the same workspace, and its step is in the run.
    assert workspace.parse(ws.to_json()) == ws
    assert -1 <= ws.step < len(trace.events)
    return ws


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200) | json_values.map(json.dumps))
def test_any_text_is_refused_for_what_it_is(text: str) -> None:
    outcome = _load(text)
    try:
        data = json.loads(text)
    except ValueError:
        assert isinstance(outcome, str)
        assert outcome.startswith("the file is not valid JSON")
        return
    if not isinstance(data, dict) or data.get("format") != workspace.FORMAT:
        assert outcome == "this is not an Authflow workspace file"


LIBRARY = ("basics", "expiry")
"""The lesson names `fields` draws that the library has."""
RUN = {"format": workspace.FORMAT, "version": 1, "lesson": "basics", "mode": "jwt", "seed": 7}
near_valid = st.tuples(
    st.fixed_dictionaries(
        {
            "format": st.just(workspace.FORMAT),
            "version": st.just(1),
            "lesson": st.sampled_from(LIBRARY),
            "mode": st.sampled_from(["session", "jwt", "hybrid"]),
            "seed": st.integers(min_value=-(2**70), max_value=2**70),
        }
    ),
    st.sampled_from(sorted(ODD)).flatmap(lambda key: st.tuples(st.just(key), ODD[key])),
    st.booleans(),
).map(lambda t: {k: v for k, v in {**t[0], t[1][0]: t[1][1]}.items() if t[2] or k != t[1][0]})
"""A real run with one field set to a right or wrong value, or left out."""


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fields | near_valid)
@example({**RUN, "mode": "Session"})
@example({**RUN, "seed": "7"})
@example({**RUN, "lesson": "../basics"})
@example({**RUN, "actions": [{"action": "profile"}, {"action": "wait", "args": {"seconds": 5}}]})
@example({**RUN, "step": 12})
def test_workspace_shaped_json_opens_exactly_when_it_names_a_real_run(data: dict[str, Any]) -> None:
    outcome = _load(json.dumps(data))
    seed = data.get("seed")
    unusable = [
        data.get("lesson") not in LIBRARY,
        data.get("mode") not in ("session", "jwt", "hybrid"),
        not isinstance(seed, int) or isinstance(seed, bool),
    ]
    if any(unusable):
        assert isinstance(outcome, str), f"opened a workspace that names no run: {data}"
        if "lesson" not in data:
            assert outcome == "the workspace has no 'lesson' (a lesson name)"
        return
    if not {"settings", "actions", "step"} & set(data):
        assert isinstance(outcome, workspace.Workspace), outcome
    if isinstance(outcome, workspace.Workspace):
        assert (outcome.lesson, outcome.mode, outcome.seed) == (data["lesson"], data["mode"], seed)
        assert outcome.step == data.get("step", -1)
        assert [s.action for s in outcome.actions] == [a["action"] for a in data.get("actions", [])]


def test_messages_stay_short_whatever_the_file_holds(
    window: MainWindow, messages: Messages, tmp_path: Path
) -> None:
    data = _good(window)
    data["actions"] = [{"action": "send", "args": {"method": ["x" * 50_000]}}]
    path = tmp_path / "long.authflow.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert not window.parts.workspace.open_path(str(path))
    assert len(messages.shown[0][1]) < 600
