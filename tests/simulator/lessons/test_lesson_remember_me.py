"""remember-me: Max-Age 30 days makes the credential cookie survive a browser restart."""

from __future__ import annotations

from lesson_trace import app_statuses, events, run, step_index

THIRTY_DAYS = 30 * 86400


def test_session_cookie_gets_30_days_and_survives() -> None:
    t = run("remember-me", "session")
    login = step_index(t, "login")
    sid = {c.name: c for c in events(t, login)[-1].state.cookies}["sid"]
    assert sid.expires == THIRTY_DAYS
    set_cookie = [
        v for n, v in events(t, login, "response")[-1].detail["headers"] if n == "Set-Cookie"
    ]
    assert any("Max-Age=2592000" in line for line in set_cookie)
    restart = step_index(t, "restart_browser")
    assert not [e for e in events(t, restart, "cookie") if e.detail["action"] == "cleared"]
    assert app_statuses(t, step_index(t, "profile")) == [200]


def test_jwt_cookie_gets_30_days_but_the_token_keeps_its_exp() -> None:
    t = run("remember-me", "jwt", token_storage="cookie")
    cookie = {c.name: c for c in t.events[-1].state.cookies}["access_token"]
    assert cookie.expires == THIRTY_DAYS
    assert app_statuses(t, step_index(t, "profile")) == [200]


def test_jwt_in_local_storage_ignores_it() -> None:
    t = run("remember-me", "jwt")
    assert not t.events[-1].state.cookies
    assert app_statuses(t, step_index(t, "profile")) == [200]


def test_hybrid_refresh_cookie_is_persistent_anyway() -> None:
    t = run("remember-me", "hybrid")
    refresh = {c.name: c for c in t.events[-1].state.cookies}["refresh"]
    assert refresh.expires is not None
    assert app_statuses(t, step_index(t, "profile")) == [200]
