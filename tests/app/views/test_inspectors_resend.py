"""app/views/inspectors/resend_editor.py: hand-edited requests, answered by the real server."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from authflow.app.session.player import Player
from authflow.app.session.run_controller import RunController
from authflow.app.views.inspectors.request_edit import EditError, parse_headers
from authflow.app.views.inspectors.resend_editor import ResendEditor
from authflow.app.views.inspectors.token_sources import server_keys
from authflow.app.views.inspectors.trace_lookup import header_value, plain
from authflow.simulator.analysis.token_report import decode_jwt
from authflow.simulator.trace.clock import START_EPOCH
from authflow.simulator.trace.trace import Event, Step, Trace


def run(qtbot, mode: str = "jwt") -> tuple[RunController, ResendEditor]:
    player = Player()
    controller = RunController(player, "basics", mode, seed=3)
    controller.rebuild()
    editor = ResendEditor(controller.append_step)
    qtbot.addWidget(editor)
    return controller, editor


def bearer_request(trace: Trace) -> Event:
    return next(
        e
        for e in trace.events
        if e.kind == "request" and header_value(e.detail["headers"], "Authorization")
    )


def answer(trace: Trace) -> Event:
    """The response to the last step's request."""
    last = trace.events[-1].step
    return next(e for e in reversed(trace.events) if e.kind == "response" and e.step == last)


def set_role(editor: ResendEditor, role: str) -> None:
    payload = json.loads(editor.token_payload.toPlainText())
    editor.token_payload.setPlainText(json.dumps({**payload, "role": role}))


def test_role_admin_without_resigning_is_401(qtbot) -> None:
    controller, editor = run(qtbot)
    assert controller.trace is not None
    editor.load_request(plain(bearer_request(controller.trace).detail))
    assert editor.token_box.isEnabled()
    set_role(editor, "admin")
    editor.signing.setCurrentIndex(0)
    assert editor.apply_token()
    step = editor.send()
    assert step is not None
    assert step.args["method"] == "GET"
    trace = controller.trace
    assert trace.steps[-1] == step
    response = answer(trace)
    assert response.detail["status"] == 401
    verdict = next(e for e in trace.events if e.step == response.step and e.kind == "verdict")
    assert "signature" in verdict.detail["reason"]


def test_role_admin_resigned_with_the_real_secret_is_200(qtbot) -> None:
    controller, editor = run(qtbot)
    assert controller.trace is not None
    secret = server_keys(controller.trace).jwt_key
    assert isinstance(secret, str)
    editor.load_request(plain(bearer_request(controller.trace).detail))
    set_role(editor, "admin")
    editor.signing.setCurrentIndex(1)
    editor.key.setText(secret)
    assert editor.apply_token()
    token = editor.headers.toPlainText().split("Bearer ", 1)[1].split()[0]
    assert decode_jwt(token).payload is not None
    assert decode_jwt(token).payload["role"] == "admin"  # type: ignore[index]
    assert editor.send() is not None
    response = answer(controller.trace)
    assert response.detail["status"] == 200
    assert editor.message.text().startswith("✔ Sent")


def test_resigning_with_a_guessed_key_is_401(qtbot) -> None:
    controller, editor = run(qtbot)
    assert controller.trace is not None
    editor.load_request(plain(bearer_request(controller.trace).detail))
    set_role(editor, "admin")
    editor.signing.setCurrentIndex(1)
    editor.key.setText("secret")
    assert editor.apply_token()
    assert editor.send() is not None
    assert answer(controller.trace).detail["status"] == 401


def test_tampered_session_cookie_is_401(qtbot) -> None:
    controller, editor = run(qtbot, "session")
    assert controller.trace is not None
    request = next(
        e
        for e in controller.trace.events
        if e.kind == "request" and header_value(e.detail["headers"], "Cookie")
    )
    editor.load_request(plain(request.detail))
    text = editor.headers.toPlainText()
    start = text.index("sid=") + 4
    editor.headers.setPlainText(
        text[:start] + ("0" if text[start] != "0" else "1") + text[start + 1 :]
    )
    editor.sender_box.setCurrentIndex(editor.sender_box.findData("attacker"))
    assert editor.send() is not None
    assert answer(controller.trace).detail["status"] == 401


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ("no colon here", "Header line 1 has no ':'"),
        ("Bad Name: x", "Header line 1: 'Bad Name' is not a valid header name"),
        ("X-A: ok\nX-B: \u20ac", "Header line 2: the value has characters beyond Latin-1"),
        ("X-A: a\x01b", "Header line 1: the value contains control characters"),
    ],
)
def test_impossible_headers_get_a_clear_message(headers: str, message: str) -> None:
    with pytest.raises(EditError, match="^" + message.replace("(", r"\(")):
        parse_headers(headers)


def test_bad_body_and_path_stay_in_the_editor(qtbot) -> None:
    sent: list[Step] = []
    editor = ResendEditor(sent.append)
    qtbot.addWidget(editor)
    editor.body.setPlainText("{not json")
    assert editor.send() is None
    assert editor.message.text().startswith("⚠ The body is not valid JSON")
    editor.body.setPlainText("[1, 2]")
    assert editor.send() is None
    assert "JSON object" in editor.message.text()
    editor.body.setPlainText("")
    editor.path.setText("api/profile")
    assert editor.send() is None
    assert editor.message.text().startswith("⚠ The path must start with /")
    assert sent == []


