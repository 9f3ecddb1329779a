"""The simulated browser's cookie jar, after RFC 6265bis and current Chromium.

`CookieJar.store` applies one Set-Cookie line (RFC 6265bis 5.7: domain, path, Secure,
HttpOnly, SameSite, prefixes, overwrite rules, deletion) and says why when it refuses
one, like the "blocked" reasons of a browser's devtools. `header_with_reasons` builds
the exact Cookie header for a request (RFC 6265bis 5.8.3) and says, for every cookie
left out, why. Where the RFC leaves a choice the jar does what Chromium does, and the
comment at that spot says so. Time is simulated: every method takes `now` (simulated
seconds); Expires dates are mapped onto that clock through `epoch`.

Not modelled: per-domain and global cookie-count eviction (Chromium keeps 180 per
domain), partitioned (CHIPS) cookie keys, and non-ASCII domain names.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from authflow.simulator.trace.trace import CookieRow
from authflow.simulator.web.setcookie import SetCookieRejected, parse_set_cookie
from authflow.simulator.web.sites import (
    default_path,
    domain_match,
    is_ip_address,
    is_public_suffix,
    is_secure_url,
    parse_url,
    path_match,
    same_site,
)

__all__ = [
    "LAX_ALLOW_UNSAFE_SECONDS",
    "MAX_LIFETIME_SECONDS",
    "REQUEST_KINDS",
    "SIM_EPOCH",
    "CookieJar",
    "LeftOut",
    "StoreResult",
]

# Simulated second 0 is this Unix time (2026-01-01 09:00:00 UTC), the same value as
# simulator.trace.clock.START_EPOCH (a test keeps them equal; kept literal so the jar has no
# import-time dependency on the clock). An `Expires` date becomes simulated seconds by
# subtracting it.
SIM_EPOCH: float = 1_767_258_000.0

# RFC 6265bis lets the user agent cap a cookie's lifetime ("SHOULD be 400 days or
# less"); Chromium caps both Max-Age and Expires at exactly 400 days from now.
MAX_LIFETIME_SECONDS: float = 400 * 24 * 3600.0

# Chromium's "Lax+POST" intervention: a cookie that got SameSite=Lax only because it
# had no SameSite attribute is still sent on a cross-site top-level POST for two
# minutes after it was created, so single-sign-on flows that POST back to the site
# right after setting a cookie kept working when Lax became the default.
LAX_ALLOW_UNSAFE_SECONDS: float = 120.0

REQUEST_KINDS: tuple[str, ...] = ("navigate", "form", "fetch", "subresource")
# Top-level navigations ("form" is a submitted form, which navigates the tab).
_TOP_LEVEL = frozenset({"navigate", "form"})
# Safe methods per RFC 9110 9.2.1, as Chromium's HttpUtil::IsMethodSafe lists them.
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

_Key = tuple[str, str, bool, str]
"""A cookie's identity in the store: name, domain, host-only flag, path."""


class LeftOut(NamedTuple):
    """A cookie of the jar that a request (or document.cookie) did not get, and why."""

    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class StoreResult:
    """What happened to one Set-Cookie line.

    - stored: the cookie is now in the jar (`cookie` is its row, `reason` is "").
    - deleted: the line expired an existing cookie (Max-Age<=0 or a past Expires);
      `cookie` is the row removed, `reason` says which attribute did it.
    - otherwise the line was rejected or deleted nothing; `reason` says why and
      `cookie` is None.
    """

    stored: bool
    cookie: CookieRow | None
    reason: str
    deleted: bool = False
    name: str = ""
    """The cookie name the line carried ("" when it could not be parsed or had none)."""
    replaced: bool = False
    """True when a stored cookie overwrote one with the same name, domain and path."""


@dataclass(frozen=True, slots=True)
class _Entry:
    row: CookieRow
    seq: int
    """Insertion counter: breaks ties between cookies created at the same second."""


def _is_expired(row: CookieRow, now: float) -> bool:
    # Chromium's CanonicalCookie::IsExpired: expired once now reaches the expiry time.
    return row.expires is not None and now >= row.expires


def _serialize(row: CookieRow) -> str:
    # A nameless cookie is sent as its bare value, as Chromium does (RFC 6265bis 5.8.3).
    return f"{row.name}={row.value}" if row.name else row.value


def _lax_by_default(row: CookieRow) -> str:
    return " (no SameSite attribute, Lax by default)" if row.same_site_defaulted else ""


