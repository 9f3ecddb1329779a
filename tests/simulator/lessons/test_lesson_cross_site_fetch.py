"""cross-site-fetch: CORS preflight, SameSite and third-party cookie blocking."""

from __future__ import annotations

import factories
import pytest
from factories import FAST
from lesson_trace import attack, carried, header, left_out, requests, run, step_index, verdicts

from authflow.simulator.trace.trace import Trace


def _first(t: Trace) -> int:
    return step_index(t, "cross_site_fetch", 1)


def _second(t: Trace) -> int:
    return step_index(t, "cross_site_fetch", 2)


@pytest.mark.parametrize("mode", ["session", "jwt", "hybrid"])
def test_credentialed_fetch_carries_nothing_and_answer_is_hidden(mode: str) -> None:
    t = run("cross-site-fetch", mode)
    i = _first(t)
    sent = requests(t, i)[0]
    assert sent.detail["context"]["cross_site"] is True
    assert sent.detail["carries"] == []
    assert header(sent, "Origin") == "https://evil.example"
    result = attack(t, i)
    assert result["status"] == 401
    assert result["readable"] is False
    assert [v["check"] for v in verdicts(t, i) if v["check"] == "cors"] == ["cors"]


@pytest.mark.parametrize("mode", ["session", "jwt", "hybrid"])
def test_authorization_header_needs_a_preflight_and_is_never_sent(mode: str) -> None:
    t = run("cross-site-fetch", mode)
    i = _second(t)
    sent = [r for r in requests(t, i) if not r.detail["blocked"]]
    assert [r.detail["method"] for r in sent] == ["OPTIONS"], "the real GET never left"
    (blocked,) = [r for r in requests(t, i) if r.detail["blocked"]]
    assert blocked.detail["method"] == "GET"
    assert blocked.detail["block_reason"].startswith("CORS: ")
    assert header(sent[0], "Access-Control-Request-Headers") == "authorization"
    cors = verdicts(t, i, "cors")
    assert cors[-1]["ok"] is False
    assert "no Access-Control-Allow-Origin" in str(cors[-1]["reason"])
    result = attack(t, i)
    assert result["sent"] is False
    assert result["success"] is False


def test_samesite_none_cookie_rides_but_cors_hides_the_answer() -> None:
    t = run("cross-site-fetch", "session", same_site="None")
    i = _first(t)
    assert ("Cookie", "sid") in carried(requests(t, i)[0])
    result = attack(t, i)
    assert result["status"] == 200
    assert result["readable"] is False
    assert result["success"] is False


def test_permissive_cors_lets_evil_read_the_profile() -> None:
    t = run("cross-site-fetch", "session", same_site="None", cors="any-with-credentials")
    result = attack(t, _first(t))
    assert result["status"] == 200
    assert result["readable"] is True
    assert result["read"]["user"] == "alice"
    assert result["success"] is True


def test_third_party_blocking_keeps_even_samesite_none_home() -> None:
    t = run(
        "cross-site-fetch",
        "session",
        same_site="None",
        cors="any-with-credentials",
        third_party_cookies="blocked",
    )
    sent = requests(t, _first(t))[0]
    assert header(sent, "Cookie") is None
    assert left_out(sent)["sid"] == "third-party cookies blocked"
    assert attack(t, _first(t))["status"] == 401


def test_permissive_cors_lets_the_header_through_but_evil_has_no_token() -> None:
    t = run("cross-site-fetch", "jwt", cors="any-with-credentials")
    i = _second(t)
    methods = [r.detail["method"] for r in requests(t, i)]
    assert methods == ["OPTIONS", "GET"]
    assert verdicts(t, i, "cors")[0]["ok"] is True
    assert attack(t, i)["status"] == 401


def test_image_subresource_and_third_party_blocking() -> None:
    from authflow import simulator
    from authflow.simulator.trace.trace import Step

    steps = [
        Step("login", {}, ""),
        Step("cross_site_fetch", {"kind": "subresource", "path": "/api/profile"}, ""),
    ]
    fast = {**FAST, "same_site": "None"}
    t = simulator.simulate(steps, "session", fast, seed=1)
    assert ("Cookie", "sid") in carried(requests(t, 1)[0])
    assert attack(t, 1)["readable"] is False
    t = simulator.simulate(steps, "session", {**fast, "third_party_cookies": "blocked"}, seed=1)
    assert left_out(requests(t, 1)[0])["sid"] == "third-party cookies blocked"


def _post_transfer(**settings: str) -> Trace:
    from authflow.simulator.trace.trace import Step

    steps = [
        Step("login", {}, ""),
        Step("cross_site_fetch", {"method": "POST", "path": "/api/transfer"}, ""),
    ]
    return factories.simulate(steps, "session", **settings)


def test_simple_cross_site_post_acts_even_though_the_answer_is_hidden() -> None:
    t = _post_transfer(same_site="None")
    sent = requests(t, 1)
    assert [r.detail["method"] for r in sent] == ["POST"], "text/plain needs no preflight"
    assert ("Cookie", "sid") in carried(sent[0])
    result = attack(t, 1)
    assert result["status"] == 200
    assert result["readable"] is False
    assert result["success"] is True


def test_csrf_token_stops_the_simple_post_and_lax_keeps_the_cookie_home() -> None:
    assert attack(_post_transfer(same_site="None", csrf_token="true"), 1)["status"] == 403
    lax = _post_transfer()
    assert left_out(requests(lax, 1)[0])["sid"] == "SameSite=Lax: cross-site fetch"
    assert attack(lax, 1)["status"] == 401