def test_typed_text_is_sent(qtbot) -> None:
    sent: list[Step] = []
    editor = ResendEditor(sent.append)
    qtbot.addWidget(editor)
    editor.path.clear()
    qtbot.keyClicks(editor.path, "/api/transfer")
    editor.method.setCurrentText("POST")
    qtbot.keyClicks(editor.headers, "X-CSRF-Token: abc")
    qtbot.keyClicks(editor.body, '{"amount": 5}')
    editor.send_button.click()
    assert sent == [
        Step(
            "send",
            {
                "from": "browser",
                "method": "POST",
                "path": "/api/transfer",
                "headers": [["X-CSRF-Token", "abc"]],
                "body": {"amount": 5},
            },
            "A hand-edited POST /api/transfer is sent from the browser.",
        )
    ]


TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
header_line = st.tuples(
    st.text(alphabet=TCHARS, min_size=1, max_size=12),
    st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=40),
).map(lambda pair: f"{pair[0]}: {pair[1]}")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    method=st.one_of(st.sampled_from(["GET", "POST", "DELETE", "get"]), st.text(max_size=12)),
    path=st.one_of(
        st.sampled_from(["/api/profile", "/api/transfer", "/auth/refresh", "/auth/logout"]),
        st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=30).map(
            lambda s: "/" + s
        ),
        st.text(max_size=30),
    ),
    headers=st.one_of(st.lists(header_line, max_size=4).map("\n".join), st.text(max_size=200)),
    body=st.one_of(
        st.just(""),
        st.text(max_size=60),
        st.dictionaries(st.text(max_size=8), st.text(max_size=8)).map(json.dumps),
    ),
    sender=st.sampled_from(["browser", "attacker"]),
    token_payload=st.one_of(
        st.text(max_size=60),
        st.dictionaries(st.text(max_size=6), st.integers() | st.text(max_size=6)).map(json.dumps),
    ),
)
def test_any_typed_text_is_sent_or_explained(
    qtbot, method: str, path: str, headers: str, body: str, sender: str, token_payload: str
) -> None:
    controller, editor = run(qtbot)
    assert controller.trace is not None
    editor.load_request(plain(bearer_request(controller.trace).detail))
    editor.token_payload.setPlainText(token_payload)
    editor.apply_token()
    editor.method.setCurrentText(method)
    editor.path.setText(path)
    editor.headers.setPlainText(editor.headers.toPlainText() + "\n" + headers)
    editor.body.setPlainText(body)
    editor.sender_box.setCurrentIndex(editor.sender_box.findData(sender))
    step = editor.send()
    text = editor.message.text()
    assert "could not run" not in text, text
    event("sent" if step is not None else "explained in the editor")
    if step is None:
        assert text.startswith("⚠ ")
    else:
        assert controller.trace.steps[-1] == step
        assert answer(controller.trace).kind == "response"


def test_token_claims_read_as_simulated_times(qtbot) -> None:
    controller, editor = run(qtbot)
    assert controller.trace is not None
    request = bearer_request(controller.trace)
    editor.set_clock(request.t + 300, START_EPOCH)
    editor.load_request(plain(request.detail))
    assert editor.claim_times.text() == "iat = t+00:00  ·  exp = t+15:00 (expires in 10 min)"
    editor.token_payload.setPlainText("{not json")
    assert editor.claim_times.text() == ""


def test_edit_token_keeps_resigns_or_drops_the_signature() -> None:
    from inspector_fixtures import SECRET, TOKEN

    from authflow.app.views.inspectors.request_edit import edit_token
    from authflow.simulator.analysis.token_report import NONE_ALG_REASON, verify_jwt

    payload = json.dumps({**dict(decode_jwt(TOKEN).payload or {}), "role": "admin"})
    kept = edit_token(TOKEN, '{"alg": "HS256", "typ": "JWT"}', payload, 0, "")
    assert kept.rsplit(".", 1)[1] == TOKEN.rsplit(".", 1)[1]
    assert verify_jwt(kept, SECRET, ["HS256"], now=0).reason == "bad signature"
    resigned = edit_token(TOKEN, '{"alg": "HS256"}', payload, 1, SECRET)
    assert verify_jwt(resigned, SECRET, ["HS256"], now=START_EPOCH).ok
    dropped = edit_token(TOKEN, '{"alg": "none"}', payload, 2, "")
    assert dropped.endswith(".")
    assert verify_jwt(dropped, SECRET, ["HS256"], now=0).reason == NONE_ALG_REASON
    for header, body, signing, key, message in [
        ("{", payload, 0, "", "Token JSON is not valid"),
        ("[]", payload, 0, "", "must both be JSON objects"),
        ('{"alg": "HS256"}', payload, 1, "", "Type the key"),
        ('{"alg": "XX9"}', payload, 1, "k", "cannot sign with alg=XX9"),
    ]:
        with pytest.raises(EditError, match=message):
            edit_token(TOKEN, header, body, signing, key)
