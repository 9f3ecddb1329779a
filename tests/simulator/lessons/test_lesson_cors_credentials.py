"""cors-credentials: what the browser lets evil.example's script read, by CORS policy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from lesson_trace import attack, carried, events, header, requests, run, step_index, verdicts


def _fetches(mode: str, **settings: str) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    t = run("cors-credentials", mode, **settings)
    return attack(t, step_index(t, "cross_site_fetch", 1)), attack(
        t, step_index(t, "cross_site_fetch", 2)
    )


def test_a_reflecting_api_lets_evil_read_alices_profile() -> None:
    t = run("cors-credentials", "session")
    i = step_index(t, "cross_site_fetch", 1)
    sent = requests(t, i)[0]
    assert ("Cookie", "sid") in carried(sent)
    assert header(sent, "Origin") == "https://evil.example"
    (answer,) = [e for e in events(t, i, "response") if e.dst == "browser"]
    assert header(answer, "Access-Control-Allow-Origin") == "https://evil.example"
    assert header(answer, "Access-Control-Allow-Credentials") == "true"
    result = attack(t, i)
    assert result["readable"] is True
    assert result["read"]["user"] == "alice"
    assert result["success"] is True


def test_the_browser_refuses_a_wildcard_with_credentials() -> None:
    t = run("cors-credentials", "session", cors="wildcard-with-credentials")
    i = step_index(t, "cross_site_fetch", 1)
    (answer,) = [e for e in events(t, i, "response") if e.dst == "browser"]
    assert header(answer, "Access-Control-Allow-Origin") == "*"
    result = attack(t, i)
    assert result["status"] == 200, "the request reached the server with the cookie"
    assert result["readable"] is False
    assert result["success"] is False
    hidden = verdicts(t, i, "cors")[-1]
    assert "wildcard" in str(hidden["reason"])


def test_an_allowlist_with_null_admits_a_sandboxed_frame_on_any_site() -> None:
    direct, sandboxed = _fetches("session", cors="null-allowed")
    assert direct["readable"] is False
    assert sandboxed["readable"] is True
    assert sandboxed["read"]["user"] == "alice"
    t = run("cors-credentials", "session", cors="null-allowed")
    sent = requests(t, step_index(t, "cross_site_fetch", 2))[0]
    assert header(sent, "Origin") == "null"


def test_no_cors_grant_hides_both_answers() -> None:
    direct, sandboxed = _fetches("session", cors="none")
    assert (direct["readable"], sandboxed["readable"]) == (False, False)


def test_samesite_lax_keeps_the_cookie_home_whatever_cors_says() -> None:
    direct, _ = _fetches("session", same_site="Lax")
    assert direct["readable"] is True
    assert direct["status"] == 401
    assert direct["success"] is False


@pytest.mark.parametrize("mode", ["jwt", "hybrid"])
def test_a_header_token_is_out_of_reach_so_reading_gains_nothing(mode: str) -> None:
    t = run("cors-credentials", mode)
    for nth in (1, 2):
        i = step_index(t, "cross_site_fetch", nth)
        assert header(requests(t, i)[0], "Authorization") is None
        result = attack(t, i)
        assert result["readable"] is True
        assert result["status"] == 401
        assert result["success"] is False
        assert result["stolen"] == {}
