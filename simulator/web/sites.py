"""URLs, origins and sites: the vocabulary the cookie jar and CORS rules are judged in.

A *site* is a scheme plus a registrable domain ("eTLD+1"). Chromium decides whether two
URLs are same-site "schemefully" (https://app.example and http://app.example are
cross-site), so `same_site` compares schemes too. The registrable domain comes from a
small built-in public-suffix list instead of the real Public Suffix List: the simulator
only ever talks about a handful of made-up and well-known hosts, and a fixed list keeps
it deterministic and dependency-free.
"""

from __future__ import annotations

import functools
import ipaddress
from urllib.parse import urlsplit

__all__ = [
    "DEFAULT_PORTS",
    "PUBLIC_SUFFIXES",
    "canonical_host",
    "default_path",
    "domain_match",
    "is_ip_address",
    "is_public_suffix",
    "is_secure_url",
    "origin_of",
    "parse_url",
    "path_match",
    "registrable_domain",
    "same_site",
    "site_of",
]

DEFAULT_PORTS: dict[str, int] = {"http": 80, "https": 443, "ws": 80, "wss": 443}

# A tiny slice of the Public Suffix List: every suffix a lesson may use. "example",
# "test", "localhost" and "invalid" are the RFC 2606/6761 reserved names the scenarios
# use; "github.io" is the classic private suffix (each user's pages are a separate site).
PUBLIC_SUFFIXES: frozenset[str] = frozenset(
    {
        "example",
        "test",
        "localhost",
        "invalid",
        "local",
        "com",
        "org",
        "net",
        "io",
        "dev",
        "app",
        "edu",
        "gov",
        "uk",
        "co.uk",
        "org.uk",
        "ac.uk",
        "github.io",
        "herokuapp.com",
        "vercel.app",
    }
)

# For "schemeful same-site" Chromium treats ws/wss as http/https.
_SITE_SCHEME = {"ws": "http", "wss": "https"}


def canonical_host(host: str) -> str:
    """Lower-case a host and drop one trailing dot (both spellings name the same host)."""
    host = host.strip().lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if host.endswith(".") and host != ".":
        host = host[:-1]
    return host


# These are pure functions of short strings, called for every cookie on every request;
# caching them takes the URL parsing out of the engine's per-request cost.
@functools.lru_cache(maxsize=4096)
def parse_url(url: str) -> tuple[str, str, int, str]:
    """Split an absolute URL into (scheme, host, port, path).

    The scheme and host come back lower-cased, the port falls back to the scheme's
    default, and the path is "/" when the URL has none; query and fragment are
    dropped (cookies match on the path alone). Raises ValueError for a URL without a
    scheme or host.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = canonical_host(parts.hostname or "")
    if not scheme or not host:
        raise ValueError(f"not an absolute URL: {url!r}")
    port = parts.port  # may itself raise ValueError for a bad port
    if port is None:
        port = DEFAULT_PORTS.get(scheme, 0)
    path = parts.path or "/"
    return scheme, host, port, path


@functools.lru_cache(maxsize=4096)
def origin_of(url: str) -> str:
    """The serialized origin of a URL: scheme://host, plus :port when not the default."""
    scheme, host, port, _ = parse_url(url)
    shown = f"[{host}]" if ":" in host else host
    if port and port != DEFAULT_PORTS.get(scheme):
        return f"{scheme}://{shown}:{port}"
    return f"{scheme}://{shown}"


@functools.lru_cache(maxsize=4096)
def is_ip_address(host: str) -> bool:
    """True for an IPv4 or IPv6 literal (such hosts have no registrable domain)."""
    try:
        ipaddress.ip_address(canonical_host(host))
    except ValueError:
        return False
    return True


@functools.lru_cache(maxsize=4096)
def is_public_suffix(domain: str) -> bool:
    """True when `domain` is itself a public suffix (a cookie may not be scoped to it)."""
    domain = canonical_host(domain)
    if not domain or is_ip_address(domain):
        return False
    if domain in PUBLIC_SUFFIXES:
        return True
    # The PSL's implicit "*" rule: an unknown single-label top-level domain is a suffix.
    return "." not in domain


@functools.lru_cache(maxsize=4096)
def registrable_domain(host: str) -> str:
    """The registrable domain (eTLD+1) of a host: app.example and api.app.example give
    app.example; evil.example gives evil.example; foo.github.io gives foo.github.io.

    An IP address, or a host that is itself a public suffix (localhost), is its own site.
    """
    host = canonical_host(host)
    if not host or is_ip_address(host) or is_public_suffix(host):
        return host
    labels = host.split(".")
    # Longest public suffix that ends the host; the PSL's "*" rule makes the last label
    # a suffix when nothing longer is listed.
    suffix_len = 1
    for i in range(1, len(labels)):
        if ".".join(labels[i:]) in PUBLIC_SUFFIXES:
            suffix_len = len(labels) - i
            break
    return ".".join(labels[-(suffix_len + 1) :])


@functools.lru_cache(maxsize=4096)
def site_of(url_or_origin: str) -> str:
    """The schemeful site of a URL or origin: "https://app.example"."""
    scheme, host, _, _ = parse_url(url_or_origin)
    scheme = _SITE_SCHEME.get(scheme, scheme)
    return f"{scheme}://{registrable_domain(host)}"


@functools.lru_cache(maxsize=4096)
def same_site(url_or_origin_a: str, url_or_origin_b: str) -> bool:
    """Schemeful same-site, as Chromium decides it: same scheme and same registrable
    domain (ports do not matter). An opaque origin ("null") or an unparsable value is
    never same-site with anything."""
    try:
        return site_of(url_or_origin_a) == site_of(url_or_origin_b)
    except ValueError:
        return False


@functools.lru_cache(maxsize=4096)
def is_secure_url(url: str) -> bool:
    """True when cookies treat the URL as secure: https/wss, or a loopback host.

    RFC 6265bis leaves "secure protocol" to the user agent; Chromium counts
    potentially-trustworthy origins, so http://localhost (and *.localhost, 127.0.0.0/8,
    [::1]) may set and receive Secure cookies, as developers expect on their laptop.
    """
    scheme, host, _, _ = parse_url(url)
    if scheme in ("https", "wss"):
        return True
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@functools.lru_cache(maxsize=4096)
def domain_match(host: str, domain: str) -> bool:
    """RFC 6265bis domain-match: identical, or `host` ends with "." + `domain` and is
    a host name (an IP address only matches itself)."""
    host = canonical_host(host)
    domain = canonical_host(domain)
    if host == domain:
        return True
    return bool(domain) and host.endswith("." + domain) and not is_ip_address(host)


def default_path(request_path: str) -> str:
    """RFC 6265bis default-path: the request path up to, not including, its last "/"."""
    if not request_path.startswith("/"):
        return "/"
    cut = request_path.rfind("/")
    if cut == 0:
        return "/"
    return request_path[:cut]


def path_match(request_path: str, cookie_path: str) -> bool:
    """RFC 6265bis path-match: identical, or `cookie_path` is a prefix of the request
    path ending at a "/" boundary (/api matches /api/x but not /apix)."""
    if request_path == cookie_path:
        return True
    if not request_path.startswith(cookie_path):
        return False
    return cookie_path.endswith("/") or request_path[len(cookie_path)] == "/"
