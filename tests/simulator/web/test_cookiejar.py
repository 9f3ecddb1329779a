"""The cookie jar: storage rules, rejection reasons, the exact Cookie header and
document.cookie, SameSite against the request context, expiry and housekeeping."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from authflow.simulator.trace.trace import CookieRow
from authflow.simulator.web.cookiejar import (
    LAX_ALLOW_UNSAFE_SECONDS,
    MAX_LIFETIME_SECONDS,
    SIM_EPOCH,
    CookieJar,
    LeftOut,
    StoreResult,
)
from authflow.simulator.web.setcookie import format_cookie_date

APP = "https://app.example"
EVIL = "https://evil.example"
DAY = 24 * 3600.0


def jar_with(*lines: str, url: str = APP + "/", now: float = 0.0) -> CookieJar:
    jar = CookieJar()
    for line in lines:
        result = jar.store(url, line, now=now)
        assert result.stored, (line, result.reason)
    return jar


def expires_at(t: float) -> str:
    """An Expires attribute value for simulated second `t`."""
    return format_cookie_date(SIM_EPOCH + t)


def test_sim_epoch_matches_the_clock() -> None:
    clock = pytest.importorskip("authflow.simulator.trace.clock")
    assert clock.START_EPOCH == SIM_EPOCH


# --- storing: rejections -------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "line", "reason"),
    [
        (APP + "/", "a=b\x00c", "control character in Set-Cookie"),
        (APP + "/", "a=b\nc", "control character in Set-Cookie"),
        (APP + "/", "=", "empty name and value"),
        (APP + "/", "", "empty name and value"),
        (APP + "/", "a=" + "x" * 4096, "name and value are 4097 bytes (limit 4096)"),
        (
            APP + "/",
            "=__Host-sid=1; Secure; Path=/",
            "nameless cookie whose value starts with __Secure- or __Host-",
        ),
        (APP + "/", "__secure-x", "nameless cookie whose value starts with __Secure- or __Host-"),
        (APP + "/", "a=1; Domain=example", "Domain example is a public suffix"),
        (APP + "/", "a=1; Domain=.example", "Domain example is a public suffix"),
        (APP + "/", "a=1; Domain=com", "Domain com is a public suffix"),
        (
            "https://alice.github.io/",
            "a=1; Domain=github.io",
            "Domain github.io is a public suffix",
        ),
        (
            APP + "/",
            "a=1; Domain=evil.example",
            "Domain evil.example does not match host app.example",
        ),
        (
            APP + "/",
            "a=1; Domain=api.app.example",
            "Domain api.app.example does not match host app.example",
        ),
        (
            "https://evilapp.example/",
            "a=1; Domain=app.example",
            "Domain app.example does not match host evilapp.example",
        ),
        (
            APP + "/",
            "a=1; Domain=app.example.",
            "Domain app.example. does not match host app.example",
        ),
        ("http://app.example/", "a=1; Secure", "Secure cookie set over http"),
        ("http://app.example/", "a=1; SameSite=None; Secure", "Secure cookie set over http"),
        (APP + "/", "a=1; SameSite=None", "SameSite=None requires Secure"),
        (APP + "/", "a=1; samesite=none; HttpOnly", "SameSite=None requires Secure"),
        (APP + "/", "__Secure-a=1", "__Secure- prefix requires Secure"),
        (APP + "/", "__SECURE-a=1; Path=/", "__Secure- prefix requires Secure"),
        ("http://app.example/", "__Secure-a=1; Secure", "Secure cookie set over http"),
        (APP + "/", "__Host-a=1; Path=/", "__Host- prefix requires Secure, no Domain and Path=/"),
        (APP + "/", "__Host-a=1; Secure", "__Host- prefix requires Secure, no Domain and Path=/"),
        (
            APP + "/auth/",
            "__Host-a=1; Secure; Path=/auth",
            "__Host- prefix requires Secure, no Domain and Path=/",
        ),
        (
            APP + "/",
            "__Host-a=1; Secure; Path=/; Domain=app.example",
            "__Host- prefix requires Secure, no Domain and Path=/",
        ),
        (
            APP + "/",
            "__host-a=1; Secure; Path=/; Domain=app.example",
            "__Host- prefix requires Secure, no Domain and Path=/",
        ),
        (APP + "/", "a=1; Max-Age=0", "Max-Age=0: no such cookie to delete"),
        (APP + "/", "a=1; Max-Age=-5", "Max-Age=-5: no such cookie to delete"),
        (
            APP + "/",
            "a=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
            "Expires in the past: no such cookie to delete",
        ),
    ],
)
def test_store_rejections(url: str, line: str, reason: str) -> None:
    jar = CookieJar()
    result = jar.store(url, line, now=0.0)
    assert result == StoreResult(False, None, reason, name=result.name)
    assert jar.rows(now=0.0) == ()


def test_rejection_reports_the_cookie_name() -> None:
    result = CookieJar().store(APP + "/", "sid=1; SameSite=None", now=0.0)
    assert result.name == "sid"
    assert not result.stored


@pytest.mark.parametrize(
    ("line", "same_site", "reason"),
    [
        ("a=1; SameSite=Strict; Secure", "Strict", "SameSite=Strict: set by a cross-site fetch"),
        ("a=1; SameSite=Lax", "Lax", "SameSite=Lax: set by a cross-site fetch"),
        (
            "a=1",
            "Lax",
            "SameSite=Lax: set by a cross-site fetch (no SameSite attribute, Lax by default)",
        ),
        (
            "a=1; SameSite=bogus",
            "Lax",
            "SameSite=Lax: set by a cross-site fetch (no SameSite attribute, Lax by default)",
        ),
    ],
)
def test_cross_site_fetch_response_cannot_set_lax_or_strict(
    line: str, same_site: str, reason: str
) -> None:
    jar = CookieJar()
    assert jar.store(APP + "/api", line, now=0.0, initiator=EVIL, kind="fetch").reason == reason
    assert jar.store(APP + "/api", line, now=0.0, initiator=EVIL, kind="subresource").reason == (
        reason.replace("fetch", "subresource")
    )
    # A cross-site top-level navigation (link, form) may set them.
    for kind in ("navigate", "form"):
        result = jar.store(APP + "/api", line, now=0.0, initiator=EVIL, kind=kind)
        assert result.stored, result.reason
        assert result.cookie is not None
        assert result.cookie.same_site == same_site
    # A same-site fetch may too.
    assert jar.store(APP + "/", line, now=0.0, initiator="https://api.app.example", kind="fetch")


def test_cross_site_fetch_may_set_samesite_none_unless_third_party_cookies_blocked() -> None:
    jar = CookieJar()
    line = "t=1; SameSite=None; Secure"
    assert jar.store(APP + "/", line, now=0.0, initiator=EVIL, kind="fetch").stored
    blocked = jar.store(
        APP + "/", line, now=0.0, initiator=EVIL, kind="fetch", third_party_blocked=True
    )
    assert (blocked.stored, blocked.reason) == (False, "third-party cookies blocked")
    # Blocking third-party cookies does not touch first-party responses.
    assert jar.store(APP + "/", line, now=0.0, kind="fetch", third_party_blocked=True).stored
    assert jar.store(
        APP + "/", line, now=0.0, initiator=EVIL, kind="navigate", third_party_blocked=True
    ).stored


def test_secure_cookie_cannot_be_overwritten_or_deleted_from_http() -> None:
    jar = jar_with("sid=good; Path=/; Secure; HttpOnly")
    for line in ("sid=evil", "sid=evil; Path=/", "sid=evil; Path=/deeper", "sid=; Max-Age=0"):
        result = jar.store("http://app.example/", line, now=1.0)
        assert (result.stored, result.reason) == (
            False,
            "cannot overwrite a Secure cookie over http",
        )
    # A sibling subdomain over http cannot shadow it with a Domain cookie either.
    shadow = jar.store("http://api.app.example/", "sid=evil; Domain=app.example", now=1.0)
    assert shadow.reason == "cannot overwrite a Secure cookie over http"
    # Another name, or a path the Secure cookie's path does not cover... name differs: fine.
    assert jar.store("http://app.example/", "other=1", now=1.0).stored
    assert jar.header_for(APP + "/", now=2.0) == "sid=good; other=1"


def test_secure_overwrite_rule_ignores_paths_outside_the_secure_cookie() -> None:
    jar = jar_with("sid=good; Path=/admin; Secure", url=APP + "/admin")
    # The new cookie's path (/) does not path-match /admin: allowed, they coexist.
    assert jar.store("http://app.example/", "sid=plain; Path=/", now=1.0).stored
    assert jar.header_for(APP + "/admin/x", now=2.0) == "sid=good; sid=plain"


def test_script_cannot_set_or_overwrite_httponly() -> None:
    jar = jar_with("sid=server; Path=/; HttpOnly; Secure")
    set_http_only = jar.store(APP + "/", "x=1; HttpOnly", now=1.0, from_script=True)
    assert set_http_only.reason == "HttpOnly cookie cannot be set by script"
    overwrite = jar.store(APP + "/", "sid=script; Path=/; Secure", now=1.0, from_script=True)
    assert overwrite.reason == "script cannot overwrite an HttpOnly cookie"
    delete = jar.store(APP + "/", "sid=; Path=/; Max-Age=0", now=1.0, from_script=True)
    assert delete.reason == "script cannot overwrite an HttpOnly cookie"
    # The server itself can still replace it.
    assert jar.store(APP + "/", "sid=new; Path=/; HttpOnly; Secure", now=1.0).stored
    assert jar.header_for(APP + "/", now=1.0) == "sid=new"
    # And script can write an ordinary cookie.
    theme = jar.store(APP + "/", "theme=dark", now=1.0, from_script=True)
    assert theme.stored
    assert jar.script_visible(APP + "/", now=1.0) == "theme=dark"


# --- storing: what gets stored ------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "line", "expected"),
    [
        (
            APP + "/auth/login",
            "sid=abc; Path=/; HttpOnly; Secure; SameSite=Lax",
            CookieRow("sid", "abc", "app.example", "/", None, True, True, "Lax", size=6),
        ),
        # Default path: the request path up to its last "/".
        (
            APP + "/auth/login",
            "a=1",
            CookieRow("a", "1", "app.example", "/auth", None, False, False, "Lax", True, size=2),
        ),
        (
            APP + "/login",
            "a=1; Path=relative",
            CookieRow("a", "1", "app.example", "/", None, False, False, "Lax", True, size=2),
        ),
        # Case-insensitive attribute names and SameSite values.
        (
            APP + "/",
            "a=1; SECURE; httponly; samesite=STRICT; PATH=/x; max-age=5",
            CookieRow("a", "1", "app.example", "/x", 5.0, True, True, "Strict", size=2),
        ),
        # Domain: leading dot stripped, lower-cased, not host-only.
        (
            "https://api.app.example/",
            "a=1; Domain=.APP.example; Path=/",
            CookieRow("a", "1", "app.example", "/", None, False, False, "Lax", True, False, size=2),
        ),
        # Domain equal to a public-suffix host: allowed as a host-only cookie.
        (
            "http://localhost:8000/",
            "a=1; Domain=localhost; Path=/",
            CookieRow("a", "1", "localhost", "/", None, False, False, "Lax", True, size=2),
        ),
        # Domain=<the IP itself>: host-only, as Chromium keeps it.
        (
            "http://127.0.0.1/",
            "a=1; Domain=127.0.0.1; Path=/",
            CookieRow("a", "1", "127.0.0.1", "/", None, False, False, "Lax", True, size=2),
        ),
        # "Domain=." leaves an empty domain: host-only.
        (
            APP + "/",
            "a=1; Domain=.",
            CookieRow("a", "1", "app.example", "/", None, False, False, "Lax", True, size=2),
        ),
        # Secure on http://localhost (potentially trustworthy, as in Chromium).
        (
            "http://localhost:8000/",
            "s=1; Secure; SameSite=None; Path=/",
            CookieRow("s", "1", "localhost", "/", None, False, True, "None", size=2),
        ),
        (
            APP + "/",
            "__Host-sid=1; Secure; Path=/; HttpOnly",
            CookieRow(
                "__Host-sid", "1", "app.example", "/", None, True, True, "Lax", True, size=11
            ),
        ),
        (
            APP + "/",
            "__Secure-id=1; Secure; Domain=app.example; Path=/",
            CookieRow(
                "__Secure-id",
                "1",
                "app.example",
                "/",
                None,
                False,
                True,
                "Lax",
                True,
                False,
                0.0,
                12,
            ),
        ),
        # Nameless cookies and trimming.
        (
            APP + "/",
            "  justvalue  ",
            CookieRow("", "justvalue", "app.example", "/", None, False, False, "Lax", True, size=9),
        ),
        # Invalid SameSite: treated as Lax, marked defaulted.
        (
            APP + "/",
            "a=1; SameSite=Lax; SameSite=Srtict",
            CookieRow("a", "1", "app.example", "/", None, False, False, "Lax", True, size=2),
        ),
        # The 4096-byte limit counts bytes of name plus value, inclusive.
        (
            APP + "/",
            "a=" + "x" * 4095,
            CookieRow(
                "a", "x" * 4095, "app.example", "/", None, False, False, "Lax", True, size=4096
            ),
        ),
    ],
)
def test_stored_rows(url: str, line: str, expected: CookieRow) -> None:
    jar = CookieJar()
    result = jar.store(url, line, now=0.0)
    assert result == StoreResult(True, expected, "", name=expected.name)
    assert jar.rows(now=0.0) == (expected,)


# --- expiry ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expires"),
    [
        ("a=1; Max-Age=60", 70.0),
        ("a=1; Max-Age=60; Expires=" + expires_at(5000), 70.0),  # Max-Age beats Expires
        ("a=1; Expires=" + expires_at(5000) + "; Max-Age=60", 70.0),
        ("a=1; Expires=" + expires_at(5000), 5000.0),
        ("a=1; Max-Age=abc; Expires=" + expires_at(5000), 5000.0),  # invalid Max-Age ignored
        ("a=1; Max-Age=1.5", None),
        ("a=1; Max-Age=+5", None),
        ("a=1; Max-Age=", None),
        ("a=1; Expires=someday", None),  # invalid Expires ignored
        ("a=1; Expires=31 Feb 2026 00:00:00", None),
        ("a=1; Max-Age=10; Max-Age=20", 30.0),  # last wins
        ("a=1; Max-Age=20; Max-Age=oops", 30.0),  # an invalid later one is ignored
        # Chromium caps lifetimes at 400 days, for Max-Age and Expires alike.
        ("a=1; Max-Age=99999999999", 10.0 + MAX_LIFETIME_SECONDS),
        ("a=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT", 10.0 + MAX_LIFETIME_SECONDS),
        ("a=1; Max-Age=34560000", 10.0 + 400 * DAY),
        ("a=1; Max-Age=34559999", 10.0 + 400 * DAY - 1),
    ],
)
def test_expiry(line: str, expires: float | None) -> None:
    jar = CookieJar()
    result = jar.store(APP + "/", line, now=10.0)
    assert result.cookie is not None
    assert result.cookie.expires == expires


def test_expires_uses_the_jar_epoch() -> None:
    jar = CookieJar(epoch=0.0)
    result = jar.store(APP + "/", "a=1; Expires=Thu, 01 Jan 1970 01:00:00 GMT", now=0.0)
    assert result.cookie is not None
    assert result.cookie.expires == 3600.0


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("sid=; Path=/; Max-Age=0", "Max-Age=0: cookie deleted"),
        ("sid=x; Path=/; Max-Age=-1", "Max-Age=-1: cookie deleted"),
        (
            "sid=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
            "Expires in the past: cookie deleted",
        ),
        ("sid=; Path=/; Expires=" + expires_at(100), "Expires in the past: cookie deleted"),
        # Max-Age=0 wins over a future Expires.
        ("sid=; Path=/; Expires=" + expires_at(9999) + "; Max-Age=0", "Max-Age=0: cookie deleted"),
    ],
)
def test_deletion(line: str, reason: str) -> None:
    jar = jar_with("sid=abc; Path=/; HttpOnly", "keep=1; Path=/")
    result = jar.store(APP + "/", line, now=100.0)
    assert (result.stored, result.deleted, result.reason) == (False, True, reason)
    assert result.cookie is not None
    assert (result.cookie.name, result.cookie.value) == ("sid", "abc")
    assert jar.header_for(APP + "/", now=100.0) == "keep=1"


def test_deletion_needs_the_same_path_and_domain() -> None:
    jar = jar_with("sid=abc; Path=/")
    result = jar.store(APP + "/", "sid=; Path=/api; Max-Age=0", now=1.0)
    assert (result.deleted, result.reason) == (False, "Max-Age=0: no such cookie to delete")
    result = jar.store(APP + "/", "sid=; Domain=app.example; Path=/; Max-Age=0", now=1.0)
    assert not result.deleted
    assert jar.header_for(APP + "/", now=1.0) == "sid=abc"


def test_expired_cookies_are_not_sent_and_are_purged() -> None:
    jar = jar_with("short=1; Max-Age=60", "long=2; Max-Age=3600", "session=3")
    assert jar.header_for(APP + "/", now=59.9) == "short=1; long=2; session=3"
    # Expired exactly at the expiry time (Chromium: now >= expiry).
    header, left_out = jar.header_with_reasons(APP + "/", now=60.0)
    assert header == "long=2; session=3"
    assert left_out == [LeftOut("short", "expired")]
    assert jar.script_visible(APP + "/", now=60.0) == "long=2; session=3"
    assert [r.name for r in jar.rows(now=60.0)] == ["long", "session"]
    assert len(jar.rows()) == 3  # still held until purged
    purged = jar.purge_expired(3600.0)
    assert [r.name for r in purged] == ["short", "long"]
    assert [r.name for r in jar.rows()] == ["session"]
    assert jar.purge_expired(1e9) == []


def test_an_expired_cookie_is_replaced_as_new() -> None:
    jar = jar_with("a=1; Max-Age=10")
    result = jar.store(APP + "/", "a=2", now=50.0)
    assert result.stored
    assert not result.replaced
    assert result.cookie is not None
    assert result.cookie.created == 50.0


def test_clear_session_cookies() -> None:
    jar = jar_with(
        "sid=1; Path=/",
        "remember=2; Path=/; Max-Age=604800",
        "pref=3; Path=/; Expires=" + expires_at(9e5),
    )
    cleared = jar.clear_session_cookies()
    assert [r.name for r in cleared] == ["sid"]
    assert jar.header_for(APP + "/", now=1.0) == "remember=2; pref=3"
    assert jar.clear_session_cookies() == []


# --- overwrite and order ----------------------------------------------------------------


def test_overwrite_with_the_same_value_keeps_creation_time_and_header_order() -> None:
    jar = CookieJar()
    assert jar.store(APP + "/", "a=1; Path=/", now=0.0).stored
    assert jar.store(APP + "/", "b=2; Path=/api", now=1.0).stored
    assert jar.store(APP + "/", "c=3; Path=/", now=2.0).stored
    assert jar.header_for(APP + "/api/profile", now=3.0) == "b=2; a=1; c=3"
    again = jar.store(APP + "/", "a=1; Path=/; Secure", now=5.0)
    assert again.stored
    assert again.replaced
    assert again.cookie is not None
    assert again.cookie.created == 0.0
    assert again.cookie.secure
    assert jar.header_for(APP + "/api/profile", now=6.0) == "b=2; a=1; c=3"
    assert [(r.name, r.created) for r in jar.rows(now=6.0)] == [("a", 0.0), ("b", 1.0), ("c", 2.0)]


def test_overwrite_with_a_new_value_is_a_new_cookie_as_in_chromium() -> None:
    # RFC 6265bis keeps the creation time on every overwrite; Chromium only when the
    # value is unchanged, so a new value goes behind older cookies of the same path.
    jar = CookieJar()
    assert jar.store(APP + "/", "a=1; Path=/", now=0.0).stored
    assert jar.store(APP + "/", "c=3; Path=/", now=2.0).stored
    again = jar.store(APP + "/", "a=9; Path=/", now=5.0)
    assert again.stored
    assert again.replaced
    assert again.cookie is not None
    assert again.cookie.created == 5.0
    assert jar.header_for(APP + "/", now=6.0) == "c=3; a=9"
    assert [(r.name, r.created) for r in jar.rows(now=6.0)] == [("c", 2.0), ("a", 5.0)]


def test_same_name_different_path_or_domain_are_different_cookies() -> None:
    jar = CookieJar()
    host = "https://api.app.example/"
    assert jar.store(host, "id=host; Path=/", now=0.0).stored
    assert jar.store(host, "id=domain; Domain=app.example; Path=/", now=1.0).stored
    assert jar.store(host, "id=deep; Path=/v1", now=2.0).stored
    assert jar.header_for(host + "v1/users", now=3.0) == "id=deep; id=host; id=domain"
    assert jar.header_for(APP + "/v1/users", now=3.0) == "id=domain"
    assert len(jar) == 3


def test_header_order_ties_break_by_insertion() -> None:
    jar = jar_with("z=1", "y=2", "x=3", "=bare")
    assert jar.header_for(APP + "/", now=0.0) == "z=1; y=2; x=3; bare"


# --- sending: scope (domain, path, secure) ---------------------------------------------


@pytest.fixture
def scoped() -> CookieJar:
    jar = CookieJar()
    lines = [
        (APP + "/auth/login", "sid=s1; Path=/; HttpOnly; Secure; SameSite=Lax"),
        (APP + "/auth/login", "refresh=r1; Path=/auth/refresh; HttpOnly; Secure; SameSite=Strict"),
        (APP + "/", "wide=w; Domain=app.example; Path=/"),
        (APP + "/", "theme=dark; Path=/"),
        (EVIL + "/", "tracker=t; Path=/; Secure; SameSite=None"),
    ]
    for i, (url, line) in enumerate(lines):
        assert jar.store(url, line, now=float(i)).stored
    return jar


@pytest.mark.parametrize(
    ("url", "header", "left_out"),
    [
        (
            APP + "/api/profile",
            "sid=s1; wide=w; theme=dark",
            [
                LeftOut("refresh", "Path /auth/refresh does not match /api/profile"),
                LeftOut("tracker", "Host-only cookie for evil.example does not match app.example"),
            ],
        ),
        (
            APP + "/auth/refresh",
            "refresh=r1; sid=s1; wide=w; theme=dark",
            [LeftOut("tracker", "Host-only cookie for evil.example does not match app.example")],
        ),
        (
            "https://api.app.example/auth/refresh",
            "wide=w",
            [
                LeftOut("sid", "Host-only cookie for app.example does not match api.app.example"),
                LeftOut(
                    "refresh", "Host-only cookie for app.example does not match api.app.example"
                ),
                LeftOut("theme", "Host-only cookie for app.example does not match api.app.example"),
                LeftOut(
                    "tracker", "Host-only cookie for evil.example does not match api.app.example"
                ),
            ],
        ),
        (
            "http://app.example/auth/refresh?x=1",
            "wide=w; theme=dark",
            [
                LeftOut("sid", "Secure cookie over http"),
                LeftOut("refresh", "Secure cookie over http"),
                LeftOut("tracker", "Host-only cookie for evil.example does not match app.example"),
            ],
        ),
        (
            EVIL + "/",
            "tracker=t",
            [
                LeftOut("sid", "Host-only cookie for app.example does not match evil.example"),
                LeftOut("refresh", "Host-only cookie for app.example does not match evil.example"),
                LeftOut("wide", "Domain app.example does not match evil.example"),
                LeftOut("theme", "Host-only cookie for app.example does not match evil.example"),
            ],
        ),
        (
            APP + "/auth/refreshX",
            "sid=s1; wide=w; theme=dark",
            [
                LeftOut("refresh", "Path /auth/refresh does not match /auth/refreshX"),
                LeftOut("tracker", "Host-only cookie for evil.example does not match app.example"),
            ],
        ),
    ],
)
def test_scope(scoped: CookieJar, url: str, header: str, left_out: list[LeftOut]) -> None:
    assert scoped.header_with_reasons(url, now=10.0) == (header, left_out)
    assert scoped.header_for(url, now=10.0) == header


def test_secure_cookies_go_to_http_localhost() -> None:
    jar = jar_with("s=1; Secure; Path=/", "p=2; Path=/", url="http://localhost:8000/")
    assert jar.header_for("http://localhost:8000/api", now=0.0) == "s=1; p=2"
    assert jar.header_for("http://localhost:3000/", now=0.0) == "s=1; p=2"  # ports do not count


@pytest.mark.parametrize(
    ("url", "visible"),
    [
        (APP + "/", "wide=w; theme=dark"),
        (APP + "/auth/refresh", "wide=w; theme=dark"),
        ("http://app.example/", "wide=w; theme=dark"),
        ("https://api.app.example/", "wide=w"),
        (EVIL + "/", "tracker=t"),
    ],
)
def test_document_cookie(scoped: CookieJar, url: str, visible: str) -> None:
    assert scoped.script_visible(url, now=10.0) == visible


def test_document_cookie_reasons() -> None:
    jar = jar_with(
        "sid=1; Path=/; HttpOnly", "s=2; Path=/; Secure", "p=3; Path=/deep", "v=4; Path=/"
    )
    visible, hidden = jar.script_visible_with_reasons("http://app.example/", now=0.0)
    assert visible == "v=4"
    assert hidden == [
        LeftOut("sid", "HttpOnly: hidden from script"),
        LeftOut("s", "Secure cookie over http"),
        LeftOut("p", "Path /deep does not match /"),
    ]
    assert jar.script_visible(APP + "/deep/page", now=0.0) == "p=3; s=2; v=4"


# --- sending: SameSite -------------------------------------------------------------------


@pytest.fixture
def samesite_jar() -> CookieJar:
    """strict, lax, dflt (no SameSite), none, all created at t=0 on app.example."""
    return jar_with(
        "strict=1; Path=/; Secure; SameSite=Strict",
        "lax=2; Path=/; Secure; SameSite=Lax",
        "dflt=3; Path=/; Secure",
        "none=4; Path=/; Secure; SameSite=None",
    )


STRICT_OUT = LeftOut("strict", "SameSite=Strict: cross-site request")
LATE = 1000.0  # well past the two-minute Lax+POST window


@pytest.mark.parametrize(
    ("initiator", "kind", "method", "now", "header", "left_out"),
    [
        # The user typed the URL or used a bookmark: same-site, everything goes.
        (None, "navigate", "GET", LATE, "strict=1; lax=2; dflt=3; none=4", []),
        (None, "form", "POST", LATE, "strict=1; lax=2; dflt=3; none=4", []),
        # Same-site initiators, even from a subdomain, any kind and method.
        (APP, "fetch", "POST", LATE, "strict=1; lax=2; dflt=3; none=4", []),
        (
            "https://api.app.example",
            "subresource",
            "GET",
            LATE,
            "strict=1; lax=2; dflt=3; none=4",
            [],
        ),
        # Cross-site top-level GET navigation: Lax (explicit or default) goes, Strict not.
        (EVIL, "navigate", "GET", LATE, "lax=2; dflt=3; none=4", [STRICT_OUT]),
        (EVIL, "navigate", "HEAD", LATE, "lax=2; dflt=3; none=4", [STRICT_OUT]),
        (EVIL, "form", "GET", LATE, "lax=2; dflt=3; none=4", [STRICT_OUT]),
        # Cross-site form POST (CSRF): only SameSite=None goes.
        (
            EVIL,
            "form",
            "POST",
            LATE,
            "none=4",
            [
                STRICT_OUT,
                LeftOut("lax", "SameSite=Lax: cross-site POST"),
                LeftOut(
                    "dflt", "SameSite=Lax: cross-site POST (Lax by default, older than 2 minutes)"
                ),
            ],
        ),
        # ...except Chromium's Lax+POST: defaulted-Lax cookies younger than 2 minutes.
        (
            EVIL,
            "form",
            "POST",
            LAX_ALLOW_UNSAFE_SECONDS,
            "dflt=3; none=4",
            [STRICT_OUT, LeftOut("lax", "SameSite=Lax: cross-site POST")],
        ),
        (
            EVIL,
            "form",
            "POST",
            LAX_ALLOW_UNSAFE_SECONDS + 0.5,
            "none=4",
            [
                STRICT_OUT,
                LeftOut("lax", "SameSite=Lax: cross-site POST"),
                LeftOut(
                    "dflt", "SameSite=Lax: cross-site POST (Lax by default, older than 2 minutes)"
                ),
            ],
        ),
        (
            EVIL,
            "navigate",
            "PUT",
            30.0,
            "dflt=3; none=4",
            [STRICT_OUT, LeftOut("lax", "SameSite=Lax: cross-site PUT")],
        ),
        # Cross-site fetch and subresource: Lax stays home whatever the method or age.
        (
            EVIL,
            "fetch",
            "GET",
            1.0,
            "none=4",
            [
                STRICT_OUT,
                LeftOut("lax", "SameSite=Lax: cross-site fetch"),
                LeftOut(
                    "dflt", "SameSite=Lax: cross-site fetch (no SameSite attribute, Lax by default)"
                ),
            ],
        ),
        (
            EVIL,
            "subresource",
            "GET",
            LATE,
            "none=4",
            [
                STRICT_OUT,
                LeftOut("lax", "SameSite=Lax: cross-site subresource"),
                LeftOut(
                    "dflt",
                    "SameSite=Lax: cross-site subresource (no SameSite attribute, Lax by default)",
                ),
            ],
        ),
        # Schemeful same-site: an http page of the same domain is cross-site.
        (
            "http://app.example",
            "fetch",
            "POST",
            LATE,
            "none=4",
            [
                STRICT_OUT,
                LeftOut("lax", "SameSite=Lax: cross-site fetch"),
                LeftOut(
                    "dflt", "SameSite=Lax: cross-site fetch (no SameSite attribute, Lax by default)"
                ),
            ],
        ),
        # An opaque origin is cross-site with everything.
        ("null", "navigate", "GET", LATE, "lax=2; dflt=3; none=4", [STRICT_OUT]),
    ],
)
def test_same_site(
    samesite_jar: CookieJar,
    initiator: str | None,
    kind: str,
    method: str,
    now: float,
    header: str,
    left_out: list[LeftOut],
) -> None:
    got = samesite_jar.header_with_reasons(
        APP + "/api/transfer", now=now, initiator=initiator, kind=kind, method=method
    )
    assert got == (header, left_out)
    assert (
        samesite_jar.header_for(
            APP + "/api/transfer", now=now, initiator=initiator, kind=kind, method=method
        )
        == header
    )


def test_method_is_case_insensitive(samesite_jar: CookieJar) -> None:
    header = samesite_jar.header_for(
        APP + "/", now=LATE, initiator=EVIL, kind="form", method="post"
    )
    assert header == "none=4"


def test_lax_post_window_counts_from_first_creation_of_the_same_value() -> None:
    jar = jar_with("dflt=1; Path=/")
    assert jar.store(APP + "/", "dflt=1; Path=/", now=100.0).stored  # same value at t=100

    def post(now: float) -> str:
        return jar.header_for(APP + "/", now=now, initiator=EVIL, kind="form", method="POST")

    assert post(120.0) == "dflt=1"
    assert post(121.0) == ""


def test_lax_post_window_restarts_for_a_new_value() -> None:
    jar = jar_with("dflt=1; Path=/")
    assert jar.store(APP + "/", "dflt=2; Path=/", now=100.0).stored  # a new value at t=100

    def post(now: float) -> str:
        return jar.header_for(APP + "/", now=now, initiator=EVIL, kind="form", method="POST")

    assert post(121.0) == "dflt=2"
    assert post(220.0) == "dflt=2"
    assert post(221.0) == ""


@pytest.mark.parametrize(
    ("initiator", "kind", "header", "left_out"),
    [
        (
            EVIL,
            "fetch",
            "",
            [
                STRICT_OUT,
                LeftOut("lax", "SameSite=Lax: cross-site fetch"),
                LeftOut(
                    "dflt", "SameSite=Lax: cross-site fetch (no SameSite attribute, Lax by default)"
                ),
                LeftOut("none", "third-party cookies blocked"),
            ],
        ),
        (
            EVIL,
            "subresource",
            "",
            [
                STRICT_OUT,
                LeftOut("lax", "SameSite=Lax: cross-site subresource"),
                LeftOut(
                    "dflt",
                    "SameSite=Lax: cross-site subresource (no SameSite attribute, Lax by default)",
                ),
                LeftOut("none", "third-party cookies blocked"),
            ],
        ),
        # Top-level navigations are first-party; blocking third-party cookies does not apply.
        (EVIL, "navigate", "lax=2; dflt=3; none=4", [STRICT_OUT]),
        # Same-site requests are untouched.
        (APP, "fetch", "strict=1; lax=2; dflt=3; none=4", []),
        (None, "subresource", "strict=1; lax=2; dflt=3; none=4", []),
    ],
)
def test_third_party_cookies_blocked(
    samesite_jar: CookieJar,
    initiator: str | None,
    kind: str,
    header: str,
    left_out: list[LeftOut],
) -> None:
    got = samesite_jar.header_with_reasons(
        APP + "/api", now=LATE, initiator=initiator, kind=kind, third_party_blocked=True
    )
    assert got == (header, left_out)


def test_samesite_does_not_affect_document_cookie(samesite_jar: CookieJar) -> None:
    assert samesite_jar.script_visible(APP + "/", now=LATE) == "strict=1; lax=2; dflt=3; none=4"


def test_unknown_kind_is_a_programming_error() -> None:
    jar = CookieJar()
    with pytest.raises(ValueError, match="unknown request kind"):
        jar.header_for(APP + "/", now=0.0, kind="xhr")
    with pytest.raises(ValueError, match="unknown request kind"):
        jar.store(APP + "/", "a=1", now=0.0, kind="xhr")


# --- housekeeping ---------------------------------------------------------------------


def test_copy_is_independent() -> None:
    jar = jar_with("a=1", "b=2")
    twin = jar.copy()
    assert twin.rows() == jar.rows()
    assert twin.store(APP + "/", "c=3", now=1.0).stored
    assert twin.store(APP + "/", "a=; Max-Age=0", now=1.0).deleted
    assert jar.header_for(APP + "/", now=1.0) == "a=1; b=2"
    assert twin.header_for(APP + "/", now=1.0) == "b=2; c=3"
    assert twin.epoch == jar.epoch


def test_clear_removes_everything() -> None:
    jar = jar_with("a=1", "b=2; Max-Age=100")
    assert [r.name for r in jar.clear()] == ["a", "b"]
    assert jar.rows() == ()


def test_rows_are_trace_rows_with_json() -> None:
    jar = jar_with("sid=abc; Path=/; HttpOnly; Secure; Max-Age=60", now=5.0)
    (row,) = jar.rows(now=5.0)
    assert row.to_json() == {
        "name": "sid",
        "value": "abc",
        "domain": "app.example",
        "path": "/",
        "expires": 65.0,
        "http_only": True,
        "secure": True,
        "same_site": "Lax",
        "same_site_defaulted": True,
        "host_only": True,
        "created": 5.0,
        "size": 6,
    }


# --- properties -------------------------------------------------------------------------

_TOKEN = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.!#$%&'*+^`|~",
    min_size=1,
    max_size=12,
)
_VALUE = st.text(alphabet="abcxyzABC0123456789-_.~+/%!#$&'()*:<>?@[]^`{|}\"", max_size=20)
_PATH = st.sampled_from(["/", "/api", "/api/", "/auth/refresh", "", "relative", "/a/b/c"])
_ATTRIBUTE = st.one_of(
    st.tuples(st.sampled_from(["Secure", "SECURE", "secure"]), st.sampled_from(["", "=false"])),
    st.tuples(st.sampled_from(["HttpOnly", "httponly"]), st.just("")),
    st.tuples(
        st.sampled_from(["SameSite", "samesite"]),
        st.sampled_from(["=Strict", "=Lax", "=None", "=none", "=bogus", "", "="]),
    ),
    st.tuples(
        st.sampled_from(["Domain", "domain"]),
        st.sampled_from(
            [
                "=app.example",
                "=.app.example",
                "=API.app.example",
                "=example",
                "=evil.example",
                "=",
                "=.",
                "=x.api.app.example",
            ]
        ),
    ),
    st.tuples(st.sampled_from(["Path", "path"]), _PATH.map(lambda p: "=" + p)),
    st.tuples(
        st.sampled_from(["Max-Age", "max-age"]),
        st.one_of(
            st.integers(min_value=-100, max_value=10**12).map(lambda n: f"={n}"),
            st.sampled_from(["=", "=x", "=1.5", "=+3"]),
        ),
    ),
    st.tuples(
        st.just("Expires"),
        st.one_of(
            st.floats(min_value=-1e6, max_value=1e9).map(
                lambda t: "=" + format_cookie_date(SIM_EPOCH + t)
            ),
            st.sampled_from(["=", "=never", "=Thu, 01 Jan 1970 00:00:00 GMT"]),
        ),
    ),
    st.tuples(st.sampled_from(["Partitioned", "Priority", "Version"]), st.sampled_from(["", "=1"])),
    st.tuples(_TOKEN, _VALUE.map(lambda v: "=" + v)),
)
_URLS = (
    "https://api.app.example/",
    "https://api.app.example/api/x",
    "http://api.app.example/auth/refresh",
    "http://localhost:8000/",
)
_URL = st.sampled_from(_URLS)
_KIND = st.sampled_from(["navigate", "form", "fetch", "subresource"])
_INITIATOR = st.sampled_from([None, APP, EVIL, "http://app.example", "null"])


@settings(max_examples=200, deadline=None)
@given(
    st.text(),
    _URL,
    _INITIATOR,
    _KIND,
    st.booleans(),
    st.booleans(),
    st.floats(min_value=0, max_value=1e7),
)
def test_any_text_stores_or_rejects_with_a_reason(
    line: str,
    url: str,
    initiator: str | None,
    kind: str,
    from_script: bool,
    blocked: bool,
    now: float,
) -> None:
    jar = CookieJar()
    result = jar.store(
        url,
        line,
        now=now,
        initiator=initiator,
        kind=kind,
        from_script=from_script,
        third_party_blocked=blocked,
    )
    assert isinstance(result, StoreResult)
    if result.stored:
        assert result.reason == ""
        assert result.cookie is not None
        assert jar.rows(now=now) == (result.cookie,)
    else:
        assert result.reason
        assert jar.rows() == ()
    jar.header_with_reasons(url, now=now, initiator=initiator, kind=kind)
    jar.script_visible(url, now=now)


@settings(max_examples=200, deadline=None)
@given(
    _TOKEN,
    _VALUE,
    st.lists(_ATTRIBUTE, max_size=8),
    _URL,
    st.floats(min_value=0, max_value=1e6),
)
# Expires 0.3 s after now: it has passed half a second later (this was flaky).
@example("a", "b", [("Expires", "=" + format_cookie_date(SIM_EPOCH + 1))], _URLS[0], 0.7)
def test_attribute_soup_round_trips(
    name: str, value: str, attributes: list[tuple[str, str]], url: str, now: float
) -> None:
    line = "; ".join([f"{name}={value}", *(k + v for k, v in attributes)])
    jar = CookieJar()
    result = jar.store(url, line, now=now)
    if not result.stored:
        assert result.reason
        assert result.cookie is None
        assert jar.rows() == ()
        return
    row = result.cookie
    assert row is not None
    assert (row.name, row.value) == (name, value)
    assert row.same_site in ("Strict", "Lax", "None")
    assert not (row.same_site == "None" and not row.secure)
    assert row.expires is None or now < row.expires <= now + MAX_LIFETIME_SECONDS
    assert row.path.startswith("/")
    scheme = "https" if row.secure else url.split(":", 1)[0]
    host = url.split("/")[2]
    target = f"{scheme}://{host}{row.path}"
    # The user's own request to the cookie's own path carries exactly this cookie...
    assert jar.header_for(target, now=now) == f"{name}={value}"
    header, left_out = jar.header_with_reasons(target, now=now)
    assert (header, left_out) == (f"{name}={value}", [])
    # ...and page script sees it unless it is HttpOnly.
    assert jar.script_visible(target, now=now) == ("" if row.http_only else f"{name}={value}")
    # Storing it again while it lives is an overwrite that keeps the creation time. Half
    # a second on, or sooner when it expires within that (an Expires date half a second
    # away would have passed, and the line would then delete nothing, not overwrite).
    later = now + 0.5 if row.expires is None else min(now + 0.5, (now + row.expires) / 2)
    if row.expires is None or later < row.expires:
        again = jar.store(url, line, now=later)
        assert again.stored
        assert again.replaced
        assert again.cookie is not None
        assert again.cookie.created == row.created
    # Once expired it is neither sent nor listed.
    if row.expires is not None:
        assert jar.header_for(target, now=row.expires + 1) == ""
        assert jar.rows(now=row.expires + 1) == ()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_TOKEN, _PATH), min_size=1, max_size=8))
def test_header_order_is_longest_path_then_oldest(cookies: list[tuple[str, str]]) -> None:
    jar = CookieJar()
    for t, (name, path) in enumerate(cookies):
        jar.store(APP + "/a/b/c/d", f"{name}=v{t}; Path={path}", now=float(t))
    request = APP + "/a/b/c/d"
    header = jar.header_for(request, now=100.0)
    sent = [
        r for r in jar.rows(now=100.0) if header and f"{r.name}={r.value}" in header.split("; ")
    ]
    expected = sorted(sent, key=lambda r: (-len(r.path), r.created))
    assert header == "; ".join(f"{r.name}={r.value}" for r in expected)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_remembered_headers_match_a_fresh_answer(data: st.DataObject) -> None:
    # The jar remembers what it answered for a request, and its soonest expiry, until a
    # cookie changes; any store, deletion, purge or passing of time must show.
    jar = CookieJar()
    now = 0.0
    for _ in range(data.draw(st.integers(0, 25))):
        op = data.draw(st.sampled_from(["store", "ask", "purge", "wait"]))
        if op == "store":
            attributes = data.draw(st.lists(_ATTRIBUTE, max_size=3))
            # Lifetimes on the scale of the waits, so cookies expire between questions.
            life = data.draw(st.sampled_from(["", "; Max-Age=0", "; Max-Age=1", "; Max-Age=90"]))
            name = data.draw(st.one_of(st.sampled_from(["a", "b", "c"]), _TOKEN))
            line = "; ".join([f"{name}={data.draw(_VALUE)}"] + [k + v for k, v in attributes])
            line += life
            jar.store(data.draw(_URL), line, now=now)
        elif op == "purge":
            before = jar.rows()
            gone = jar.purge_expired(now)
            assert all(row.expires is not None and row.expires <= now for row in gone)
            assert all(row.expires is None or row.expires > now for row in jar.rows())
            assert len(gone) + len(jar.rows()) == len(before)
        elif op == "wait":
            now += data.draw(st.sampled_from([0.0, 1.0, 119.0, 3600.0, 40 * DAY]))
        else:
            url, initiator, kind = data.draw(_URL), data.draw(_INITIATOR), data.draw(_KIND)
            method = data.draw(st.sampled_from(["GET", "POST"]))
            got = jar.header_with_reasons(
                url, now=now, initiator=initiator, kind=kind, method=method
            )
            fresh = jar.copy()  # a new jar has remembered nothing
            assert got == fresh.header_with_reasons(
                url, now=now, initiator=initiator, kind=kind, method=method
            )
            got[1].append(LeftOut("mine", "a caller's own list"))
            again = jar.header_with_reasons(
                url, now=now, initiator=initiator, kind=kind, method=method
            )
            assert again[1] == got[1][:-1]