class CookieJar:
    """A browser's cookie store. Deterministic: time is always passed in as `now`."""

    def __init__(self, *, epoch: float = SIM_EPOCH) -> None:
        self.epoch = epoch
        self._cookies: dict[_Key, _Entry] = {}
        self._seq = 0
        self._soonest: float | None = None
        """Earliest expiry among the cookies, or None when it must be looked up again."""
        self._sent: dict[tuple[object, ...], tuple[str, tuple[LeftOut, ...]]] = {}
        """header_with_reasons answers since the jar last changed: a page sends the same
        request again and again, and the answer depends only on its arguments and the
        cookies (expiry and Chromium's Lax+POST window through `now`, part of the key)."""

    # --- storing ------------------------------------------------------------------

    def store(
        self,
        url: str,
        set_cookie_header: str,
        *,
        now: float,
        initiator: str | None = None,
        from_script: bool = False,
        third_party_blocked: bool = False,
        kind: str = "navigate",
    ) -> StoreResult:
        """Apply one Set-Cookie line received for `url` (or a document.cookie write
        when `from_script`). `initiator` is the origin of the page that caused the
        response (None: the user typed the URL); `kind` the request's kind, which
        decides whether a cross-site response may set SameSite Lax/Strict cookies."""
        _check_kind(kind)
        now = float(now)
        _, host, _, request_path = parse_url(url)
        secure_url = is_secure_url(url)
        try:
            parsed = parse_set_cookie(set_cookie_header)
        except SetCookieRejected as err:
            return StoreResult(False, None, err.reason)
        name = parsed.name

        def reject(reason: str) -> StoreResult:
            return StoreResult(False, None, reason, name=name)

        # RFC 6265bis 5.7 step 5: a nameless cookie must not pose as a prefixed one,
        # or "=__Host-x" would be sent as "__Host-x" and a server could not tell.
        if not name and parsed.value.lower().startswith(("__secure-", "__host-")):
            return reject("nameless cookie whose value starts with __Secure- or __Host-")

        # Expiry: a valid Max-Age beats Expires (RFC 6265bis 5.7 step 8).
        expires: float | None = None
        expired_by = ""
        if parsed.max_age is not None:
            if parsed.max_age <= 0:
                expired_by = f"Max-Age={parsed.max_age}"
            else:
                expires = now + min(float(parsed.max_age), MAX_LIFETIME_SECONDS)
        elif parsed.expires is not None:
            at = parsed.expires - self.epoch
            if at <= now:
                expired_by = "Expires in the past"
            else:
                expires = min(at, now + MAX_LIFETIME_SECONDS)

        # Domain (RFC 6265bis 5.7 steps 9-11).
        domain, host_only = host, True
        if parsed.domain:
            wanted = parsed.domain
            if wanted.endswith("."):
                # Chromium refuses a Domain attribute with a trailing dot (the host it
                # names is not the request's host spelled without one).
                return reject(f"Domain {wanted} does not match host {host}")
            if is_public_suffix(wanted):
                # A public suffix is only allowed as the host itself, as a host-only
                # cookie (e.g. Domain=localhost on http://localhost).
                if wanted != host:
                    return reject(f"Domain {wanted} is a public suffix")
            elif not domain_match(host, wanted):
                return reject(f"Domain {wanted} does not match host {host}")
            elif not is_ip_address(host):
                # Chromium keeps a Domain=<the IP itself> cookie host-only.
                domain, host_only = wanted, False

        path = parsed.path if parsed.path is not None else default_path(request_path)

        if parsed.secure and not secure_url:
            return reject("Secure cookie set over http")
        if parsed.http_only and from_script:
            return reject("HttpOnly cookie cannot be set by script")

        same_site_value = parsed.same_site or "Lax"
        defaulted = parsed.same_site is None
        if parsed.same_site == "None" and not parsed.secure:
            # Chromium rejects SameSite=None without Secure outright (since M80).
            return reject("SameSite=None requires Secure")

        # Cookie name prefixes. The RFC now matches them case-insensitively, and so
        # does Chromium; Chromium also wants no Domain attribute at all for __Host-.
        lowered = name.lower()
        if lowered.startswith("__secure-") and not parsed.secure:
            return reject("__Secure- prefix requires Secure")
        if lowered.startswith("__host-") and not (
            parsed.secure and parsed.domain is None and parsed.path == "/"
        ):
            return reject("__Host- prefix requires Secure, no Domain and Path=/")

        # SameSite rules for *setting* (RFC 6265bis 5.7 step 15): a cross-site
        # response may set Lax/Strict cookies only on a top-level navigation.
        cross_site = initiator is not None and not same_site(initiator, url)
        if cross_site and not from_script and kind not in _TOP_LEVEL:
            if same_site_value != "None":
                why = " (no SameSite attribute, Lax by default)" if defaulted else ""
                return reject(f"SameSite={same_site_value}: set by a cross-site {kind}{why}")
            if third_party_blocked:
                return reject("third-party cookies blocked")

        # "Leave Secure cookies alone" (RFC 6265bis 5.7 step 16): an insecure origin
        # may not shadow, overwrite or delete a Secure cookie of the same name.
        if not secure_url:
            for entry in self._cookies.values():
                old = entry.row
                if (
                    old.name == name
                    and old.secure
                    and not _is_expired(old, now)
                    and (domain_match(old.domain, domain) or domain_match(domain, old.domain))
                    and path_match(path, old.path)
                ):
                    return reject("cannot overwrite a Secure cookie over http")

        key: _Key = (name, domain, host_only, path)
        existing = self._cookies.get(key)
        live = existing if existing is not None and not _is_expired(existing.row, now) else None
        if live is not None and from_script and live.row.http_only:
            return reject("script cannot overwrite an HttpOnly cookie")

        self._sent.clear()
        self._soonest = None
        if expired_by:
            self._cookies.pop(key, None)
            if live is not None:
                return StoreResult(
                    False, live.row, f"{expired_by}: cookie deleted", deleted=True, name=name
                )
            return reject(f"{expired_by}: no such cookie to delete")

        # RFC 6265bis 5.7 step 22 has an overwrite keep the old cookie's creation time;
        # Chromium keeps it only when the value is unchanged (CookieMonster's
        # creation_date_to_inherit). A new value is a new cookie: it moves behind older
        # ones of the same path in the Cookie header, and a Lax-by-default one gets a
        # fresh two-minute Lax+POST window.
        if live is not None and live.row.value == parsed.value:
            created, seq = live.row.created, live.seq
        else:
            self._cookies.pop(key, None)
            self._seq += 1
            created, seq = now, self._seq
        row = CookieRow(
            name=name,
            value=parsed.value,
            domain=domain,
            path=path,
            expires=expires,
            http_only=parsed.http_only,
            secure=parsed.secure,
            same_site=same_site_value,
            same_site_defaulted=defaulted,
            host_only=host_only,
            created=created,
            size=parsed.size,
        )
        self._cookies[key] = _Entry(row, seq)
        return StoreResult(True, row, "", name=name, replaced=live is not None)

    # --- sending ------------------------------------------------------------------

    def header_with_reasons(
        self,
        url: str,
        *,
        now: float,
        initiator: str | None = None,
        kind: str = "navigate",
        method: str = "GET",
        third_party_blocked: bool = False,
    ) -> tuple[str, list[LeftOut]]:
        """The exact Cookie header for a request to `url` ("" when none) and, for
        every cookie of the jar not attached, a LeftOut with the reason."""
        header, left_out = self.cookie_header(
            url, now, initiator, kind, method, third_party_blocked
        )
        return header, list(left_out)

    def cookie_header(
        self,
        url: str,
        now: float,
        initiator: str | None,
        kind: str,
        method: str,
        third_party_blocked: bool,
    ) -> tuple[str, tuple[LeftOut, ...]]:
        """`header_with_reasons` as the browser asks it before every request: positional
        arguments, and the left-out reasons as a tuple shared by every asker."""
        memo_key = (url, now, initiator, kind, method, third_party_blocked)
        known = self._sent.get(memo_key)
        if known is not None:
            return known
        _check_kind(kind)
        _, host, _, request_path = parse_url(url)
        secure_url = is_secure_url(url)
        cross_site = initiator is not None and not same_site(initiator, url)
        method = method.upper()
        sent: list[_Entry] = []
        left_out: list[LeftOut] = []
        for entry in self._ordered():
            row = entry.row
            reason = _scope_reason(row, now, host, request_path, secure_url)
            if not reason and cross_site:
                reason = _same_site_reason(row, now, kind, method)
                if not reason and third_party_blocked and kind not in _TOP_LEVEL:
                    # Third-party cookie blocking keeps every cookie off cross-site
                    # subresources and fetches; a top-level navigation is first-party.
                    reason = "third-party cookies blocked"
            if reason:
                left_out.append(LeftOut(row.name, reason))
            else:
                sent.append(entry)
        if len(self._sent) >= 64:  # time moves on: old instants are not asked again
            self._sent.clear()
        answer = self._sent[memo_key] = (_join(sent), tuple(left_out))
        return answer

    def header_for(
        self,
        url: str,
        *,
        now: float,
        initiator: str | None = None,
        kind: str = "navigate",
        method: str = "GET",
        third_party_blocked: bool = False,
    ) -> str:
        """The exact Cookie header value for a request to `url`; "" when none."""
        header, _ = self.header_with_reasons(
            url,
            now=now,
            initiator=initiator,
            kind=kind,
            method=method,
            third_party_blocked=third_party_blocked,
        )
        return header

    def script_visible_with_reasons(self, url: str, *, now: float) -> tuple[str, list[LeftOut]]:
        """What `document.cookie` shows on a page at `url`, and why each other cookie
        does not appear (HttpOnly, path, Secure on an http page, domain, expired)."""
        _, host, _, request_path = parse_url(url)
        secure_url = is_secure_url(url)
        shown: list[_Entry] = []
        left_out: list[LeftOut] = []
        for entry in self._ordered():
            row = entry.row
            reason = _scope_reason(row, now, host, request_path, secure_url)
            if not reason and row.http_only:
                reason = "HttpOnly: hidden from script"
            if reason:
                left_out.append(LeftOut(row.name, reason))
            else:
                shown.append(entry)
        return _join(shown), left_out

    def script_visible(self, url: str, *, now: float) -> str:
        """The `document.cookie` string of a page at `url`."""
        return self.script_visible_with_reasons(url, now=now)[0]

    # --- housekeeping -------------------------------------------------------------

    def rows(self, now: float | None = None) -> tuple[CookieRow, ...]:
        """Current cookies in creation order; expired ones left out when `now` given."""
        entries = sorted(self._cookies.values(), key=lambda e: (e.row.created, e.seq))
        return tuple(e.row for e in entries if now is None or not _is_expired(e.row, now))

    def purge_expired(self, now: float) -> list[CookieRow]:
        """Remove the cookies that have expired by `now`; return them in creation order."""
        # Asked before every request, and almost always nothing has expired: the
        # soonest expiry is kept until the cookies change.
        soonest = self._soonest
        if soonest is None:
            soonest = self._soonest = min(
                (e.row.expires for e in self._cookies.values() if e.row.expires is not None),
                default=math.inf,
            )
        if now < soonest:
            return []
        return self._remove(lambda row: _is_expired(row, now))

    def clear_session_cookies(self) -> list[CookieRow]:
        """A browser restart: cookies without Expires/Max-Age go; return them."""
        return self._remove(lambda row: row.expires is None)

    def clear(self) -> list[CookieRow]:
        """Remove every cookie (the user clears site data); return them."""
        return self._remove(lambda row: True)

    def copy(self) -> CookieJar:
        """An independent jar with the same cookies (rows are immutable, so shared)."""
        twin = CookieJar(epoch=self.epoch)
        twin._cookies = dict(self._cookies)
        twin._seq = self._seq
        return twin

    def __len__(self) -> int:
        return len(self._cookies)

    def _ordered(self) -> list[_Entry]:
        return sorted(self._cookies.values(), key=lambda e: (e.row.created, e.seq))

    def _remove(self, doomed: Callable[[CookieRow], bool]) -> list[CookieRow]:
        gone = [e for e in self._ordered() if doomed(e.row)]
        for e in gone:
            row = e.row
            del self._cookies[(row.name, row.domain, row.host_only, row.path)]
        if gone:
            self._sent.clear()
            self._soonest = None
        return [e.row for e in gone]


