"""cookie-prefixes: what a sibling subdomain can toss into app.example's cookies, and
what the __Host- and __Secure- prefixes refuse."""

from __future__ import annotations

from factories import simulate
from lesson_trace import attack, events, header, requests, run, step_index, verdicts

from authflow.simulator.trace.details import as_response
from authflow.simulator.trace.trace import Step, Trace


def _tosses(t: Trace) -> list[dict[str, object]]:
    return [dict(attack(t, i)) for i, s in enumerate(t.steps) if s.action == "toss_cookie"]


def _profile_user(t: Trace, nth: int) -> str | None:
    (check,) = verdicts(t, step_index(t, "profile", nth), "session")
    return None if not check["ok"] else str(check["user"])


def test_prefix_rules_refuse_the_subdomains_prefixed_cookies() -> None:
    t = run("cookie-prefixes", "session")
    host, secure, plain, shadow = _tosses(t)
    assert host["reaches_app"] is False
    assert host["reason"] == "__Host- prefix requires Secure, no Domain and Path=/"
    assert secure["reaches_app"] is False
    assert secure["reason"] == "__Secure- prefix requires Secure"
    assert plain["reaches_app"] is True
    assert shadow["reaches_app"] is True
    assert not {c.name for c in t.events[-1].state.cookies} & {"__Host-sid", "__Secure-sid"}


def test_a_plain_cookie_is_shadowed_by_a_longer_path() -> None:
    t = run("cookie-prefixes", "session")
    *_, plain, shadow = _tosses(t)
    assert plain["overwrote"] is False  # the app's sid is host-only: both are kept
    assert _profile_user(t, 1) == "alice"
    second = requests(t, step_index(t, "profile", 2), "/api/profile")[0]
    cookie = header(second, "Cookie")
    assert cookie is not None
    tossed = str(shadow["set_cookie"]).split(";")[0]
    assert cookie.startswith(tossed + "; sid=")  # Path=/api goes first
    assert _profile_user(t, 2) == "bob"


def test_a_domain_cookie_of_the_app_is_overwritten() -> None:
    t = run("cookie-prefixes", "session", cookie_domain="app.example")
    *_, plain, _shadow = _tosses(t)
    assert plain["overwrote"] is True
    assert _profile_user(t, 1) == "bob"


def test_host_prefix_keeps_alices_session() -> None:
    t = run("cookie-prefixes", "session", cookie_prefix="__Host-")
    login = requests(t, step_index(t, "profile", 2), "/api/profile")[0]
    assert "__Host-sid=" in str(header(login, "Cookie"))
    assert _profile_user(t, 1) == "alice"
    assert _profile_user(t, 2) == "alice"


def test_the_apps_own_cookie_breaking_the_host_rules_is_refused() -> None:
    for broken in ({"cookie_path": "/api"}, {"cookie_domain": "app.example"}, {"secure": "false"}):
        t = run("cookie-prefixes", "session", cookie_prefix="__Host-", **broken)
        i = step_index(t, "login")
        (answer,) = [e for e in events(t, i, "response") if e.dst == "browser"]
        (carry,) = as_response(answer).carries
        assert carry.rejected, broken
        assert carry.reason == "__Host- prefix requires Secure, no Domain and Path=/"
        assert _profile_user(t, 1) is None


def test_secure_prefix_alone_does_not_stop_tossing() -> None:
    steps = (
        Step("login", {}, ""),
        Step("toss_cookie", {"name": "__Secure-sid", "path": "/api"}, ""),
        Step("profile", {}, ""),
    )
    t = simulate(steps, "session", cookie_prefix="__Secure-")
    assert attack(t, 1)["reaches_app"] is True
    assert _profile_user(t, 1) == "bob"
