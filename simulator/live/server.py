"""A real HTTP server on the loopback interface that answers with the simulator's rules.

Two listening sockets: the app (http://127.0.0.1:PORT) and evil.example
(http://localhost:PORT2). A request to the app is handed, as a `authflow.simulator.web.http.Request`
in the simulator's own names (see sites.py), to the server of a `World` built for the
lesson's mode and settings: the same strategies, store, users and CORS policy the
simulation uses, so a real request gets exactly the verdict a simulated one would.
Every request is kept in `arrivals` exactly as it arrived (request line, headers in
their order and case, body) together with the answer and the events the rules emitted.
No Qt here; the real browser is driven from app/live/.
"""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from authflow.simulator.actions.attacker_network import csrf_page
from authflow.simulator.live.pages import app_page, attacker_page
from authflow.simulator.live.sites import LiveSites
from authflow.simulator.trace.trace import Event
from authflow.simulator.web.http import FORM, Request, Response
from authflow.simulator.world.engine import World

START_PATH = "/live-start"
"""Where the run's first page is loaded from: the app's page without the rules' verdict
(the simulated run starts with the page open and no request made)."""

_HOP_BY_HOP = frozenset({"host", "connection", "keep-alive", "content-length"})


@dataclass(frozen=True, slots=True)
class Arrival:
    """One request as the loopback server received it, and what it answered."""

    order: int
    """Position on the run's shared counter (the browser's observations use it too)."""
    step: int
    site: str
    """"app" or "attacker" (evil.example)."""
    client: str
    """"browser", or "attacker" for a request from the attacker's own machine."""
    method: str
    target: str
    """The request target exactly as on the request line (path and query)."""
    headers: tuple[tuple[str, str], ...]
    """Every header as received, in order and case (Cookie, Origin, Sec-Fetch-* ...)."""
    body: bytes
    status: int
    response_headers: tuple[tuple[str, str], ...]
    response_body: bytes
    handed: Request | None
    """What the simulator's server was handed (in its own names); None when the
    request was not the rules' business (the start page, evil.example's pages)."""
    answer: Response | None
    """The rules' answer, before the page around it (the app page is HTML for real)."""
    events: tuple[Event, ...]
    """Events the rules emitted while answering (verdicts, store hops)."""

    def header(self, name: str) -> str | None:
        lname = name.lower()
        return next((v for n, v in self.headers if n.lower() == lname), None)

    @property
    def path(self) -> str:
        return self.target.partition("?")[0]


def parse_body(raw: bytes, content_type: str | None) -> Any:
    """A received body as the simulator's rules read it: JSON, form fields, or text."""
    if not raw:
        return None
    text = raw.decode("utf-8", "replace")
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind == FORM:
        return dict(parse_qsl(text, keep_blank_values=True))
    try:
        return json.loads(text)
    except ValueError:
        return text


