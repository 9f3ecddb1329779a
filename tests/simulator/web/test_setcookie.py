"""The Set-Cookie parser (RFC 6265bis 5.6) and the cookie-date algorithm."""

from __future__ import annotations

import calendar
import email.utils

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from authflow.simulator.web.setcookie import (
    ParsedSetCookie,
    SetCookieRejected,
    format_cookie_date,
    parse_cookie_date,
    parse_set_cookie,
)


def _utc(*fields: int) -> float:
    return float(calendar.timegm((*fields, 0, 0, 0)))


@pytest.mark.parametrize(
    ("line", "name", "value"),
    [
        ("sid=abc", "sid", "abc"),
        ("  sid  =  abc  ; Path=/", "sid", "abc"),
        ("a=b=c", "a", "b=c"),
        ("a=", "a", ""),
        ("justvalue", "", "justvalue"),
        ("=v", "", "v"),
        ("a=\tb\t", "a", "b"),
        ('q="quoted value"', "q", '"quoted value"'),
        ("a=1;;; ;Secure", "a", "1"),
    ],
)
def test_name_value(line: str, name: str, value: str) -> None:
    parsed = parse_set_cookie(line)
    assert (parsed.name, parsed.value) == (name, value)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("a=b\x00c", "control character in Set-Cookie"),
        ("a=b\r\nSet-Cookie: x=y", "control character in Set-Cookie"),
        ("a=\x7f", "control character in Set-Cookie"),
        ("", "empty name and value"),
        ("=", "empty name and value"),
        ("  =  ; Secure", "empty name and value"),
        ("; Path=/", "empty name and value"),
        ("a=" + "x" * 4096, "name and value are 4097 bytes (limit 4096)"),
        ("a=" + "é" * 2048, "name and value are 4097 bytes (limit 4096)"),
    ],
)
def test_rejections(line: str, reason: str) -> None:
    with pytest.raises(SetCookieRejected) as caught:
        parse_set_cookie(line)
    assert caught.value.reason == reason
    assert str(caught.value) == reason


def test_size_limit_is_inclusive() -> None:
    assert parse_set_cookie("a=" + "x" * 4095).size == 4096


