"""Fuzzing what a user types or opens in the window: headers sent through edit-and-resend,
tokens pasted into the decoder, workspace files and command-line arguments.

Each input either works or gets a clear message; nothing raises out of the app (an
exception in a Qt slot reaches pytest-qt's hook and fails the test).
"""

from __future__ import annotations

import contextlib
import io
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from authflow.app import gui
from authflow.app.views.inspectors.request_edit import EditError
from authflow.app.views.inspectors.resend_editor import ResendEditor
from authflow.app.views.inspectors.token_decoder import TokenDecoder
from authflow.app.window import workspace
from authflow.app.window.shell import MainWindow
from authflow.simulator.analysis.token_report import b64url_encode

SLOW_OK = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
DEPTH = 10_000


def segment(text: str | bytes) -> str:
    return b64url_encode(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)


def nested(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


_HEADER_JSON = st.sampled_from(
    ['{"alg":"HS256","typ":"JWT"}', '{"alg":"none"}', '{"alg":"RS256"}', "{}", "[]", "null"]
)
_PAYLOAD_JSON = st.one_of(
    st.sampled_from(['{"sub":"alice","exp":1e400}', '{"exp":"soon"}', "{}", '"x"']),
    st.dictionaries(
        st.sampled_from(["sub", "exp", "iat", "nbf", "role", "jti", "aud"]),
        st.one_of(
            st.integers(),
            st.floats(allow_nan=False),
            st.text(max_size=10),
            st.none(),
            st.booleans(),
            st.lists(st.integers(), max_size=3),
        ),
        max_size=5,
    ).map(json.dumps),
    st.integers(min_value=1, max_value=900).map(nested),
    st.just(nested(DEPTH)),
)
TOKENS = st.one_of(
    st.tuples(_HEADER_JSON, _PAYLOAD_JSON, st.binary(max_size=40)).map(
        lambda t: f"{segment(t[0])}.{segment(t[1])}.{segment(t[2])}"
    ),
    st.lists(
        st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        max_size=5,
    ).map(".".join),
    st.binary(max_size=64).map(lambda b: b.decode("latin-1")),
    st.text(max_size=40),
    st.just("eyJ" + "A" * 1_000_000 + ".e30."),
)
"""JWT-shaped and not: odd headers, odd claims, deep JSON, random segments and bytes."""

_COOKIE_PAIR = st.tuples(
    st.one_of(st.sampled_from(["sid", "refresh", "csrf", "__Host-sid", ""]), st.text(max_size=6)),
    st.one_of(st.sampled_from(["", "x", '"q"', "a=b"]), st.text(max_size=12), TOKENS),
).map(lambda p: f"{p[0]}={p[1]}" if p[0] or p[1] else "")
COOKIE_LINES = st.lists(_COOKIE_PAIR, max_size=5).flatmap(
    lambda pairs: st.sampled_from(["; ", ";", " ; ", ",", ";;"]).map(lambda sep: sep.join(pairs))
)
AUTH_LINES = st.tuples(
    st.sampled_from(["Bearer ", "bearer ", "Bearer", "Basic ", "Token ", "", "Bearer  "]),
    TOKENS,
).map("".join)


@pytest.fixture
def editor(window: MainWindow, qtbot: Any) -> ResendEditor:
    form = ResendEditor(window.controller.append_step)
    qtbot.addWidget(form)
    return form


def show_every_new_event(window: MainWindow, before: int) -> None:
    trace = window.player.trace
    assert trace is not None
    for i in range(before, len(trace.events)):
        window.player.jump(i)


@SLOW_OK
@given(
    cookie=st.one_of(st.none(), COOKIE_LINES),
    auth=st.one_of(st.none(), AUTH_LINES),
    sender=st.sampled_from(["browser", "attacker"]),
    path=st.sampled_from(["/api/profile", "/api/transfer", "/auth/refresh", "/auth/logout"]),
)
def test_cookie_and_authorization_headers_are_sent_or_explained(
    window: MainWindow,
    editor: ResendEditor,
    cookie: str | None,
    auth: str | None,
    sender: str,
    path: str,
) -> None:
    window.set_mode("hybrid")
    window.controller.set_scenario("basics", -1)
    lines = [f"{name}: {value}" for name, value in (("Cookie", cookie), ("Authorization", auth))]
    editor.headers.setPlainText(
        "\n".join(line for line, v in zip(lines, (cookie, auth), strict=True) if v is not None)
    )
    editor.path.setText(path)
    editor.method.setCurrentText("POST" if path != "/api/profile" else "GET")
    editor.sender_box.setCurrentIndex(editor.sender_box.findData(sender))
    before = len(window.controller.trace.events) if window.controller.trace else 0
    try:
        step = editor.build_step()
    except EditError as exc:
        why = str(exc)
        assert why  # the editor shows why
        return
    window.controller.append_step(step)  # the simulator judges; it must not raise
    trace = window.player.trace
    assert trace is not None
    assert trace.steps[-1] == step
    assert any(e.kind == "request" and e.step == len(trace.steps) - 1 for e in trace.events)
    show_every_new_event(window, before)  # stage, inspectors, log draw every new event
    window.player.pause()


@SLOW_OK
@given(token=TOKENS)
def test_any_token_pasted_in_the_decoder_gets_a_verdict(
    window: MainWindow, qtbot: Any, token: str
) -> None:
    decoder = window.parts.inspectors.token
    assert isinstance(decoder, TokenDecoder)
    decoder.show_token(token)
    assert decoder.verdict_label.text()
    # None of these is signed with the run's key: whatever its header claims, it is
    # never shown as valid.
    assert "VALID" not in decoder.verdict_label.text()


@SLOW_OK
@given(token=TOKENS)
def test_any_token_loaded_for_editing_is_shown_or_explained(
    editor: ResendEditor, token: str
) -> None:
    editor.load_token(token)
    editor.apply_token()
    editor.send()
    assert editor.message.text().startswith(("✔", "⚠"))


@pytest.mark.parametrize(
    "text",
    [
        '{"format": "authflow-workspace", "version": 1, "lesson": "basics", '
        '"mode": "jwt", "seed": 1, "actions": ' + "[" * DEPTH + "]" * DEPTH + "}",
        "[" * DEPTH + "]" * DEPTH,
        '{"a": ' * DEPTH + "1" + "}" * DEPTH,
        '{"format": "authflow-workspace", "version": 1, "lesson": "basics", "mode": "jwt", '
        '"seed": 1, "actions": [{"action": "send", "args": {"headers": '
        + "[" * 900
        + "]" * 900
        + "}}]}",
        json.dumps({"format": "authflow-workspace", "version": 1, "pad": "x" * 2_000_000}),
        '{"format": "authflow-workspace", "version": 1, "lesson": "basics", "mode": "jwt", '
        '"seed": 1e999, "step": 0}',
        '{"format": "authflow-workspace", "version": 1, "lesson": "basics", "mode": "jwt", '
        '"seed": ' + "9" * 5000 + "}",
        '{"format": "authflow-workspace", "version": 1, "lesson": "basics", "mode": "jwt", '
        '"seed": 1, "step": ' + "9" * 40 + "}",
    ],
    ids=[
        "deep-actions",
        "deep-list",
        "deep-object",
        "deep-args",
        "huge",
        "inf-seed",
        "5000-digit-seed",
        "huge-step",
    ],
)
def test_hostile_workspace_files_give_a_message(
    window: MainWindow, tmp_path: Any, text: str
) -> None:
    shown: list[tuple[str, str]] = []
    actions: workspace.WorkspaceActions = window.parts.workspace
    actions.warn = lambda title, message: shown.append((title, message))
    path = tmp_path / "hostile.authflow.json"
    path.write_text(text, encoding="utf-8")
    before = window.controller.trace
    assert not actions.open_path(str(path))
    assert len(shown) == 1
    assert shown[0][1].startswith("Could not open hostile.authflow.json:\n")
    assert len(shown[0][1]) < 2000
    assert window.controller.trace is before


_FLAGS = st.sampled_from(
    ["--lesson", "--mode", "--step", "--theme", "--seed", "--size", "--help", "-h", "--", "-"]
)
_VALUES = st.one_of(
    st.sampled_from(["basics", "jwt", "dark", "1", "-1", "0", "1e3", "99999999999999999999"]),
    st.text(max_size=12),
)


@settings(max_examples=150, deadline=None)
@given(argv=st.lists(st.one_of(_FLAGS, _VALUES), max_size=6))
def test_window_arguments_parse_or_exit_with_status_2(argv: list[str]) -> None:
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            args = gui.parse_args(argv)
    except SystemExit as exc:
        code = exc.code
    else:
        assert args.mode in ("session", "jwt", "hybrid")
        assert args.step is None or isinstance(args.step, int)
        return
    assert code in (0, 2)
    assert "Traceback" not in err.getvalue()
    if code == 2:  # usage, then a line that says what is wrong
        assert "authflow: error: " in err.getvalue()


def test_the_huge_workspace_case_is_past_the_loaders_limit() -> None:
    assert workspace.MAX_BYTES < 2_000_000


_ARG_VALUES = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(),
    st.text(max_size=10),
    st.booleans(),
    st.none(),
    st.lists(st.one_of(st.text(max_size=5), st.integers()), max_size=3),
    st.lists(st.lists(st.text(max_size=8), max_size=3), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
_ACTIONS = st.lists(
    st.fixed_dictionaries(
        {
            "action": st.sampled_from(
                ["login", "profile", "transfer", "wait", "send", "logout", "refresh", "x"]
            ),
            "args": st.dictionaries(
                st.sampled_from(
                    ["user", "amount", "seconds", "from", "method", "path", "headers", "body"]
                ),
                _ARG_VALUES,
                max_size=3,
            ),
        }
    ),
    max_size=4,
)
PYTHON_INTERNALS = ("object of type", "has no attribute", "unsupported operand", "NoneType")
"""Words of a Python error escaping as the user's message: not a clear message."""


@settings(max_examples=150, deadline=None)
@given(
    actions=_ACTIONS,
    mode=st.sampled_from(["session", "jwt", "hybrid", "saml"]),
    step=st.integers(min_value=-2, max_value=60),
)
def test_workspace_actions_run_or_are_refused_clearly(
    actions: list[dict[str, Any]], mode: str, step: int
) -> None:
    text = json.dumps(
        {
            "format": "authflow-workspace",
            "version": 1,
            "lesson": "basics",
            "mode": mode,
            "seed": 7,
            "actions": actions,
            "step": step,
        },
        allow_nan=True,
    )
    try:
        trace = workspace.simulate(workspace.parse(text))
    except workspace.WorkspaceError as exc:
        message = str(exc)
        assert message
        assert not any(words in message for words in PYTHON_INTERNALS), message
        return
    assert trace.mode == mode
