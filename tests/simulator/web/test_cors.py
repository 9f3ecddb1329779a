"""simulator/web/cors.py: which cross-origin fetches need a preflight, what the server's CORS
policy answers, and when the browser lets the real request go (Fetch standard)."""

from __future__ import annotations

import pytest

from authflow.simulator.web.cors import CorsPolicy, needs_preflight, preflight_allows
from authflow.simulator.web.http import Request

APP = "https://app.example"
EVIL = "https://evil.example"


@pytest.mark.parametrize(
    ("method", "headers", "why"),
    [
        ("GET", [], []),
        ("HEAD", [], []),
        ("POST", [], []),
        ("PUT", [], ["method PUT"]),
        ("delete", [], ["method delete"]),
        # Headers the browser sets itself never make a request "not simple".
        (
            "GET",
            [
                ("Host", "app.example"),
                ("Cookie", "sid=1"),
                ("Origin", EVIL),
                ("Content-Length", "2"),
            ],
            [],
        ),
        ("GET", [("HOST", "x"), ("COOKIE", "a=b"), ("CONTENT-LENGTH", "0")], []),
        # ... and do not stop the check of the headers after them.
        ("GET", [("Cookie", "sid=1"), ("Authorization", "Bearer t")], ["header Authorization"]),
        ("GET", [("Accept", "application/json"), ("Accept-Language", "de")], []),
        ("POST", [("Content-Type", "application/json")], ["Content-Type application/json"]),
        ("POST", [("content-TYPE", "application/json")], ["Content-Type application/json"]),
        ("POST", [("Content-Type", "text/plain; charset=utf-8")], []),
        ("POST", [("Content-Type", "multipart/form-data; boundary=x")], []),
        ("PUT", [("X-CSRF-Token", "t")], ["method PUT", "header X-CSRF-Token"]),
    ],
)
def test_needs_preflight(method: str, headers: list[tuple[str, str]], why: list[str]) -> None:
    assert needs_preflight(method, headers) == why


def request(method: str, origin: str | None, *extra: tuple[str, str]) -> Request:
    headers = ((("Origin", origin),) if origin else ()) + extra
    return Request(method, APP + "/api/profile", headers)


@pytest.mark.parametrize("policy", ["none", "app-only", "any-with-credentials"])
def test_the_apps_own_origin_and_no_origin_get_no_cors_headers(policy: str) -> None:
    cors = CorsPolicy(policy, APP)
    assert cors.allows(APP)
    assert cors.response_headers(request("GET", APP)) == []
    assert cors.response_headers(request("GET", None)) == []


@pytest.mark.parametrize("policy", ["none", "app-only"])
def test_a_closed_policy_answers_other_origins_without_cors_headers(policy: str) -> None:
    cors = CorsPolicy(policy, APP)
    assert not cors.allows(EVIL)
    assert cors.response_headers(request("GET", EVIL)) == []
    assert cors.response_headers(request("OPTIONS", EVIL)) == []


def test_an_open_policy_allows_the_origin_with_credentials() -> None:
    cors = CorsPolicy("any-with-credentials", APP)
    assert cors.allows(EVIL)
    assert cors.response_headers(request("GET", EVIL)) == [
        ("Access-Control-Allow-Origin", EVIL),
        ("Access-Control-Allow-Credentials", "true"),
        ("Vary", "Origin"),
    ]
    preflight = cors.response_headers(
        request("OPTIONS", EVIL, ("Access-Control-Request-Headers", "authorization"))
    )
    assert preflight[3:] == [
        ("Access-Control-Allow-Methods", "GET, POST"),
        ("Access-Control-Allow-Headers", "authorization"),
    ]
    plain = cors.response_headers(request("OPTIONS", EVIL))
    assert plain[-1] == ("Access-Control-Allow-Headers", "Content-Type")


@pytest.mark.parametrize(
    ("headers", "credentials", "ok", "why"),
    [
        ([], True, False, "the response has no Access-Control-Allow-Origin header"),
        (
            [("Access-Control-Allow-Origin", APP)],
            False,
            False,
            f"Access-Control-Allow-Origin is {APP}, not {EVIL}",
        ),
        ([("Access-Control-Allow-Origin", "*")], False, True, f"the server allows {EVIL}"),
        (
            [("Access-Control-Allow-Origin", "*")],
            True,
            False,
            "Access-Control-Allow-Origin is the wildcard *, which a request with credentials "
            "may not use",
        ),
        (
            [("Access-Control-Allow-Origin", EVIL)],
            True,
            False,
            "credentials were not allowed (no Access-Control-Allow-Credentials: true)",
        ),
        (
            [("Access-Control-Allow-Origin", EVIL), ("Access-Control-Allow-Credentials", "yes")],
            True,
            False,
            "credentials were not allowed (no Access-Control-Allow-Credentials: true)",
        ),
        (
            [("Access-Control-Allow-Origin", EVIL), ("Access-Control-Allow-Credentials", "true")],
            True,
            True,
            f"the server allows {EVIL}",
        ),
        ([("Access-Control-Allow-Origin", EVIL)], False, True, f"the server allows {EVIL}"),
    ],
)
def test_preflight_allows(
    headers: list[tuple[str, str]], credentials: bool, ok: bool, why: str
) -> None:
    allowed, reason = preflight_allows(headers, EVIL, credentials)
    assert allowed is ok
    assert reason == why


def test_wildcard_policy_answers_star_with_credentials_and_the_browser_refuses() -> None:
    headers = CorsPolicy("wildcard-with-credentials", APP).response_headers(request("GET", EVIL))
    assert ("Access-Control-Allow-Origin", "*") in headers
    assert ("Access-Control-Allow-Credentials", "true") in headers
    assert preflight_allows(headers, EVIL, with_credentials=True)[0] is False
    assert preflight_allows(headers, EVIL, with_credentials=False)[0] is True


def test_null_allowed_admits_only_the_opaque_origin() -> None:
    cors = CorsPolicy("null-allowed", APP)
    assert cors.response_headers(request("GET", EVIL)) == []
    headers = cors.response_headers(request("GET", "null"))
    assert ("Access-Control-Allow-Origin", "null") in headers
    assert preflight_allows(headers, "null", with_credentials=True)[0] is True