class LiveServer:
    """The app and evil.example on loopback ports; `with LiveServer(...) as s:`."""

    def __init__(
        self,
        mode: str,
        settings: dict[str, Any] | None = None,
        seed: int | None = None,
        order: Iterator[int] | None = None,
    ) -> None:
        self.world = World(mode, settings, seed)
        self.mode = mode
        self.order = order if order is not None else count()
        self.lock = threading.Lock()
        self.arrivals: list[Arrival] = []
        self.step = 0
        self.loot: list[Any] = []
        """What evil.example's /collect received, in order."""
        self._machine_ports: set[int] = set()
        self._app = _Listener(self, "app")
        self._attacker = _Listener(self, "attacker")
        self.sites = LiveSites(
            self._app.server_port, self._attacker.server_port, self.world.app_origin
        )
        self._threads: list[threading.Thread] = []
        self.page_config: dict[str, Any] = {}
        """Extra settings the app page's script reads (mode, where it keeps the token)."""

    # -- lifetime ---------------------------------------------------------------------------
    def start(self) -> LiveServer:
        for listener in (self._app, self._attacker):
            thread = threading.Thread(target=listener.serve_forever, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def close(self) -> None:
        for listener in (self._app, self._attacker):
            if self._threads:
                listener.shutdown()
            listener.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads.clear()

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the world --------------------------------------------------------------------------
    def on_world(self, run: Callable[[World], object]) -> tuple[Event, ...]:
        """Run `run` on the rules' world (a server restart, a wait), returning the events
        it emitted; requests cannot interleave with it."""
        with self.lock:
            world = self.world
            world.recorder.step = self.step
            start = len(world.recorder.events)
            run(world)
            return tuple(world.recorder.events[start:])

    def arrivals_since(self, order: int) -> list[Arrival]:
        with self.lock:
            return [a for a in self.arrivals if a.order >= order]

    # -- the attacker's own machine ---------------------------------------------------------
    def machine_request(
        self, method: str, path: str, headers: list[tuple[str, str]], body: Any
    ) -> Arrival:
        """Send a request from the attacker's own machine (no browser) to the app."""
        data = None
        if body is not None:
            data = json.dumps(body, separators=(",", ":")).encode("utf-8")
            if not any(n.lower() == "content-type" for n, _ in headers):
                headers = [("Content-Type", "application/json"), *headers]
        conn = http.client.HTTPConnection("127.0.0.1", self.sites.app_port, timeout=10)
        try:
            conn.connect()
            assert conn.sock is not None
            port = conn.sock.getsockname()[1]
            with self.lock:
                self._machine_ports.add(port)
            conn.putrequest(method, path, skip_accept_encoding=True)
            for name, value in headers:
                conn.putheader(name, value)
            if data is not None:
                conn.putheader("Content-Length", str(len(data)))
            conn.endheaders(data)
            conn.getresponse().read()
        finally:
            conn.close()
        with self.lock:
            self._machine_ports.discard(port)
            return next(a for a in reversed(self.arrivals) if a.client == "attacker")

    # -- answering --------------------------------------------------------------------------
    def answer(self, handler: BaseHTTPRequestHandler, site: str) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length > 0 else b""
        headers = tuple((str(n), str(v)) for n, v in handler.headers.items())
        with self.lock:
            client = "attacker" if handler.client_address[1] in self._machine_ports else "browser"
            order = next(self.order)
            if site == "attacker":
                status, out, payload = self._offsite(handler.command, handler.path, body)
                handed = answer = None
                events: tuple[Event, ...] = ()
            elif handler.path.partition("?")[0] == START_PATH:
                status, out, payload = 200, _HTML, self._page(None).encode("utf-8")
                handed = answer = None
                events = ()
            else:
                handed = self._handed(handler.command, handler.path, headers, body)
                start = len(self.world.recorder.events)
                answer = self._rules(handed, client)
                events = tuple(self.world.recorder.events[start:])
                status, out, payload = self._real_answer(handed, answer)
            self.arrivals.append(
                Arrival(
                    order,
                    self.step,
                    site,
                    client,
                    handler.command,
                    handler.path,
                    headers,
                    body,
                    status,
                    out,
                    payload,
                    handed,
                    answer,
                    events,
                )
            )
        handler.send_response(status)
        for name, value in out:
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(payload)))
        handler.send_header("Cache-Control", "no-store")
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(payload)

    def _handed(
        self, method: str, target: str, headers: tuple[tuple[str, str], ...], body: bytes
    ) -> Request:
        kept = []
        content_type = None
        for name, value in headers:
            lname = name.lower()
            if lname in _HOP_BY_HOP:
                continue
            if lname in ("origin", "referer"):
                value = self.sites.to_simulated(value)
            elif lname == "content-type":
                content_type = value
            kept.append((name, value))
        url = self.world.app_origin + target
        return Request(method, url, tuple(kept), parse_body(body, content_type))

    def _rules(self, request: Request, client: str) -> Response:
        world = self.world
        world.recorder.step = self.step
        return world.answer_at(world.pick_server(client), request)

    def _real_answer(
        self, request: Request, answer: Response
    ) -> tuple[int, tuple[tuple[str, str], ...], bytes]:
        out = []
        for name, value in answer.headers:
            if name.lower() == "access-control-allow-origin":
                value = self.sites.to_live(value)
            out.append((name, value))
        if request.method == "GET" and request.path.partition("?")[0] == "/":
            # The app's page: real HTML around what the rules rendered into it.
            page = self._page(answer.body if isinstance(answer.body, dict) else None)
            kept = [(n, v) for n, v in out if n.lower() != "content-type"]
            return answer.status, (*_HTML, *kept), page.encode("utf-8")
        return answer.status, tuple(out), answer.body_text().encode("utf-8")

    def _page(self, boot: dict[str, Any] | None) -> str:
        return app_page({**self.page_config, "boot": boot, "attacker": self.sites.attacker})

    def _offsite(
        self, method: str, target: str, body: bytes
    ) -> tuple[int, tuple[tuple[str, str], ...], bytes]:
        parts = urlsplit(target)
        if method == "POST" and parts.path == "/collect":
            self.loot.append(parse_body(body, "application/json"))
            return 204, (), b""
        if method == "GET" and parts.path == "/csrf":
            fields = dict(parse_qsl(parts.query))
            page = csrf_page(self.sites.app + "/api/transfer", fields)
            return 200, _HTML, page.encode("utf-8")
        if method == "GET" and parts.path == "/":
            return 200, _HTML, attacker_page().encode("utf-8")
        return 404, (), b""


_HTML = (("Content-Type", "text/html; charset=utf-8"),)


class _Handler(BaseHTTPRequestHandler):
    server: _Listener
    # HTTP/1.0: one request per connection, so a keep-alive connection never holds a
    # handler thread and every request reaches `answer` on its own.
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        """The record is `LiveServer.arrivals`; nothing goes to stderr."""

    def _any(self) -> None:
        self.server.live.answer(self, self.server.site)

    do_GET = do_POST = do_OPTIONS = do_PUT = do_DELETE = do_PATCH = do_HEAD = _any


class _Listener(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, live: LiveServer, site: str) -> None:
        self.live = live
        self.site = site
        super().__init__(("127.0.0.1", 0), _Handler)
