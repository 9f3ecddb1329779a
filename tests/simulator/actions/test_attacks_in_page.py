"""Attacks in or through the victim's browser: what injected script reads and sends
to evil.example, what evil.example's pages make the browser send, what the app server
answers and what the attacker ends up holding."""

from __future__ import annotations

import pytest
from factories import simulate

from authflow.simulator.trace.trace import Event, Trace

EVIL = "https://evil.example"


def attack(trace: Trace, step: int) -> Event:
    (event,) = [e for e in trace.events if e.kind == "attack" and e.step == step]
    return event


def exchanged(trace: Trace, step: int, kind: str, **where: str) -> list[Event]:
    return [
        e
        for e in trace.events
        if e.kind == kind and e.step == step and all(getattr(e, k) == v for k, v in where.items())
    ]


def header(event: Event, name: str) -> str | None:
    found = [v for k, v in event.detail["headers"] if k.lower() == name.lower()]
    return found[-1] if found else None


def test_injected_script_posts_what_it_read_to_evil_example() -> None:
    trace = simulate([("login", {}), ("xss_steal", {})], "jwt", token_storage="localStorage")
    (request,) = exchanged(trace, 1, "request", dst="attacker")
    (answer,) = exchanged(trace, 1, "response", src="attacker")
    event = attack(trace, 1)
    assert (request.detail["method"], request.detail["url"]) == ("POST", f"{EVIL}/collect")
    assert request.detail["body"] == event.detail["stolen"] == event.state.attacker
    assert set(event.detail["stolen"]) == {"access_token"}
    assert answer.detail["status"] == 204
    assert answer.dst == "browser"


def test_injected_script_that_reads_nothing_sends_an_empty_post() -> None:
    trace = simulate([("xss_steal", {})], "session")
    (request,) = exchanged(trace, 0, "request", dst="attacker")
    assert request.detail["method"] == "POST"
    assert request.detail["body"] is None
    assert header(request, "Content-Type") is None
    event = attack(trace, 0)
    assert event.detail["stolen"] == {}
    assert event.detail["success"] is False
    assert "found no credential" in event.explain


@pytest.mark.parametrize("http_only", ["true", "false"])
def test_httponly_decides_whether_script_gets_the_sid_and_the_words_say_so(
    http_only: str,
) -> None:
    trace = simulate([("login", {}), ("xss_steal", {})], "session", http_only=http_only)
    event = attack(trace, 1)
    if http_only == "true":
        assert event.detail["stolen"] == {}
        assert event.detail["document_cookie"] == ""
        assert [h["name"] for h in event.detail["hidden"]] == ["sid"]
        assert "HttpOnly kept sid out of its reach" in event.explain
    else:
        assert set(event.detail["stolen"]) == {"sid"}
        assert event.detail["document_cookie"].startswith("sid=")
        assert event.detail["hidden"] == []
        assert "HttpOnly" not in event.explain
        assert "document.cookie (sid)" in event.explain


def test_an_on_page_transfer_sends_the_attackers_amount_and_recipient() -> None:
    trace = simulate([("login", {}), ("xss_request", {"amount": 7, "to": "eve"})], "jwt")
    (request,) = [e for e in exchanged(trace, 1, "request", src="browser")]
    assert (request.detail["method"], request.detail["path"]) == ("POST", "/api/transfer")
    assert request.detail["body"] == {"amount": 7, "to": "eve"}
    event = attack(trace, 1)
    assert (event.detail["status"], event.detail["success"]) == (200, True)
    assert "went through (200 OK)" in event.explain


