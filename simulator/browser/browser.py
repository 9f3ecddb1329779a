"""The simulated browser: its cookie jar, localStorage, the page's memory, and fetch.

`send` is what the browser does with a request a page (or the user) makes: attach the
cookies its jar allows, apply CORS to cross-origin script requests, deliver it, and
store what the response's Set-Cookie lines ask for.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from authflow.simulator.trace.details import CookieDetail, StorageDetail, VerdictDetail
from authflow.simulator.trace.trace import CookieRow, PageState
from authflow.simulator.web.cookiejar import CookieJar, LeftOut, StoreResult
from authflow.simulator.web.cookies_out import role_of_cookie
from authflow.simulator.web.cors import needs_preflight, preflight_allows
from authflow.simulator.web.http import Request, Response
from authflow.simulator.web.sites import is_secure_url, origin_of, same_site
from authflow.simulator.web.wire import request_carries, request_record

_new_tuple = tuple.__new__


@functools.lru_cache(maxsize=256)
def _crossing(initiator: str | None, url: str) -> tuple[bool, bool]:
    """(cross-origin, cross-site) of a request from `initiator` to `url`."""
    if initiator is None:
        return False, False
    return initiator != origin_of(url), not same_site(initiator, url)


# The same few request contexts come back on every request: one read-only mapping each.
@functools.lru_cache(maxsize=64)
def _context(initiator: str | None, kind: str, cross_site: bool) -> Mapping[str, Any]:
    return MappingProxyType({"initiator": initiator, "kind": kind, "cross_site": cross_site})


_MODE_DEST = {
    "navigate": ("navigate", "document"),
    "form": ("navigate", "document"),
    "fetch": ("cors", "empty"),
    "preflight": ("cors", "empty"),
    "subresource": ("no-cors", "image"),
}
"""Request kind -> (Sec-Fetch-Mode, Sec-Fetch-Dest) as Chromium sends them: a form
submission is a navigation of the document; the app's fetch() calls use mode cors."""


@functools.lru_cache(maxsize=256)
def _fetch_metadata(
    initiator: str | None,
    url: str,
    kind: str,
    method: str,
    cross_origin: bool,
    cross_site: bool,
) -> tuple[tuple[str, str], ...]:
    """The Origin and Fetch Metadata headers Chromium adds to a request (Origin first).

    Origin goes on every request whose method is not GET or HEAD, and on cross-origin
    CORS requests (fetch); a navigation or an <img> GET carries none. Sec-Fetch-Site says
    who started the request (none: the user, typing or reloading); Sec-Fetch-* go only to
    potentially trustworthy URLs (https), so a plain-http app receives none of them."""
    out: list[tuple[str, str]] = []
    if initiator is not None and (
        method not in ("GET", "HEAD") or (kind in ("fetch", "preflight") and cross_origin)
    ):
        out.append(("Origin", initiator))
    if not is_secure_url(url):
        return tuple(out)
    if initiator is None:
        site = "none"
    elif not cross_origin:
        site = "same-origin"
    else:
        site = "cross-site" if cross_site else "same-site"
    fetch_mode, dest = _MODE_DEST.get(kind, ("cors", "empty"))
    out += [("Sec-Fetch-Site", site), ("Sec-Fetch-Mode", fetch_mode), ("Sec-Fetch-Dest", dest)]
    return tuple(out)


if TYPE_CHECKING:
    from authflow.simulator.trace.clock import Clock
    from authflow.simulator.trace.recorder import Changes, Recorder


class Network(Protocol):
    """What carries the browser's requests to the servers and back (the world)."""

    def exchange(
        self,
        request: Request,
        client: str,
        context: Mapping[str, Any],
        left_out: Sequence[LeftOut],
        why: str,
    ) -> tuple[Response, list[str]]:
        """Deliver `request` and record it; the response and its Set-Cookie lines."""
        ...

    def deliver(
        self,
        request: Request,
        client: str,
        context: Mapping[str, Any],
        *,
        left_out: Sequence[LeftOut] = (),
        why: str = "",
    ) -> Response: ...

    def first_hop(self) -> str:
        """The actor a request reaches first: the load balancer, or the one server."""
        ...


