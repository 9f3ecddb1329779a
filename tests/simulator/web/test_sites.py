"""URL parsing, origins, registrable domains and schemeful same-site."""

from __future__ import annotations

import pytest

from authflow.simulator.web.sites import (
    canonical_host,
    default_path,
    domain_match,
    is_public_suffix,
    is_secure_url,
    origin_of,
    parse_url,
    path_match,
    registrable_domain,
    same_site,
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://app.example/api/profile?x=1#f", ("https", "app.example", 443, "/api/profile")),
        ("http://App.Example", ("http", "app.example", 80, "/")),
        ("http://localhost:8000/login", ("http", "localhost", 8000, "/login")),
        ("https://app.example./", ("https", "app.example", 443, "/")),
        ("http://[::1]:5000/x", ("http", "::1", 5000, "/x")),
    ],
)
def test_parse_url(url: str, expected: tuple[str, str, int, str]) -> None:
    assert parse_url(url) == expected


@pytest.mark.parametrize("url", ["", "app.example/x", "/relative", "https://"])
def test_parse_url_rejects_non_absolute(url: str) -> None:
    with pytest.raises(ValueError, match="not an absolute URL"):
        parse_url(url)


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://app.example/api/profile", "https://app.example"),
        ("https://app.example:443/x", "https://app.example"),
        ("https://app.example:8443/x", "https://app.example:8443"),
        ("http://localhost:8000/", "http://localhost:8000"),
        ("HTTPS://EVIL.EXAMPLE", "https://evil.example"),
        ("http://[::1]:8080/", "http://[::1]:8080"),
    ],
)
def test_origin_of(url: str, origin: str) -> None:
    assert origin_of(url) == origin


@pytest.mark.parametrize(
    ("host", "site"),
    [
        ("app.example", "app.example"),
        ("api.app.example", "app.example"),
        ("a.b.api.app.example", "app.example"),
        ("evil.example", "evil.example"),
        ("example", "example"),
        ("localhost", "localhost"),
        ("app.localhost", "app.localhost"),
        ("www.bank.com", "bank.com"),
        ("shop.bank.co.uk", "bank.co.uk"),
        ("co.uk", "co.uk"),
        ("alice.github.io", "alice.github.io"),
        ("docs.alice.github.io", "alice.github.io"),
        ("github.io", "github.io"),
        ("app.test", "app.test"),
        ("x.y.unknowntld", "y.unknowntld"),
        ("127.0.0.1", "127.0.0.1"),
        ("::1", "::1"),
        ("App.Example.", "app.example"),
    ],
)
def test_registrable_domain(host: str, site: str) -> None:
    assert registrable_domain(host) == site


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ("example", True),
        ("com", True),
        ("co.uk", True),
        ("github.io", True),
        ("localhost", True),
        ("intranet", True),  # the PSL's implicit "*" rule
        ("app.example", False),
        ("bank.co.uk", False),
        ("alice.github.io", False),
        ("127.0.0.1", False),
        ("", False),
    ],
)
def test_is_public_suffix(domain: str, expected: bool) -> None:
    assert is_public_suffix(domain) is expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("https://app.example", "https://app.example/api", True),
        ("https://app.example", "https://api.app.example/x", True),
        ("https://app.example:8443", "https://app.example", True),  # ports do not count
        ("https://evil.example", "https://app.example/api/transfer", False),
        ("http://app.example", "https://app.example", False),  # schemeful same-site
        ("https://alice.github.io", "https://bob.github.io", False),
        ("https://a.bank.co.uk", "https://b.bank.co.uk", True),
        ("http://localhost:3000", "http://localhost:8000", True),
        ("wss://app.example", "https://app.example", True),
        ("null", "https://app.example", False),
        ("not a url", "https://app.example", False),
    ],
)
def test_same_site(a: str, b: str, expected: bool) -> None:
    assert same_site(a, b) is expected
    assert same_site(b, a) is expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://app.example/", True),
        ("http://app.example/", False),
        ("http://localhost:8000/", True),  # Chromium: potentially trustworthy
        ("http://app.localhost/", True),
        ("http://127.0.0.1/", True),
        ("http://[::1]/", True),
        ("http://10.0.0.1/", False),
        ("wss://app.example/", True),
    ],
)
def test_is_secure_url(url: str, expected: bool) -> None:
    assert is_secure_url(url) is expected


@pytest.mark.parametrize(
    ("host", "domain", "expected"),
    [
        ("app.example", "app.example", True),
        ("api.app.example", "app.example", True),
        ("app.example", "api.app.example", False),
        ("evilapp.example", "app.example", False),
        ("APP.example", "app.EXAMPLE", True),
        ("127.0.0.1", "0.0.1", False),
        ("127.0.0.1", "127.0.0.1", True),
    ],
)
def test_domain_match(host: str, domain: str, expected: bool) -> None:
    assert domain_match(host, domain) is expected


@pytest.mark.parametrize(
    ("request_path", "cookie_path", "expected"),
    [
        ("/", "/", True),
        ("/api/profile", "/", True),
        ("/api/profile", "/api", True),
        ("/api/profile", "/api/", True),
        ("/api", "/api", True),
        ("/apix", "/api", False),
        ("/api", "/api/", False),
        ("/api/profile", "/auth/refresh", False),
        ("/auth/refresh", "/auth/refresh", True),
        ("/auth/refresh/x", "/auth/refresh", True),
        ("/Auth/refresh", "/auth/refresh", False),  # paths are case-sensitive
    ],
)
def test_path_match(request_path: str, cookie_path: str, expected: bool) -> None:
    assert path_match(request_path, cookie_path) is expected


@pytest.mark.parametrize(
    ("request_path", "expected"),
    [
        ("/", "/"),
        ("/login", "/"),
        ("/auth/login", "/auth"),
        ("/auth/refresh/", "/auth/refresh"),
        ("/a/b/c", "/a/b"),
        ("", "/"),
        ("relative/x", "/"),
    ],
)
def test_default_path(request_path: str, expected: str) -> None:
    assert default_path(request_path) == expected


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        (" App.EXAMPLE ", "app.example"),
        ("[::1]", "::1"),
        ("[2001:DB8::1]", "2001:db8::1"),
        ("[::1", "[::1"),  # unbalanced brackets are not an IPv6 literal
        ("::1]", "::1]"),
        ("app.example.", "app.example"),
        ("app.example..", "app.example."),  # one trailing dot, not all of them
        (".", "."),
        ("", ""),
    ],
)
def test_canonical_host(host: str, expected: str) -> None:
    assert canonical_host(host) == expected