def test_csrf_page_is_a_self_submitting_form_with_the_attackers_fields() -> None:
    trace = simulate([("login", {}), ("csrf", {"amount": 5, "to": "eve"})], "session")
    (visit,) = exchanged(trace, 1, "request", dst="attacker")
    assert (visit.detail["method"], visit.detail["url"]) == ("GET", f"{EVIL}/")
    (page,) = exchanged(trace, 1, "response", src="attacker")
    assert page.detail["status"] == 200
    assert header(page, "Content-Type") == "text/html; charset=utf-8"
    html = page.detail["body"]
    assert '<form method="POST" action="https://app.example/api/transfer">' in html
    assert '<input type="hidden" name="amount" value="5">' in html
    assert '<input type="hidden" name="to" value="eve">' in html
    assert "document.forms[0].submit()" in html
    (post,) = exchanged(trace, 1, "request", src="browser", dst="server")
    assert post.detail["body"] == {"amount": 5, "to": "eve"}
    assert post.detail["context"]["initiator"] == EVIL
    assert post.detail["context"]["kind"] == "form"
    assert header(post, "Content-Type") == "application/x-www-form-urlencoded"


@pytest.mark.parametrize(("same_site", "status"), [("None", 200), ("Lax", 401)])
def test_csrf_succeeds_only_when_the_browser_attaches_the_cookie(
    same_site: str, status: int
) -> None:
    trace = simulate([("login", {}), ("csrf", {})], "session", same_site=same_site)
    event = attack(trace, 1)
    assert event.detail["status"] == status
    assert event.detail["success"] is (status == 200)
    assert ("refused" in event.explain) is (status != 200)


def test_an_image_tag_always_sends_a_get() -> None:
    step = {"kind": "subresource", "method": "POST", "path": "/api/transfer"}
    trace = simulate([("login", {}), ("cross_site_fetch", step)], "session", same_site="None")
    (request,) = exchanged(trace, 1, "request", src="browser")
    assert request.detail["method"] == "GET"
    assert request.detail["body"] is None
    assert request.detail["context"]["kind"] == "subresource"
    assert attack(trace, 1).detail["readable"] is False


def test_a_cross_site_post_carries_a_body_and_acts_without_being_read() -> None:
    step = {"method": "POST", "path": "/api/transfer"}
    trace = simulate([("login", {}), ("cross_site_fetch", step)], "session", same_site="None")
    (request,) = exchanged(trace, 1, "request", src="browser", dst="server")
    assert request.detail["body"] == {"amount": 1000, "to": "mallory"}
    assert header(request, "Content-Type") == "text/plain"
    event = attack(trace, 1)
    assert event.detail["status"] == 200
    assert event.detail["readable"] is False
    assert event.detail["success"] is True
    assert "state-changing request went through" in event.explain


@pytest.mark.parametrize("stolen_first", [True, False])
def test_a_cross_site_call_with_authorization_uses_the_stolen_token_or_a_guess(
    stolen_first: bool,
) -> None:
    steps = [("login", {}), ("steal", {})] if stolen_first else [("login", {})]
    steps.append(("cross_site_fetch", {"authorization": True}))
    trace = simulate(steps, "jwt")
    step = len(steps) - 1
    request = [e for e in exchanged(trace, step, "request", src="browser")][-1]
    token = trace.events[-1].state.attacker.get("access_token", "guessed-token")
    assert header(request, "Authorization") == f"Bearer {token}"


def test_an_answer_cors_hides_is_not_read_and_the_browser_says_why() -> None:
    trace = simulate([("login", {}), ("cross_site_fetch", {})], "session", same_site="None")
    event = attack(trace, 1)
    assert event.detail["sent"] is True
    assert event.detail["readable"] is False
    assert event.detail["read"] is None
    assert event.detail["success"] is False
    (hidden,) = [v for v in exchanged(trace, 1, "verdict") if v.detail["check"] == "cors"]
    assert hidden.detail["ok"] is False
    assert hidden.src == hidden.dst == "browser"
    assert "could not read the answer" in event.explain


def test_an_answer_cors_lets_through_is_read_by_evil_example() -> None:
    settings = {"cors": "any-with-credentials", "same_site": "None"}
    trace = simulate([("login", {}), ("cross_site_fetch", {})], "session", **settings)
    event = attack(trace, 1)
    assert (event.detail["sent"], event.detail["readable"]) == (True, True)
    assert event.detail["read"]["user"] == "alice"
    assert event.detail["success"] is True
    assert [v for v in exchanged(trace, 1, "verdict") if v.detail["check"] == "cors"] == []
    assert "CORS let evil.example read it" in event.explain
