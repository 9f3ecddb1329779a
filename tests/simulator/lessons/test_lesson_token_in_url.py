"""token-in-url: a credential in a URL goes wherever the URL goes; Referrer-Policy
decides whether the third party's Referer carries it; a cookie or a header never does."""

from __future__ import annotations

import pytest
from lesson_trace import app_statuses, attack, events, header, run, step_index

from authflow.simulator.trace.trace import Event, Trace

CREDENTIAL = {"session": "sid", "jwt": "access_token", "hybrid": "access_token"}


def _link(t: Trace) -> int:
    return step_index(t, "open_link")


def _pixel_request(t: Trace) -> Event:
    (found,) = [e for e in events(t, _link(t), "request") if e.dst == "attacker"]
    assert found.detail["url"] == "https://evil.example/pixel.gif"
    return found


def _notes(t: Trace, what: str) -> list[str]:
    return [
        str(e.detail.get("url") or e.detail.get("line"))
        for e in events(t, _link(t), "note")
        if e.detail.get("text") == what
    ]


@pytest.mark.parametrize("mode", ["session", "jwt", "hybrid"])
def test_unsafe_url_hands_the_third_party_the_credential(mode: str) -> None:
    t = run("token-in-url", mode)
    name = CREDENTIAL[mode]
    result = attack(t, _link(t))
    leaked = result["stolen"][name]
    assert f"{name}={leaked}" in str(header(_pixel_request(t), "Referer"))
    # The same value is what the browser held before following the link.
    before = events(t, step_index(t, "login"))[-1].state
    held = {r.name: r.value for r in before.cookies}
    held |= dict(before.local_storage.get("https://app.example", {})) | dict(before.memory)
    assert held[name] == leaked
    # It is in the address bar, the history and the access log as well.
    assert name in events(t, _link(t))[-1].state.page.url
    assert any(name in line for line in _notes(t, "history"))
    assert any(name in line for line in _notes(t, "access log"))
    assert app_statuses(t, step_index(t, "replay")) == [200]


@pytest.mark.parametrize("mode", ["session", "jwt", "hybrid"])
def test_the_browsers_default_policy_sends_only_the_origin(mode: str) -> None:
    t = run("token-in-url", mode, referrer_policy="unset")
    assert header(_pixel_request(t), "Referer") == "https://app.example/"
    assert attack(t, _link(t))["stolen"] == {}
    assert app_statuses(t, step_index(t, "replay")) == [401]
    # The policy guards only the Referer: the log and the history still hold it.
    assert any(CREDENTIAL[mode] in line for line in _notes(t, "access log"))
    assert any(CREDENTIAL[mode] in line for line in _notes(t, "history"))


def test_no_referrer_sends_none() -> None:
    t = run("token-in-url", "jwt", referrer_policy="no-referrer")
    assert header(_pixel_request(t), "Referer") is None
    assert attack(t, _link(t))["success"] is False


@pytest.mark.parametrize("mode", ["session", "jwt", "hybrid"])
def test_a_cookie_or_header_credential_never_enters_a_url(mode: str) -> None:
    t = run("token-in-url", mode, credential_in_url="false")
    assert header(_pixel_request(t), "Referer") == "https://app.example/"
    assert _notes(t, "access log") == ["GET /"]
    assert attack(t, _link(t))["stolen"] == {}
    assert app_statuses(t, step_index(t, "replay")) == [401]


def test_the_page_sets_the_policy_it_was_configured_with() -> None:
    t = run("token-in-url", "jwt", referrer_policy="origin")
    page = next(e for e in events(t, _link(t), "response") if e.dst == "browser")
    assert header(page, "Referrer-Policy") == "origin"
    assert header(_pixel_request(t), "Referer") == "https://app.example/"