class Prepared(NamedTuple):
    """A request the browser has built (cookies attached) but not yet sent."""

    request: Request
    initiator: str | None
    kind: str
    context: Mapping[str, Any]
    left_out: tuple[LeftOut, ...]


@dataclass(slots=True)
class Page:
    url: str
    signed_in_as: str | None = None
    last_status: int | None = None
    memory: dict[str, str] = field(default_factory=dict)


class Browser:
    def __init__(
        self,
        app_origin: str,
        clock: Clock,
        recorder: Recorder,
        changes: Changes,
        third_party_blocked: bool,
        network: Network,
        name: str = "browser",
    ) -> None:
        self.name = name
        """The actor's name in the trace: "browser", or "phone" for the user's second device."""
        self.app_origin = app_origin
        self._clock = clock
        self._recorder = recorder
        self._changes = changes
        self._network = network
        self.jar = CookieJar()
        self.local_storage: dict[str, dict[str, str]] = {}
        self.page = Page(app_origin + "/")
        self.version = 0
        """Bumped on every change the snapshot shows, so unchanged state is shared."""
        self._snap_version = -1
        self._snap: tuple[
            tuple[CookieRow, ...], Mapping[str, Mapping[str, str]], Mapping[str, str], PageState
        ] = ((), {}, {}, PageState("", None))
        self._next_request = 0
        self._third_party_blocked = third_party_blocked
        """The browser's setting (a world's settings never change), read before each request."""
        self._sent_before: dict[Request, Request] = {}

    # -- storage --------------------------------------------------------------------------
    def set_local(self, key: str, value: str, why: str) -> None:
        self.local_storage.setdefault(self.app_origin, {})[key] = value
        self.changed()
        self._recorder.emit(
            "storage",
            self.name,
            self.name,
            f"localStorage.{key} = …",
            why,
            StorageDetail("localStorage", "set", key, value),
        )

    def remove_local(self, key: str, why: str) -> None:
        if self.local_storage.get(self.app_origin, {}).pop(key, None) is not None:
            self.changed()
            self._recorder.emit(
                "storage",
                self.name,
                self.name,
                f"remove localStorage.{key}",
                why,
                StorageDetail("localStorage", "remove", key, None),
            )

    def set_memory(self, key: str, value: str, why: str) -> None:
        self.page.memory[key] = value
        self.changed()
        self._recorder.emit(
            "storage",
            self.name,
            self.name,
            f"page memory: {key} = …",
            why,
            StorageDetail("memory", "set", key, value),
        )

    def forget_memory(self, why: str) -> None:
        if self.page.memory:
            self.page.memory.clear()
            self.changed()
            self._recorder.emit(
                "storage",
                self.name,
                self.name,
                "page memory cleared",
                why,
                StorageDetail("memory", "clear", None, None),
            )

    def changed(self) -> None:
        self.version += 1
        self._changes.count += 1

    def snapshot(
        self,
    ) -> tuple[
        tuple[CookieRow, ...], Mapping[str, Mapping[str, str]], Mapping[str, str], PageState
    ]:
        if self._snap_version != self.version:
            self._snap = (
                self.jar.rows(),
                MappingProxyType(
                    {o: MappingProxyType(dict(kv)) for o, kv in self.local_storage.items() if kv}
                ),
                MappingProxyType(dict(self.page.memory)),
                PageState(self.page.url, self.page.signed_in_as, self.page.last_status),
            )
            self._snap_version = self.version
        return self._snap

    # -- cookies --------------------------------------------------------------------------
    def expire_cookies(self) -> None:
        for row in self.jar.purge_expired(self._clock.t):
            self.changed()
            self._recorder.emit(
                "cookie",
                self.name,
                self.name,
                f"cookie {row.name} expired",
                f"The {row.name} cookie reached its expiry time, so the browser deletes it.",
                CookieDetail("expired", row.name, "expired"),
            )

    def clear_session_cookies(self) -> None:
        for row in self.jar.clear_session_cookies():
            self.changed()
            self._recorder.emit(
                "cookie",
                self.name,
                self.name,
                f"cookie {row.name} cleared",
                f"{row.name} had no Expires or Max-Age: a session cookie, which this browser "
                "deletes when it closes (one with session restore would keep it).",
                CookieDetail("cleared", row.name, "session cookie"),
            )

    # -- requests -------------------------------------------------------------------------
    def send(
        self,
        method: str,
        url: str,
        *,
        initiator: str | None,
        kind: str,
        headers: Sequence[tuple[str, str]] = (),
        body: Any = None,
        credentials: bool = True,
        why: str = "",
    ) -> Response | None:
        """Send a request as this browser would; None when the browser refused to send it."""
        ready = self.prepare(
            method,
            url,
            initiator=initiator,
            kind=kind,
            headers=headers,
            body=body,
            credentials=credentials,
            why=why,
        )
        return None if ready is None else self.dispatch(ready, why)

    def prepare(
        self,
        method: str,
        url: str,
        *,
        initiator: str | None,
        kind: str,
        headers: Sequence[tuple[str, str]] = (),
        body: Any = None,
        credentials: bool = True,
        why: str = "",
    ) -> Prepared | None:
        """The request as the browser would send it now (cookies from the jar as it is
        now), not yet sent; None when the browser refuses to send it. Two requests
        prepared before either is dispatched left "at once": neither saw the other's
        answer (two tabs racing)."""
        self.expire_cookies()
        cross_origin, cross_site = _crossing(initiator, url)
        hs = list(headers)
        if body is not None and not any(n.lower() == "content-type" for n, _ in hs):
            hs.insert(0, ("Content-Type", "application/json"))
        if kind == "fetch" and cross_origin:
            reasons = needs_preflight(method, hs)
            if reasons and not self._preflight(url, method, hs, initiator or "", reasons, why):
                return None
        # Added by the browser itself (forbidden to scripts), so never a preflight's reason.
        hs.extend(_fetch_metadata(initiator, url, kind, method, cross_origin, cross_site))
        cookie = ""
        left_out: tuple[LeftOut, ...] = ()
        if credentials:
            cookie, left_out = self.jar.cookie_header(
                url,
                self._clock.t,
                initiator,
                kind,
                method,
                self._third_party_blocked,
            )
        if cookie:
            hs.append(("Cookie", cookie))
        # tuple.__new__ skips the NamedTuple's Python-level __new__: one per request.
        request = _new_tuple(Request, (method, url, tuple(hs), body))
        if body is None:
            # A page repeats the same request; every one stays in the trace, so repeats
            # share one value (it is immutable) instead of each keeping its own copy.
            known = self._sent_before
            request = known.setdefault(request, request)
            if len(known) > 256:
                known.clear()
        return Prepared(request, initiator, kind, _context(initiator, kind, cross_site), left_out)

    def dispatch(self, ready: Prepared, why: str = "") -> Response:
        """Send a prepared request and keep what its answer's Set-Cookie lines ask for."""
        request = ready.request
        response, lines = self._network.exchange(
            request, self.name, ready.context, ready.left_out, why
        )
        if lines:
            self.receive(request.url, response, ready.initiator, ready.kind, lines)
        return response

    def _preflight(
        self,
        url: str,
        method: str,
        hs: list[tuple[str, str]],
        origin: str,
        reasons: list[str],
        why: str,
    ) -> bool:
        asked = ", ".join(n for n, _ in hs if n.lower() not in ("origin", "content-length"))
        pre = Request(
            "OPTIONS",
            url,
            (
                ("Origin", origin),
                ("Access-Control-Request-Method", method),
                ("Access-Control-Request-Headers", asked.lower()),
                *_fetch_metadata(
                    origin, url, "preflight", "OPTIONS", True, not same_site(origin, url)
                )[1:],
            ),
        )
        response = self._network.deliver(
            pre,
            self.name,
            {"initiator": origin, "kind": "fetch", "cross_site": True},
            why=f"Before a cross-origin request with {', '.join(reasons)}, the browser asks the "
            "server's permission with an OPTIONS preflight (no cookies, no body).",
        )
        ok, reason = preflight_allows(response.headers, origin, with_credentials=True)
        if ok:
            self._recorder.emit(
                "verdict",
                self.name,
                self.name,
                "✓ CORS preflight",
                f"The browser lets the real request go: {reason}.",
                VerdictDetail(True, "cors", reason, None),
            )
            return True
        self._recorder.emit(
            "verdict",
            self.name,
            self.name,
            "✗ CORS: not sent",
            f"The browser does not send the real {method} request: {reason}, so the script on "
            f"{origin} gets a network error and nothing reaches the server.",
            VerdictDetail(
                False,
                "cors",
                reason,
                None,
                {"method": method, "url": url, "headers": [list(h) for h in hs]},
            ),
        )
        # The request that was never sent, so views can draw it stopped at the browser.
        request = Request(method, url, tuple(hs))
        detail = request_record(
            request,
            self.new_request_id(),
            self.name,
            {"initiator": origin, "kind": "fetch", "cross_site": True},
            request_carries(request),
            (),
            block_reason=f"CORS: {reason}",
        )
        self._recorder.emit(
            "request",
            self.name,
            self._network.first_hop(),
            f"{method} {request.path} (not sent)",
            f"The real {method} {request.path} never leaves the browser: the preflight was "
            "refused, so its credentials go nowhere.",
            detail,
        )
        return False

    def receive(
        self,
        url: str,
        response: Response,
        initiator: str | None,
        kind: str,
        lines: Sequence[str] | None = None,
    ) -> None:
        """Apply the response's Set-Cookie lines (already shown on the response packet);
        `lines` when the caller already has them."""
        for line in response.set_cookies() if lines is None else lines:
            result = self.judge_set_cookie(self.jar, url, line, initiator, kind)
            name = result.name or line.split("=", 1)[0].strip()
            if result.stored:
                self.changed()
                row = result.cookie
                assert row is not None
                life = "a session cookie" if row.expires is None else "a persistent cookie"
                flags = ", ".join(
                    f for f, on in (("HttpOnly", row.http_only), ("Secure", row.secure)) if on
                )
                explain = (
                    f"The browser stores {name} for {row.domain}{row.path} as {life}"
                    f"{' (' + flags + ')' if flags else ''}, SameSite={row.same_site}."
                )
                action = "stored"
            elif result.deleted:
                self.changed()
                explain = f"Max-Age=0 tells the browser to delete {name}; it does."
                action = "deleted"
            else:
                explain = f"The browser refuses to store {name}: {result.reason}."
                action = "rejected"
            self._recorder.emit(
                "cookie",
                self.name,
                self.name,
                f"cookie {name} {action}",
                explain,
                CookieDetail(action, name, result.reason, role_of_cookie(name)),
            )

    def judge_set_cookie(
        self, jar: CookieJar, url: str, line: str, initiator: str | None, kind: str
    ) -> StoreResult:
        """Apply one Set-Cookie line to `jar` by this browser's rules. The engine asks
        it of a copy of the jar to label the response, so label and outcome agree."""
        return jar.store(
            url,
            line,
            now=self._clock.t,
            initiator=initiator,
            kind=kind,
            third_party_blocked=self._third_party_blocked,
        )

    def new_request_id(self) -> int:
        self._next_request += 1
        return self._next_request
