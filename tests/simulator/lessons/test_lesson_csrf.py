"""csrf: a cross-site form POST; the jar decides what rides along, the server decides."""

from __future__ import annotations

from lesson_trace import attack, carried, header, left_out, requests, run, step_index, verdicts

from authflow.simulator.trace.trace import Event, Trace


def _forged(t: Trace) -> tuple[Event, dict[str, object]]:
    i = step_index(t, "csrf")
    sent = requests(t, i, "/api/transfer")[0]
    assert sent.detail["context"] == {
        "initiator": "https://evil.example",
        "kind": "form",
        "cross_site": True,
    }
    assert header(sent, "Origin") == "https://evil.example"
    return sent, dict(attack(t, i))


def test_session_lax_keeps_cookie_home() -> None:
    t = run("csrf", "session")
    sent, result = _forged(t)
    assert header(sent, "Cookie") is None
    assert left_out(sent)["sid"] == "SameSite=Lax: cross-site POST"
    assert result["status"] == 401
    assert result["success"] is False


def test_session_samesite_none_lets_transfer_through() -> None:
    t = run("csrf", "session", same_site="None")
    sent, result = _forged(t)
    assert ("Cookie", "sid") in carried(sent)
    assert result["status"] == 200
    assert result["success"] is True


def test_csrf_token_defence_refuses_it() -> None:
    t = run("csrf", "session", same_site="None", csrf_token="true")
    sent, result = _forged(t)
    assert ("Cookie", "sid") in carried(sent)
    assert result["status"] == 403
    checks = verdicts(t, step_index(t, "csrf"), "csrf")
    assert checks
    assert checks[0]["ok"] is False
    assert "no X-CSRF-Token header" in str(checks[0]["reason"])
    # The app's own page sends the token and passes.
    assert [v["ok"] for v in verdicts(t, step_index(t, "profile"))] == [True]


def test_strict_keeps_cookie_home() -> None:
    t = run("csrf", "session", same_site="Strict")
    sent, result = _forged(t)
    assert left_out(sent)["sid"] == "SameSite=Strict: cross-site request"
    assert result["status"] == 401


def test_jwt_in_header_never_rides_along() -> None:
    t = run("csrf", "jwt")
    sent, result = _forged(t)
    assert sent.detail["carries"] == []
    assert header(sent, "Authorization") is None
    assert result["status"] == 401
    assert "no token" in str(verdicts(t, step_index(t, "csrf"))[0]["reason"])


def test_jwt_in_a_cookie_has_the_cookies_exposure() -> None:
    t = run("csrf", "jwt", token_storage="cookie", same_site="None")
    sent, result = _forged(t)
    assert ("Cookie", "access_token") in carried(sent)
    assert result["status"] == 200


def test_hybrid_nothing_rides_along() -> None:
    t = run("csrf", "hybrid")
    sent, result = _forged(t)
    assert sent.detail["carries"] == []
    assert "refresh" in left_out(sent)
    assert result["status"] == 401
