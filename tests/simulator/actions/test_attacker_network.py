"""How the attacker reaches the network: evil.example's exchanges with the victim's
browser, and credentials put on requests from the attacker's own machine the way the
app itself sends them."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from factories import simulate

from authflow.simulator.trace.trace import Event, Trace


def step_events(trace: Trace, step: int, kind: str) -> list[Event]:
    return [e for e in trace.events if e.kind == kind and e.step == step]


def header(event: Event, name: str) -> str | None:
    found = [v for k, v in event.detail["headers"] if k.lower() == name.lower()]
    return found[-1] if found else None


def requests_counted(trace: Trace, step: int) -> int:
    before = [e for e in trace.events if e.step < step][-1].state.counters.requests
    return trace.events[-1].state.counters.requests - before


class _Form(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input":
            self.fields[str(found["name"])] = str(found["value"])


def test_visiting_evil_example_is_a_top_level_navigation_there() -> None:
    trace = simulate([("login", {}), ("csrf", {})], "session")
    visit = next(e for e in step_events(trace, 1, "request") if e.dst == "attacker")
    assert visit.detail["context"] == {"initiator": None, "kind": "navigate", "cross_site": False}
    assert visit.detail["body"] is None
    assert header(visit, "Content-Type") is None
    # The visit to evil.example and the form's POST to the app: two requests.
    assert requests_counted(trace, 1) == 2


def test_the_loot_leaves_the_app_page_as_a_cross_site_fetch() -> None:
    trace = simulate([("login", {}), ("xss_steal", {})], "session", http_only="false")
    (post,) = step_events(trace, 1, "request")
    assert post.detail["context"] == {
        "initiator": "https://app.example",
        "kind": "fetch",
        "cross_site": True,
    }
    assert header(post, "Content-Type") == "text/plain"
    assert requests_counted(trace, 1) == 1
    (answer,) = step_events(trace, 1, "response")
    assert answer.detail["headers"] == []
    assert answer.label == "204 No Content"


def test_the_csrf_form_posts_each_field_exactly_as_given() -> None:
    odd = 'eve"><script>alert(1)</script>&'
    trace = simulate([("csrf", {"amount": 3, "to": odd})], "session")
    page = next(e for e in step_events(trace, 0, "response") if e.src == "attacker")
    form = _Form()
    form.feed(page.detail["body"])
    assert form.fields == {"amount": "3", "to": odd}
    assert page.detail["body"].startswith("<!doctype html><title>You have won a prize</title>")


@pytest.mark.parametrize(
    ("storage", "cookie", "authorization"),
    [("cookie", True, False), ("localStorage", False, True), ("memory", False, True)],
)
def test_a_replayed_token_rides_where_the_app_puts_it(
    storage: str, cookie: bool, authorization: bool
) -> None:
    trace = simulate([("login", {}), ("steal", {}), ("replay", {})], "jwt", token_storage=storage)
    token = trace.events[-1].state.attacker["access_token"]
    (request,) = [e for e in step_events(trace, 2, "request") if e.src == "attacker"]
    assert (header(request, "Cookie") == f"access_token={token}") is cookie
    assert (header(request, "Authorization") == f"Bearer {token}") is authorization
    assert header(request, "Cookie" if authorization else "Authorization") is None
    assert request.detail["context"] == {"initiator": None, "kind": "fetch", "cross_site": True}
