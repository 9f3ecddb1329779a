"""Cookie-jar rules at their edges: Max-Age=1, the "leave Secure cookies alone" rule
across parent and child domains and after expiry, cookies made in the same second,
default arguments of header_for, and Chromium's two-minute Lax-by-default window late
in a run. Each pins a case a mutant of simulator/web/cookiejar.py changed unnoticed."""

from __future__ import annotations

from authflow.simulator.web.cookiejar import LAX_ALLOW_UNSAFE_SECONDS, CookieJar

APP = "https://app.example"
EVIL = "https://evil.example"


def test_max_age_one_keeps_the_cookie_for_one_second() -> None:
    jar = CookieJar()
    result = jar.store(APP + "/", "a=1; Max-Age=1", now=100.0)
    assert result.stored
    assert result.cookie is not None
    assert result.cookie.expires == 101.0
    assert jar.header_for(APP + "/", now=100.5) == "a=1"
    assert jar.header_for(APP + "/", now=101.0) == ""


def test_deleting_a_cookie_names_it() -> None:
    jar = CookieJar()
    jar.store(APP + "/", "a=1", now=0.0)
    deleted = jar.store(APP + "/", "a=; Max-Age=0", now=1.0)
    assert (deleted.stored, deleted.deleted, deleted.name) == (False, True, "a")
    assert deleted.reason == "Max-Age=0: cookie deleted"
    assert jar.rows() == ()


def test_an_insecure_child_domain_cannot_shadow_a_secure_parent_cookie() -> None:
    jar = CookieJar()
    assert jar.store(APP + "/", "sid=1; Secure; Domain=app.example", now=0.0).stored
    shadow = jar.store("http://sub.app.example/", "sid=evil", now=1.0)
    assert not shadow.stored
    assert shadow.reason == "cannot overwrite a Secure cookie over http"


def test_an_expired_secure_cookie_no_longer_guards_its_name() -> None:
    jar = CookieJar()
    assert jar.store(APP + "/", "sid=1; Secure; Max-Age=10", now=0.0).stored
    assert jar.store("http://app.example/", "sid=2", now=20.0).stored
    assert jar.header_for("http://app.example/", now=20.0) == "sid=2"


def test_cookies_made_in_the_same_second_keep_their_order() -> None:
    jar = CookieJar()
    for name in ("c", "a", "b"):
        assert jar.store(APP + "/", f"{name}=1", now=5.0).stored
    assert jar.header_for(APP + "/", now=5.0) == "c=1; a=1; b=1"
    assert [r.name for r in jar.rows()] == ["c", "a", "b"]


def test_header_for_defaults_to_a_get_and_passes_third_party_blocking_on() -> None:
    jar = CookieJar()
    jar.store(APP + "/", "lax=1; SameSite=Lax; Secure", now=0.0)
    jar.store(APP + "/", "open=1; SameSite=None; Secure", now=0.0)
    # A cross-site top-level navigation is a GET unless told otherwise: Lax rides.
    assert jar.header_for(APP + "/", now=1.0, initiator=EVIL) == "lax=1; open=1"
    blocked = jar.header_for(
        APP + "/", now=1.0, initiator=EVIL, kind="subresource", third_party_blocked=True
    )
    assert blocked == ""
    assert jar.header_for(APP + "/", now=1.0, initiator=EVIL, kind="subresource") == "open=1"


def test_lax_by_default_rides_a_cross_site_post_for_two_minutes_after_its_creation() -> None:
    jar = CookieJar()
    jar.store(APP + "/", "sid=1; Secure", now=1000.0)  # no SameSite: Lax by default

    def post(now: float) -> str:
        return jar.header_for(APP + "/", now=now, initiator=EVIL, kind="form", method="POST")

    assert post(1000.0 + LAX_ALLOW_UNSAFE_SECONDS) == "sid=1"
    assert post(1000.0 + LAX_ALLOW_UNSAFE_SECONDS + 1) == ""


def test_a_cookie_is_purged_at_the_very_second_it_expires() -> None:
    jar = CookieJar()
    jar.store(APP + "/", "a=1; Max-Age=10", now=0.0)
    jar.store(APP + "/", "b=1; Max-Age=20", now=0.0)
    assert jar.purge_expired(9.0) == []
    assert [r.name for r in jar.purge_expired(10.0)] == ["a"]
    assert [r.name for r in jar.rows()] == ["b"]