def test_tab_is_not_a_control_character() -> None:
    assert parse_set_cookie("a=x\ty").value == "x\ty"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "a=1; SECURE; httponly; samesite=STRICT; PATH=/x; max-age=5; DoMaIn=.App.Example",
            ParsedSetCookie(
                name="a",
                value="1",
                max_age=5,
                domain="app.example",
                path="/x",
                has_path_attribute=True,
                secure=True,
                http_only=True,
                same_site="Strict",
                same_site_raw="STRICT",
            ),
        ),
        # Last attribute of a name wins.
        ("a=1; Path=/a; Path=/b", ParsedSetCookie("a", "1", path="/b", has_path_attribute=True)),
        ("a=1; Max-Age=10; Max-Age=20", ParsedSetCookie("a", "1", max_age=20)),
        ("a=1; Domain=x.example; Domain=y.example", ParsedSetCookie("a", "1", domain="y.example")),
        (
            "a=1; SameSite=Strict; SameSite=Lax",
            ParsedSetCookie("a", "1", same_site="Lax", same_site_raw="Lax"),
        ),
        # ...but an invalid Max-Age/Expires or empty Domain is ignored, not "last".
        ("a=1; Max-Age=10; Max-Age=x", ParsedSetCookie("a", "1", max_age=10)),
        ("a=1; Domain=x.example; Domain=", ParsedSetCookie("a", "1", domain="x.example")),
        # An invalid SameSite value means "no SameSite" even after a valid one.
        (
            "a=1; SameSite=Strict; SameSite=bogus",
            ParsedSetCookie("a", "1", same_site=None, same_site_raw="bogus"),
        ),
        # A relative or empty Path falls back to the default-path and still wins.
        ("a=1; Path=/x; Path=rel", ParsedSetCookie("a", "1", path=None, has_path_attribute=True)),
        ("a=1; Path=", ParsedSetCookie("a", "1", path=None, has_path_attribute=True)),
        # "Secure=false" still means Secure: the value is ignored.
        ("a=1; Secure=false", ParsedSetCookie("a", "1", secure=True)),
        ("a=1; Domain=.", ParsedSetCookie("a", "1", domain="")),
        ("a=1; Partitioned; Secure", ParsedSetCookie("a", "1", secure=True, partitioned=True)),
        ("a=1; Frobnicate=yes; Version=1", ParsedSetCookie("a", "1")),
        # An attribute value over 1024 bytes is ignored; the attributes after it are not.
        ("a=1; Path=/" + "x" * 1100, ParsedSetCookie("a", "1")),
        ("a=1; Path=/" + "x" * 1100 + "; Secure", ParsedSetCookie("a", "1", secure=True)),
        (
            "a=1; Path=/" + "x" * 1023,
            ParsedSetCookie("a", "1", path="/" + "x" * 1023, has_path_attribute=True),
        ),
        # An empty attribute is skipped, not the end of the line.
        ("a=1; ; HttpOnly", ParsedSetCookie("a", "1", http_only=True)),
        # Only SP and HTAB are trimmed (RFC 6265bis 5.6), not other white space.
        ("a=\u00a0b\u00a0", ParsedSetCookie("a", "\u00a0b\u00a0")),
    ],
)
def test_attributes(line: str, expected: ParsedSetCookie) -> None:
    assert parse_set_cookie(line) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0", 0),
        ("60", 60),
        ("-1", -1),
        ("007", 7),
        ("99999999999999999999999", 10**15),
        ("", None),
        ("+5", None),
        ("1.5", None),
        ("5s", None),
        ("-", None),
        (" 5", 5),  # whitespace around a value is trimmed first
        ("abc", None),
        ("9A", None),
        ("5:", None),
        ("123456789012345", 123456789012345),  # 15 digits: read as they are
        ("1234567890123456", 10**15),  # more: clamped before converting
    ],
)
def test_max_age_values(raw: str, expected: int | None) -> None:
    assert parse_set_cookie(f"a=1; Max-Age={raw}").max_age == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wed, 21 Oct 2026 07:28:00 GMT", _utc(2026, 10, 21, 7, 28, 0)),
        ("Wednesday, 21-Oct-26 07:28:00 GMT", _utc(2026, 10, 21, 7, 28, 0)),
        ("Wed Oct 21 07:28:00 2026", _utc(2026, 10, 21, 7, 28, 0)),
        ("21 october 2026 7:8:9", _utc(2026, 10, 21, 7, 8, 9)),
        ("Thu, 01 Jan 1970 00:00:00 GMT", 0.0),
        ("01-Jan-70 00:00:00", 0.0),
        ("01 Jan 69 00:00:00", _utc(2069, 1, 1, 0, 0, 0)),
        ("29 Feb 2028 12:00:00", _utc(2028, 2, 29, 12, 0, 0)),
        ("Sun, 06 Nov 1994 08:49:37 GMT+garbage", _utc(1994, 11, 6, 8, 49, 37)),
        ("31 Dec 9999 23:59:59", _utc(9999, 12, 31, 23, 59, 59)),
        # The first token of each kind wins; later look-alikes are skipped.
        ("21 Oct 2026 07:28:00 08:00:00 22 Nov 2027", _utc(2026, 10, 21, 7, 28, 0)),
        ("21 Oct 2026 00:00:00 08:00:00", _utc(2026, 10, 21, 0, 0, 0)),  # hour 0 is found
        ("21 Oct 00 00:00:00 2026", _utc(2000, 10, 21, 0, 0, 0)),  # year 00 is found
        ("00 Oct 2026 00:00:00 21", None),  # day 00 is found, and invalid
        ("  Wed, 21 Oct 2026 07:28:00 GMT", _utc(2026, 10, 21, 7, 28, 0)),  # leading delimiters
        # Two-digit years: 70-99 are 19xx, 00-69 are 20xx (RFC 6265 5.1.1 steps 3-4).
        ("01 Jan 99 00:00:00", _utc(1999, 1, 1, 0, 0, 0)),
        ("01 Jan 00 00:00:00", _utc(2000, 1, 1, 0, 0, 0)),
        ("01 Jan 100 00:00:00", None),  # a three-digit year is taken as it is: before 1601
        ("21 Oct 2026 23:59:60", None),  # no leap second
        # Invalid: the attribute is then ignored.
        ("", None),
        ("tomorrow", None),
        ("21 Oct 2026", None),  # no time
        ("07:28:00 2026 Oct", None),  # no day of month
        ("21 2026 07:28:00", None),  # no month
        ("31 Feb 2026 00:00:00", None),
        ("29 Feb 2027 00:00:00", None),
        ("32 Jan 2026 00:00:00", None),
        ("21 Oct 2026 24:00:00", None),
        ("21 Oct 2026 23:60:00", None),
        ("21 Oct 1600 00:00:00", None),
        ("0 Oct 2026 00:00:00", None),
    ],
)
def test_cookie_date(text: str, expected: float | None) -> None:
    assert parse_cookie_date(text) == expected


def test_invalid_expires_is_ignored() -> None:
    parsed = parse_set_cookie("a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Expires=soon")
    assert parsed.expires == _utc(2026, 10, 21, 7, 28, 0)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-11_644_473_600, max_value=253_402_300_799))
def test_format_then_parse_round_trips(unix: int) -> None:
    text = format_cookie_date(unix)
    # The standard library writes the same IMF-fixdate (RFC 9110 5.6.7).
    assert text == email.utils.formatdate(unix, usegmt=True)
    assert parse_cookie_date(text) == float(unix)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_cookie_date_never_raises(text: str) -> None:
    result = parse_cookie_date(text)
    assert result is None or isinstance(result, float)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_parser_parses_or_rejects_with_reason(line: str) -> None:
    reason = ""
    parsed: ParsedSetCookie | None = None
    try:
        parsed = parse_set_cookie(line)
    except SetCookieRejected as err:
        reason = err.reason
    if parsed is None:
        assert reason
    else:
        assert parsed.name or parsed.value
        assert parsed.size <= 4096


def test_every_weekday_and_month_is_named_as_http_dates_name_them() -> None:
    monday = _utc(2026, 1, 5, 0, 0, 0)
    days = [format_cookie_date(monday + 86400 * i)[:3] for i in range(7)]
    assert days == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    months = [format_cookie_date(_utc(2026, m, 1, 0, 0, 0))[8:11] for m in range(1, 13)]
    assert months == [
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "May",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
    ]
