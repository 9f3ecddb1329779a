"""Join what a live run observed into a Trace in the simulator's own format.

Three sources, each kept as plain data while the run went on: the loopback server's
record (`Arrival`: what really arrived, the rules' answer and the events they emitted),
the DevTools protocol events of each tab (the Cookie header Chromium sent, the cookies
it held back and why, each Set-Cookie line and whether Chromium refused it), and the
cookie store's signals (what the real jar holds). Every source stamps its items from
one shared counter, so they can be put in order. The result is a `Trace` with
`engine = "live"`; each request's `detail["live"]` keeps the raw observations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from authflow.simulator.actions.catalogue import ACTIONS
from authflow.simulator.lessons.narration import narrate, opening_notes
from authflow.simulator.live.runner import Finding, LiveRun
from authflow.simulator.live.server import Arrival
from authflow.simulator.trace.details import Carry
from authflow.simulator.trace.trace import (
    EMPTY,
    CookieRow,
    Counters,
    Event,
    PageState,
    State,
    Step,
    StoreEntry,
    Trace,
)
from authflow.simulator.web.cookiejar import LeftOut
from authflow.simulator.web.cookies_out import role_of_cookie
from authflow.simulator.web.http import Request, Response, get_header
from authflow.simulator.web.setcookie import SetCookieRejected, parse_set_cookie
from authflow.simulator.web.wire import on_the_wire
from authflow.simulator.world.engine import make_trace
from authflow.simulator.world.words import request_words, response_words

IGNORED_PATHS = frozenset({"/favicon.ico"})
"""Requests Chromium makes on its own that the simulated browser does not model (a
favicon after the CSRF form's navigation shows a JSON answer): kept in the server's
record, left out of the trace."""


@dataclass(slots=True)
class Exchange:
    """One request: what DevTools saw of it and what the server received, joined."""

    order: int
    tab: str = ""
    request_id: str = ""
    url: str = ""
    method: str = ""
    sent_headers: list[tuple[str, str]] = field(default_factory=list)
    associated: list[dict[str, Any]] = field(default_factory=list)
    """DevTools associatedCookies: every cookie considered, with blockedReasons."""
    status: int | None = None
    response_headers: list[tuple[str, str]] = field(default_factory=list)
    blocked_cookies: list[dict[str, Any]] = field(default_factory=list)
    failed: str = ""
    resource_type: str = ""
    arrival: Arrival | None = None


def _header_pairs(headers: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for name, value in (headers or {}).items():
        # DevTools joins repeated headers (Set-Cookie) with newlines.
        for part in str(value).split("\n"):
            out.append((str(name), part))
    return out


def exchanges_from_devtools(cdp: Sequence[tuple[int, str, Mapping[str, Any]]]) -> list[Exchange]:
    by_id: dict[str, Exchange] = {}
    ordered: list[Exchange] = []
    for order, tab, message in cdp:
        method = message.get("method", "")
        params = message.get("params", {})
        rid = str(params.get("requestId", ""))
        if not rid:
            continue
        x = by_id.get(rid)
        if x is None:
            x = by_id[rid] = Exchange(order, tab, rid)
            ordered.append(x)
        x.order = min(x.order, order)
        if method == "Network.requestWillBeSent":
            request = params.get("request", {})
            x.url, x.method = str(request.get("url", "")), str(request.get("method", ""))
            x.resource_type = str(params.get("type", ""))
            if not x.sent_headers:
                x.sent_headers = _header_pairs(request.get("headers"))
        elif method == "Network.requestWillBeSentExtraInfo":
            # The headers as they went on the wire, Cookie included.
            x.sent_headers = _header_pairs(params.get("headers"))
            x.associated = list(params.get("associatedCookies", []))
        elif method == "Network.responseReceivedExtraInfo":
            x.status = int(params.get("statusCode", 0)) or x.status
            x.response_headers = _header_pairs(params.get("headers"))
            x.blocked_cookies = list(params.get("blockedCookies", []))
        elif method == "Network.responseReceived":
            x.status = x.status or int(params.get("response", {}).get("status", 0))
        elif method == "Network.loadingFailed":
            x.failed = str(params.get("errorText", "")) or "failed"
            cors = params.get("corsErrorStatus", {}).get("corsError")
            if cors:
                x.failed += f" (CORS: {cors})"
    return [x for x in ordered if x.url.startswith("http")]


def _match(exchanges: list[Exchange], arrivals: Sequence[Arrival], sites: Any) -> list[Exchange]:
    """Each arrival joined to the DevTools request it is; the attacker's own machine's
    requests (no browser) become exchanges of their own."""
    unmatched = list(exchanges)
    out = list(exchanges)
    for a in arrivals:
        base = sites.app if a.site == "app" else sites.attacker
        url = base + a.target
        found = next(
            (x for x in unmatched if x.arrival is None and x.method == a.method and x.url == url),
            None,
        )
        if found is None or a.client == "attacker":
            out.append(Exchange(a.order, "", "", url, a.method, list(a.headers), arrival=a))
            continue
        unmatched.remove(found)
        found.arrival = a
        found.order = min(found.order, a.order)
    return out


_REASONS = {
    "SameSiteLax": "SameSite=Lax: cross-site request",
    "SameSiteStrict": "SameSite=Strict: cross-site request",
    "SameSiteUnspecifiedTreatedAsLax": "SameSite unset, treated as Lax: cross-site request",
    "NotOnPath": "Path does not match",
    "DomainMismatch": "Domain does not match",
    "SecureOnly": "Secure cookie over http",
    "SameSiteNoneInsecure": "SameSite=None requires Secure",
    "ThirdPartyPhaseout": "third-party cookies blocked",
    "ThirdPartyBlockedInFirstPartySet": "third-party cookies blocked",
    "UserPreferences": "blocked by the browser's settings",
}


def chromium_reason(codes: Sequence[str]) -> str:
    """Chromium's blocked-reason codes, with the simulator's words beside them."""
    return "; ".join(f"{code} ({_REASONS.get(code, 'Chromium')})" for code in codes)


class _Joiner:
    def __init__(
        self,
        run: LiveRun,
        cdp: Sequence[tuple[int, str, Mapping[str, Any]]],
        cookie_signals: Sequence[tuple[int, str, Mapping[str, Any]]],
        wall_start: float,
    ) -> None:
        self.run = run
        self.server = run.server
        self.sites = run.server.sites
        self.world = run.server.world
        self.signals = sorted(cookie_signals, key=lambda s: s[0])
        self.wall_start = wall_start
        self.events: list[Event] = []
        self.jar: dict[tuple[str, str, str], CookieRow] = {}
        self.same_site: dict[str, tuple[str, bool]] = {}
        """cookie name -> (SameSite, defaulted) from the last Set-Cookie line naming it."""
        self.local: dict[str, str] = {}
        self.memory: dict[str, str] = {}
        self.page = PageState(self.sites.app + "/", None, None)
        self.stores: Mapping[str, Mapping[str, StoreEntry]] = _first_stores(run)
        self.world_counters = Counters()
        self.requests = 0
        self.credential_bytes = self.cookie_bytes = self.authorization_bytes = 0
        self.attacker: dict[str, str] = {}
        self.t = 0.0
        self.step = 0
        self.next_id = 0
        exchanges = exchanges_from_devtools(cdp)
        arrivals = [a for a in self.server.arrivals if a.step >= 0]
        joined = _match(exchanges, arrivals, self.sites)
        self.starts = sorted(f.order for f in run.findings if f.kind == "step")
        items: list[tuple[int, int, Exchange | Finding]] = []
        preflights = {(a.target, a.order) for a in arrivals if a.method == "OPTIONS"}
        for x in joined:
            rank = 1
            if x.arrival is None:
                # A request Chromium never sent (its preflight was refused) is announced
                # to DevTools before the preflight goes out; on the wire it comes after.
                target = "/" + x.url.split("/", 3)[-1]
                step = self._step_of(x.order)
                after = [o for t, o in preflights if t == target and self._step_of(o) == step]
                if after:
                    x.order, rank = min(after), 3
            path = x.url.split("?", 1)[0].split("/", 3)[-1]
            if "/" + path in IGNORED_PATHS:
                continue
            if x.arrival is not None and x.arrival.step < 0:
                continue
            if x.arrival is None and self._step_of(x.order) < 0:
                continue  # the start page's own load
            items.append((x.order, rank, x))
        for f in run.findings:
            items.append((f.order, 0 if f.kind == "step" else 2, f))
        self.items = sorted(items, key=lambda i: (i[0], i[1]))

    def _step_of(self, order: int) -> int:
        step = -1
        for i, start in enumerate(self.starts):
            if order >= start:
                step = i
        return step

    # -- state ------------------------------------------------------------------------------
    def state(self) -> State:
        counters = self.world_counters._replace(
            requests=self.requests,
            credential_bytes=self.credential_bytes,
            cookie_bytes=self.cookie_bytes,
            authorization_bytes=self.authorization_bytes,
        )
        local = MappingProxyType({self.sites.app: MappingProxyType(dict(self.local))})
        return State(
            tuple(self.jar.values()),
            local if self.local else EMPTY,
            MappingProxyType(dict(self.memory)),
            self.page,
            self.stores,
            counters,
            MappingProxyType(dict(self.attacker)),
        )

    def emit(
        self,
        kind: Any,
        src: str,
        dst: str,
        label: str,
        explain: str,
        detail: Mapping[str, Any],
    ) -> None:
        self.events.append(
            Event(
                len(self.events),
                self.t,
                kind,
                src,
                dst,
                label,
                MappingProxyType(dict(detail)),
                explain,
                self.state(),
                self.step,
            )
        )

    def _apply_signals(self, until: int, name: str | None = None, action: str = "") -> None:
        """Apply cookie-store signals up to order `until`; with `name`, up to and
        including the first `action` signal for that cookie."""
        while self.signals:
            order, what, c = self.signals[0]
            if name is None and order > until:
                return
            self.signals.pop(0)
            self._apply(what, c)
            if name is not None and c["name"] == name and what == action:
                return

    def _apply(self, action: str, c: Mapping[str, Any]) -> None:
        key = (str(c["name"]), str(c["domain"]), str(c["path"]))
        if action == "removed":
            self.jar.pop(key, None)
            return
        same_site, defaulted = self.same_site.get(key[0], ("Lax", True))
        expires = c.get("expires")
        old = self.jar.get(key)
        self.jar[key] = CookieRow(
            key[0],
            str(c["value"]),
            key[1],
            key[2],
            None if expires is None else round(float(expires) - self.wall_start, 3),
            bool(c.get("httpOnly")),
            bool(c.get("secure")),
            same_site,
            defaulted,
            bool(c.get("host_only", True)),
            old.created if old is not None else self.t,
            len(key[0]) + len(str(c["value"])),
        )

    # -- items ------------------------------------------------------------------------------
    def join(self) -> list[Event]:
        for order, _rank, item in self.items:
            step = self._step_of(order)
            if step < 0:
                continue
            if step != self.step:
                self._apply_signals(order)
            self.step = step
            if isinstance(item, Finding):
                self._finding(item)
            else:
                self._exchange(item)
        self._apply_signals(1 << 62)
        if self.events:
            last = self.events[-1]
            self.events[-1] = last._replace(state=self.state())
        return self.events

    def _finding(self, f: Finding) -> None:
        d = f.detail
        if f.kind == "step":
            action, args = str(d["action"]), dict(d["args"])
            spec = ACTIONS[action]
            text = spec.label(args)
            actor = spec.lane
            self.emit(
                "note",
                actor,
                actor,
                text,
                f.explain or text + ".",
                {"text": text, "action": action, "args": args, "narration": f.explain},
            )
        elif f.kind == "world":
            self._world_events(f.events)
        elif f.kind == "page":
            self.page = self.page._replace(signed_in_as=d.get("signed_in_as"))
            self.emit("note", "browser", "browser", f.label, f.explain, d)
        elif f.kind == "storage":
            area, action, key, value = d["area"], d["action"], d.get("key"), d.get("value")
            place = self.local if area == "localStorage" else self.memory
            if action == "set":
                place[str(key)] = str(value)
            elif action == "remove":
                place.pop(str(key), None)
            else:
                place.clear()
            self.emit("storage", "browser", "browser", f.label, f.explain, d)
        elif f.kind == "attack":
            self.attacker.update({str(k): str(v) for k, v in dict(d.get("stolen") or {}).items()})
            self.emit("attack", "attacker", "browser", f.label, f.explain, d)
        else:
            self.emit("note", "browser", "browser", f.label, f.explain, d)

    def _world_events(self, events: Sequence[Event]) -> None:
        for e in events:
            self.t = e.t
            self.stores = e.state.stores
            self.world_counters = e.state.counters
            self.emit(e.kind, e.src, e.dst, e.label, e.explain, e.detail)

    def _exchange(self, x: Exchange) -> None:
        a = x.arrival
        client = a.client if a is not None else "browser"
        offsite = x.url.startswith(self.sites.attacker)
        server = self.world.servers[0].name
        dst = "attacker" if offsite else server
        self.next_id += 1
        rid = self.next_id
        headers = list(x.sent_headers) if x.sent_headers else list(a.headers if a else [])
        if a is not None and client == "attacker":
            headers = list(a.headers)
        wire = on_the_wire(tuple(headers))
        if not offsite or client == "browser":
            self.requests += 1
        self.credential_bytes += wire.credential_bytes
        self.cookie_bytes += wire.cookie_bytes
        self.authorization_bytes += wire.authorization_bytes
        left_out = [
            LeftOut(str(c["cookie"]["name"]), chromium_reason(c["blockedReasons"]))
            for c in x.associated
            if c.get("blockedReasons")
        ]
        context = self._context(headers, client)
        path = "/" + x.url.split("/", 3)[-1] if x.url.count("/") >= 3 else "/"
        label, explain = request_words(Request(x.method, x.url), wire.carries, left_out)
        if offsite:
            label = f"{x.method} {self.sites.to_simulated(x.url)}"
        detail: dict[str, Any] = {
            "method": x.method,
            "url": x.url,
            "path": path,
            "headers": [list(h) for h in headers],
            "body": a.handed.body if a is not None and a.handed is not None else None,
            "request_id": rid,
            "origin_actor": client,
            "context": context,
            "carries": [{"header": c.header, "name": c.name, "role": c.role} for c in wire.carries],
            "left_out": [{"name": lo.name, "reason": lo.reason} for lo in left_out],
            "blocked": a is None,
            "live": {
                "devtools_request_id": x.request_id,
                "tab": x.tab,
                "resource_type": x.resource_type,
                "received_headers": [list(h) for h in a.headers] if a is not None else None,
                "failed": x.failed,
            },
        }
        if a is None:
            detail["block_reason"] = x.failed or "never reached the server"
            explain = (
                f"Chromium never sent {x.method} {path} to the server"
                f" ({x.failed or 'no request arrived'})."
            )
        self.emit("request", client, dst, label, explain, detail)
        if a is None:
            return
        self._world_events(a.events)
        self._response(x, a, client, dst, rid)

    def _context(self, headers: Sequence[tuple[str, str]], client: str) -> dict[str, Any]:
        if client == "attacker":
            return {"initiator": None, "kind": "fetch", "cross_site": True}
        site = get_header(headers, "Sec-Fetch-Site") or ""
        mode = get_header(headers, "Sec-Fetch-Mode") or ""
        dest = get_header(headers, "Sec-Fetch-Dest") or ""
        origin = get_header(headers, "Origin")
        if mode == "navigate":
            kind = "navigate" if not origin or origin == "null" else "form"
        elif dest == "image":
            kind = "subresource"
        else:
            kind = "fetch"
        return {
            "initiator": self.sites.to_simulated(origin) if origin else None,
            "kind": kind,
            "cross_site": site == "cross-site",
            "sec_fetch_site": site,
        }

    def _response(self, x: Exchange, a: Arrival, client: str, dst: str, rid: int) -> None:
        lines = [v for n, v in a.response_headers if n.lower() == "set-cookie"]
        blocked = {
            str(b.get("cookieLine", "")): list(b.get("blockedReasons", []))
            for b in x.blocked_cookies
        }
        carries = []
        for line in lines:
            name = line.split("=", 1)[0].strip()
            reasons = blocked.get(line, [])
            carries.append(
                Carry(
                    "Set-Cookie",
                    name,
                    role_of_cookie(name),
                    bool(reasons) and client == "browser",
                    chromium_reason(reasons),
                    "Max-Age=0" in line,
                )
            )
        response = Response(a.status, a.response_headers, a.answer.body if a.answer else None)
        status, explain = response_words(response, carries)
        if dst == "attacker":
            explain = f"evil.example answers {status} (its own page; no rules involved)."
        detail = {
            "status": a.status,
            "reason": response.phrase,
            "headers": [list(h) for h in a.response_headers],
            "body": response.body,
            "request_id": rid,
            "carries": [c._asdict() for c in carries],
            "live": {"devtools_status": x.status},
        }
        if client == "browser" and dst != "attacker":
            self.page = self.page._replace(last_status=a.status)
        self.emit("response", dst, client, status, explain, detail)
        if client != "browser":
            return  # the attacker's own machine keeps no jar
        for line, carry in zip(lines, carries, strict=True):
            self._cookie_event(line, carry)

    def _cookie_event(self, line: str, carry: Carry) -> None:
        name = carry.name
        if carry.rejected:
            self.emit(
                "cookie",
                "browser",
                "browser",
                f"cookie {name} rejected",
                f"Chromium refuses to store {name}: {carry.reason}.",
                {
                    "action": "rejected",
                    "name": name,
                    "reason": carry.reason,
                    "role": carry.role,
                },
            )
            return
        try:
            parsed = parse_set_cookie(line)
            self.same_site[name] = (parsed.same_site or "Lax", parsed.same_site is None)
        except SetCookieRejected:
            pass
        action = "deleted" if carry.deletes else "stored"
        self._apply_signals(0, name, "removed" if carry.deletes else "added")
        row = next((r for r in self.jar.values() if r.name == name), None)
        if action == "stored" and row is not None:
            life = "a session cookie" if row.expires is None else "a persistent cookie"
            explain = f"Chromium stores {name} for {row.domain}{row.path} as {life}."
        elif action == "stored":
            explain = f"Chromium accepted {name}, and its cookie store has not reported it."
        else:
            explain = f"Max-Age=0 tells Chromium to delete {name}; it does."
        self.emit(
            "cookie",
            "browser",
            "browser",
            f"cookie {name} {action}",
            explain,
            {"action": action, "name": name, "reason": "", "role": carry.role},
        )


def _first_stores(run: LiveRun) -> Mapping[str, Mapping[str, StoreEntry]]:
    for a in run.server.arrivals:
        if a.events:
            return a.events[0].state.stores
    return run.server.world.snapshot(Counters()).stores


def join(
    run: LiveRun,
    cdp: Sequence[tuple[int, str, Mapping[str, Any]]],
    cookie_signals: Sequence[tuple[int, str, Mapping[str, Any]]],
    *,
    wall_start: float,
    scenario: str = "custom",
    title: str = "",
    seed: int | None = None,
) -> Trace:
    """The live run as a Trace (`engine` "live"); `wall_start` is the real clock's Unix
    time when the run began (cookie expiries are shown in run seconds)."""
    events = _Joiner(run, cdp, cookie_signals, wall_start).join()
    world = run.server.world
    steps: Sequence[Step] = run.steps
    starts = opening_notes(events, len(steps))
    if starts is not None:
        # The words follow this run, as in the simulated one: chosen from its own events.
        steps = narrate(steps, events, starts, world.mode, world.config.values)
    base = make_trace(world, steps, scenario, title, seed)
    actors = ["browser", *[s.name for s in world.servers], *[s.name for s in world.stores]]
    if any("attacker" in (e.src, e.dst) for e in events):
        actors.append("attacker")
    return Trace(
        base.scenario,
        base.title,
        base.mode,
        base.settings,
        base.seed,
        tuple(actors),
        base.steps,
        tuple(events),
        base.start_epoch,
        base.server,
        engine="live",
    )