def _check_kind(kind: str) -> None:
    if kind not in REQUEST_KINDS:
        raise ValueError(f"unknown request kind {kind!r}; expected one of {REQUEST_KINDS}")


def _scope_reason(
    row: CookieRow, now: float, host: str, request_path: str, secure_url: bool
) -> str:
    """Why a cookie does not apply to this URL at all ("" when it does)."""
    if _is_expired(row, now):
        return "expired"
    if row.host_only:
        if host != row.domain:
            return f"Host-only cookie for {row.domain} does not match {host}"
    elif not domain_match(host, row.domain):
        return f"Domain {row.domain} does not match {host}"
    if not path_match(request_path, row.path):
        return f"Path {row.path} does not match {request_path}"
    if row.secure and not secure_url:
        return "Secure cookie over http"
    return ""


def _same_site_reason(row: CookieRow, now: float, kind: str, method: str) -> str:
    """Why SameSite keeps a cookie off this cross-site request ("" when it does not)."""
    if row.same_site == "Strict":
        return "SameSite=Strict: cross-site request"
    if row.same_site != "Lax":
        return ""
    if kind not in _TOP_LEVEL:
        return f"SameSite=Lax: cross-site {kind}{_lax_by_default(row)}"
    if method in _SAFE_METHODS:
        return ""
    if row.same_site_defaulted and now - row.created <= LAX_ALLOW_UNSAFE_SECONDS:
        # Chromium's Lax+POST: see LAX_ALLOW_UNSAFE_SECONDS. Overwriting a cookie with
        # the same value keeps its creation time, so it does not restart the two minutes.
        return ""
    if row.same_site_defaulted:
        return f"SameSite=Lax: cross-site {method} (Lax by default, older than 2 minutes)"
    return f"SameSite=Lax: cross-site {method}"


def _join(entries: list[_Entry]) -> str:
    # RFC 6265bis 5.8.3: longer paths first, then earlier creation times.
    ordered = sorted(entries, key=lambda e: (-len(e.row.path), e.row.created, e.seq))
    return "; ".join(_serialize(e.row) for e in ordered)
