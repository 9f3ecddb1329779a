"""Rules that used to teach something false: Path is no boundary for script, XSS in a
hybrid app mints fresh access tokens, a cookie with no SameSite, the CSRF defences
beyond a token, and the headers Chromium adds to every request."""

from __future__ import annotations

import pytest

from authflow.simulator.config.settings import resolve
from authflow.simulator.trace.details import as_attack, as_request, as_response
from authflow.simulator.trace.trace import Event, Step, Trace
from tests.factories import run, simulate


def attack(trace: Trace, name: str) -> Event:
    return next(e for e in trace.events if e.kind == "attack" and as_attack(e).attack == name)


def headers_of(event: Event) -> dict[str, str]:
    return dict(as_request(event).headers)


def app_requests(trace: Trace, path: str) -> list[Event]:
    return [
        e
        for e in trace.events
        if e.kind == "request" and e.src == "browser" and as_request(e).path == path
    ]


# -- Path is not a security boundary --------------------------------------------------------
def test_xss_steals_a_path_scoped_cookie_through_a_frame_at_its_path() -> None:
    trace = run("xss", "session", http_only="false", cookie_path="/api")
    stolen = as_attack(attack(trace, "xss_steal"))
    assert set(stolen.stolen) == {"sid"}
    assert "same-origin frame at /api" in attack(trace, "xss_steal").explain
    replay = attack(trace, "replay")
    assert as_attack(replay).success


def test_http_only_is_what_keeps_a_path_scoped_cookie_from_script() -> None:
    trace = run("xss", "session", http_only="true", cookie_path="/api")
    steal = as_attack(attack(trace, "xss_steal"))
    assert steal.stolen == {}
    hidden = {row["name"]: row["reason"] for row in steal.extra["hidden"]}
    assert hidden["sid"].startswith("HttpOnly")


# -- XSS in hybrid mints a fresh access token -----------------------------------------------
def test_xss_in_hybrid_gets_a_fresh_access_token_from_the_refresh_endpoint() -> None:
    trace = run("xss", "hybrid")
    steal = attack(trace, "xss_steal")
    opening = next(e for e in trace.events if e.step == steal.step)
    before = opening.state  # before the injected script ran
    (refresh,) = [e for e in app_requests(trace, "/auth/refresh") if e.step == steal.step]
    answer = next(
        e
        for e in trace.events
        if e.kind == "response"
        and e.dst == "browser"
        and as_response(e).request_id == as_request(refresh).request_id
    )
    assert as_response(answer).status == 200
    assert any(c.name == "refresh" for c in as_request(refresh).carries)
    fresh = as_response(answer).body["access_token"]
    assert as_attack(steal).stolen["access_token"] == fresh
    assert steal.state.attacker["access_token"] == fresh
    assert before.memory["access_token"] != fresh  # minted now, not read from memory
    # Rotation handed the browser the new refresh cookie: reuse detection stays silent.
    cookie = next(c for c in steal.state.cookies if c.name == "refresh")
    assert cookie.value != next(c for c in before.cookies if c.name == "refresh").value
    assert as_attack(attack(trace, "replay")).success


# -- SameSite unset: Chromium's Lax by default, with its two-minute Lax+POST window ---------
@pytest.mark.parametrize(("wait", "carried"), [(0, True), (180, False)])
def test_a_cookie_with_no_samesite_rides_a_cross_site_post_only_in_its_first_minutes(
    wait: int, carried: bool
) -> None:
    steps = [Step("login", {}, ""), Step("wait", {"seconds": wait}, ""), Step("csrf", {}, "")]
    trace = simulate(steps, "session", same_site="unset")
    login = next(e for e in trace.events if e.kind == "response" and e.dst == "browser")
    assert "SameSite" not in dict(as_response(login).headers).get("Set-Cookie", "")
    (post,) = app_requests(trace, "/api/transfer")
    assert any(c.name == "sid" for c in as_request(post).carries) is carried
    assert as_attack(attack(trace, "csrf")).success is carried


# -- CSRF defences --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("defence", "forged", "own"),
    [
        ("none", 200, 200),
        ("token", 403, 200),
        ("origin-check", 403, 200),
        ("fetch-metadata", 403, 200),
    ],
)
def test_each_csrf_defence_stops_the_forged_post_and_lets_the_page_through(
    defence: str, forged: int, own: int
) -> None:
    steps = [Step("login", {}, ""), Step("transfer", {}, ""), Step("csrf", {}, "")]
    trace = simulate(steps, "session", same_site="None", csrf_defence=defence)
    statuses = [
        as_response(e).status
        for e in trace.events
        if e.kind == "response" and e.dst == "browser" and e.src != "attacker"
    ]
    assert statuses == [200, own, forged]


def test_fetch_metadata_cannot_refuse_what_a_plain_http_browser_does_not_label() -> None:
    """Chromium sends Sec-Fetch-* only to https URLs; the check lets an unlabelled request
    through (old browsers send none), so over http it stops nothing. The cookie rides
    the cross-site POST in its first two minutes (no SameSite attribute: Lax+POST)."""
    steps = [Step("login", {}, ""), Step("csrf", {}, "")]
    trace = simulate(
        steps,
        "session",
        same_site="unset",  # None needs Secure, which plain http cannot keep
        secure="false",
        scheme="http",
        csrf_defence="fetch-metadata",
    )
    (post,) = app_requests(trace, "/api/transfer")
    assert "Sec-Fetch-Site" not in headers_of(post)
    assert as_attack(attack(trace, "csrf")).success


def test_csrf_token_is_kept_as_an_alias_of_the_token_defence() -> None:
    assert resolve({"csrf_token": "true"})["csrf_defence"] == "token"
    assert resolve({"csrf_defence": "token"})["csrf_token"] == "true"
    explicit = resolve({"csrf_token": "true", "csrf_defence": "origin-check"})
    assert (explicit["csrf_defence"], explicit["csrf_token"]) == ("origin-check", "false")


# -- The headers Chromium adds ---------------------------------------------------------------
def test_the_browser_labels_every_request_as_chromium_does() -> None:
    steps = [
        Step("login", {}, ""),
        Step("profile", {}, ""),
        Step("csrf", {}, ""),
        Step("cross_site_fetch", {"kind": "subresource"}, ""),
        Step("reload", {}, ""),
    ]
    trace = simulate(steps, "session")
    login = headers_of(app_requests(trace, "/auth/login")[0])
    assert login["Origin"] == "https://app.example"  # a POST always says where it came from
    assert (login["Sec-Fetch-Site"], login["Sec-Fetch-Mode"], login["Sec-Fetch-Dest"]) == (
        "same-origin",
        "cors",
        "empty",
    )
    profile = headers_of(app_requests(trace, "/api/profile")[0])
    assert "Origin" not in profile  # a same-origin GET does not
    form = headers_of(app_requests(trace, "/api/transfer")[0])
    assert form["Origin"] == "https://evil.example"
    assert (form["Sec-Fetch-Site"], form["Sec-Fetch-Mode"], form["Sec-Fetch-Dest"]) == (
        "cross-site",
        "navigate",
        "document",
    )
    image = headers_of(app_requests(trace, "/api/profile")[1])
    assert "Origin" not in image  # a no-cors GET carries none
    assert (image["Sec-Fetch-Site"], image["Sec-Fetch-Mode"], image["Sec-Fetch-Dest"]) == (
        "cross-site",
        "no-cors",
        "image",
    )
    page = headers_of(app_requests(trace, "/")[-1])
    assert page["Sec-Fetch-Site"] == "none"  # the user reloaded: nobody else started it
    assert page["Sec-Fetch-Mode"] == "navigate"
