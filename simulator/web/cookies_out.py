"""How servers write Set-Cookie lines (the browser side lives in cookiejar.py)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType

from authflow.simulator.trace.clock import Clock

CREDENTIAL_ROLES: dict[str, str] = {
    "sid": "session",
    "access_token": "access",
    "refresh": "refresh",
}


COOKIE_PREFIXES = ("__Host-", "__Secure-")
"""RFC 6265bis name prefixes; browsers match them case-insensitively."""


def base_name(name: str) -> str:
    """A cookie's name without a __Host- or __Secure- prefix: __Host-sid is still sid."""
    for prefix in COOKIE_PREFIXES:
        if name[: len(prefix)].lower() == prefix.lower():
            return name[len(prefix) :]
    return name


def role_of_cookie(name: str) -> str:
    return CREDENTIAL_ROLES.get(base_name(name), "other")


def set_cookie_line(
    name: str,
    value: str,
    *,
    clock: Clock,
    path: str = "/",
    http_only: bool = True,
    secure: bool = True,
    same_site: str | None = "Lax",
    max_age: int | None = None,
    domain: str | None = None,
) -> str:
    """A Set-Cookie value as frameworks write it (Expires beside Max-Age for old clients);
    `domain` None leaves the cookie host-only."""
    parts = [f"{name}={value}", f"Path={path}"]
    if domain:
        parts.append(f"Domain={domain}")
    if max_age is not None:
        parts.append(f"Expires={clock.http_date(clock.epoch + max_age)}")
        parts.append(f"Max-Age={max_age}")
    if http_only:
        parts.append("HttpOnly")
    if secure:
        parts.append("Secure")
    if same_site:
        parts.append(f"SameSite={same_site}")
    return "; ".join(parts)


def clear_cookie_line(
    name: str,
    *,
    clock: Clock,
    path: str = "/",
    secure: bool = True,
    http_only: bool = True,
    same_site: str | None = "Lax",
    domain: str | None = None,
) -> str:
    """Deletion: same name, domain and path, Max-Age=0 (RFC 6265bis 5.7 step 22)."""
    parts = [f"{name}=", f"Path={path}", "Expires=Thu, 01 Jan 1970 00:00:00 GMT", "Max-Age=0"]
    if domain:
        parts.append(f"Domain={domain}")
    if http_only:
        parts.append("HttpOnly")
    if secure:
        parts.append("Secure")
    if same_site:
        parts.append(f"SameSite={same_site}")
    return "; ".join(parts)


# Servers parse the same Cookie header on request after request.
@functools.lru_cache(maxsize=256)
def parse_cookie_header(header: str | None) -> Mapping[str, str]:
    """Server-side parse of a Cookie header: first occurrence of a name wins (as most
    frameworks do; the browser sends the longest-path cookie first)."""
    out: dict[str, str] = {}
    if not header:
        return MappingProxyType(out)
    for part in header.split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name and name not in out:
            out[name] = value
    return MappingProxyType(out)
