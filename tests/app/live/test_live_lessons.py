"""A real Chromium runs the lessons against the real loopback server, and what it did
agrees with the simulation: the Cookie header of every request, every status, every
Set-Cookie stored or refused, the cookies held back and why, and the jar after every
step. Qt WebEngine starts once for this process (the first run starts it)."""

from __future__ import annotations

from typing import Any

import pytest
from factories import FAST, run

from authflow.simulator.live.agreement import compare_runs
from authflow.simulator.trace.trace import Trace

LESSONS = ("basics", "csrf", "cross-site-fetch", "xss", "refresh-reuse")
MODES = ("session", "jwt", "hybrid")
_cache: dict[tuple[str, str], Trace] = {}


def live(lesson: str, mode: str, qapp: Any) -> Trace:
    """One live run per lesson and mode for the whole test process."""
    from authflow.app.live.session import run_lesson_live

    if (lesson, mode) not in _cache:
        _cache[lesson, mode] = run_lesson_live(lesson, mode, FAST, seed=3)
    return _cache[lesson, mode]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lesson", LESSONS)
def test_the_real_browser_agrees_with_the_simulation(lesson: str, mode: str, qapp: Any) -> None:
    real = live(lesson, mode, qapp)
    simulated = run(lesson, mode, seed=3)
    assert real.engine == "live"
    assert [d.text() for d in compare_runs(simulated, real).differences] == []
    # The comparison is not vacuous: the real run made the lesson's requests.
    assert sum(e.kind == "request" for e in real.events) >= len(simulated.steps) - 1


def _requests(trace: Trace, method: str, path: str) -> list[Any]:
    return [
        e
        for e in trace.events
        if e.kind == "request" and e.detail["method"] == method and e.detail["path"] == path
    ]


def test_csrf_form_post_arrives_cross_site_without_the_lax_cookie(qapp: Any) -> None:
    real = live("csrf", "session", qapp)
    post = _requests(real, "POST", "/api/transfer")[-1]
    received = dict((n.lower(), v) for n, v in post.detail["live"]["received_headers"])
    assert received["sec-fetch-site"] == "cross-site"
    assert "cookie" not in received
    assert post.detail["left_out"][0]["name"] == "sid"
    assert "SameSiteLax" in post.detail["left_out"][0]["reason"]
    attack = next(e for e in real.events if e.kind == "attack")
    assert attack.detail["status"] == 401


def test_real_jar_holds_the_session_cookie_with_its_attributes(qapp: Any) -> None:
    real = live("basics", "session", qapp)
    after_login = [e for e in real.events if e.step == 0][-1].state.cookies
    sid = next(c for c in after_login if c.name == "sid")
    assert (sid.http_only, sid.secure, sid.same_site, sid.expires) == (True, True, "Lax", None)
    assert real.events[-1].state.cookies == ()


def test_xss_really_reads_the_token_from_local_storage(qapp: Any) -> None:
    real = live("xss", "jwt", qapp)
    steal = next(e for e in real.events if e.kind == "attack")
    assert "access_token" in steal.detail["stolen"]
    session = live("xss", "session", qapp)
    steal = next(e for e in session.events if e.kind == "attack")
    assert steal.detail["stolen"] == {}
    assert steal.detail["hidden"] == [{"name": "sid", "reason": "HttpOnly: hidden from script"}]


def test_a_preflight_chromium_refuses_keeps_the_request_off_the_wire(qapp: Any) -> None:
    real = live("cross-site-fetch", "jwt", qapp)
    blocked = [e for e in real.events if e.kind == "request" and e.detail["blocked"]]
    assert len(blocked) == 1
    assert "CORS" in blocked[0].detail["block_reason"]
    assert _requests(real, "OPTIONS", "/api/profile")


def test_every_event_says_it_is_live(qapp: Any) -> None:
    import json

    from authflow.simulator.formats.text import to_json_lines

    lines = [json.loads(line) for line in to_json_lines(live("basics", "jwt", qapp))]
    assert lines
    assert {line["engine"] for line in lines} == {"live"}
