"""The world: builds every actor for a mode and its settings, and runs the steps."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from authflow.simulator.attacker.actor import Attacker
from authflow.simulator.browser.browser import Browser
from authflow.simulator.config.entropy import Entropy
from authflow.simulator.config.modes import MODES
from authflow.simulator.config.settings import Config, resolve
from authflow.simulator.server.auth_base import Strategy
from authflow.simulator.server.auth_bff import BffStrategy
from authflow.simulator.server.auth_context import AuthContext
from authflow.simulator.server.auth_hybrid import HybridStrategy
from authflow.simulator.server.auth_jwt import JwtStrategy
from authflow.simulator.server.auth_session import SESSION_SALT, SessionStrategy
from authflow.simulator.server.jwt_tokens import REQUIRED_CLAIMS, JwtIssuer, JwtPolicy
from authflow.simulator.server.keyring import KeyRing
from authflow.simulator.server.keys import make_keys
from authflow.simulator.server.server import Server
from authflow.simulator.server.store import Store
from authflow.simulator.server.store_hops import StoreHops
from authflow.simulator.server.users import Users
from authflow.simulator.trace.clock import Clock
from authflow.simulator.trace.details import (
    Carry,
    DetailView,
    Marks,
    RequestContext,
    RequestDetail,
    ResponseDetail,
)
from authflow.simulator.trace.recorder import Changes, Recorder
from authflow.simulator.trace.trace import (
    EMPTY,
    Counters,
    PageState,
    State,
    Step,
    StoreEntry,
    Trace,
)
from authflow.simulator.web.cookiejar import LeftOut
from authflow.simulator.web.cookies_out import role_of_cookie
from authflow.simulator.web.cors import CorsPolicy
from authflow.simulator.web.http import Request, Response
from authflow.simulator.web.wire import on_the_wire, request_record
from authflow.simulator.world.words import request_words, response_words

_new_tuple = tuple.__new__
"""Builds a NamedTuple from a tuple without the Python-level __new__ that NamedTuple
generates: a third of the cost of a State, built for most hops."""
APP_HOST = "app.example"


class SimulationError(ValueError):
    """A step the simulator cannot run (unknown action, bad argument); names the step."""


class World:
    def __init__(self, mode: str, settings: Mapping[str, Any] | None, seed: int | None) -> None:
        if mode not in MODES:
            raise SimulationError(f"unknown mode {mode!r}; choose from {'|'.join(MODES)}")
        self.mode = mode
        self.config = Config(resolve(settings))
        self.clock = Clock()
        self.entropy = Entropy(seed)
        self.changes = Changes()
        self.recorder = Recorder(self.clock, self.changes, self.snapshot)
        self.app_origin = f"{self.config.text('scheme')}://{APP_HOST}"
        self.cors = CorsPolicy(self.config.text("cors"), self.app_origin)
        algorithm = self.config.text("algorithm")
        self.keys = make_keys(algorithm, self.config.text("secret"), self.entropy)
        self.key_ring = KeyRing(
            self.keys, lambda generation: make_keys(algorithm, "random", self.entropy, generation)
        )
        """Every key the servers sign with or still publish; rotated by lesson steps."""
        self.users = Users(self.entropy, self.config.number("scrypt_n"), self.changes)
        self.strategy = self._strategy()
        n = self.config.number("servers")
        names = ["server"] if n == 1 else [f"server-{i + 1}" for i in range(n)]
        self.hops = StoreHops(self.recorder, names[0])
        """Records every store command; knows which server is handling a request."""
        shared = self.config.text("store") == "shared"
        if shared or n == 1:
            self.stores = [Store("store", self.clock, shared, self.hops.record, self.changes)]
        else:
            self.stores = [
                Store(f"store-{i + 1}", self.clock, False, self.hops.record, self.changes)
                for i in range(n)
            ]
        self.servers = [
            Server(
                self._auth_context(name, self.stores[i % len(self.stores)], i),
                self.strategy,
                self.cors,
                self.key_ring,
                self.keys.secret_text,
            )
            for i, name in enumerate(names)
        ]
        self.browser = Browser(
            self.app_origin,
            self.clock,
            self.recorder,
            self.changes,
            self.config.text("third_party_cookies") == "blocked",
            self,
        )
        self.attacker = Attacker(self.recorder, self.changes)
        self.phone: Browser | None = None
        """The user's second device, once a step uses it (`second_browser`)."""
        self._rr = 0
        self._affinity: dict[str, Server] = {}
        self._only_server = self.servers[0] if n == 1 else None
        self._stores_version: tuple[int, ...] = ()
        self._stores_snap: Mapping[str, Mapping[str, StoreEntry]] = MappingProxyType({})
        self._state = State((), EMPTY, EMPTY, PageState("", None), EMPTY, Counters(), EMPTY)
        self._state_key: tuple[int, ...] = ()

    def _auth_context(self, server: str, store: Store, index: int) -> AuthContext:
        # Every server after the first runs `clock_skew` seconds off the first's clock.
        offset = float(self.config.number("clock_skew")) if index else 0.0
        return AuthContext(
            server,
            self.config,
            self.clock,
            self.entropy,
            self.users,
            store,
            self.recorder,
            self.hops,
            offset,
        )

    def _strategy(self) -> Strategy:
        if self.mode == "session":
            return SessionStrategy(self.keys.secret_text)
        policy = JwtPolicy(
            issuer=self.app_origin,
            audience=self.app_origin + "/api",
            pin_algorithm=self.config.flag("pin_algorithm"),
            check_aud=self.config.flag("check_aud"),
            leeway=self.config.number("leeway"),
        )
        access = JwtStrategy(JwtIssuer(self.key_ring, self.entropy, policy))
        tokens = access if self.mode == "jwt" else HybridStrategy(access)
        return BffStrategy(tokens) if self.config.flag("bff") else tokens

    def second_browser(self) -> Browser:
        """The user's second device (a phone): its own jar, storage and page."""
        if self.phone is None:
            self.phone = Browser(
                self.app_origin,
                self.clock,
                self.recorder,
                self.changes,
                self.config.text("third_party_cookies") == "blocked",
                self,
                name="phone",
            )
        return self.phone

    @property
    def actors(self) -> tuple[str, ...]:
        names = ["browser"]
        if self.phone is not None:
            names.append("phone")
        if len(self.servers) > 1:
            names.append("lb")
        names += [s.name for s in self.servers]
        names += [s.name for s in self.stores]
        if any("attacker" in (e.src, e.dst) for e in self.recorder.events):
            # evil.example and the attacker's machine, once a step involved them.
            names.append("attacker")
        return tuple(names)

    # -- state ----------------------------------------------------------------------------
    def snapshot(self, counters: Counters) -> State:
        stores_ = self.stores
        # Versions only grow, so their sum moves exactly when one of them does.
        changes = stores_[0].version if len(stores_) == 1 else sum(s.version for s in stores_)
        key = (
            self.browser.version,
            changes,
            self.users.version,
            int(self.clock.t),
            self.attacker.version,
        )
        last = self._state
        # The recorder asks only when something may have moved (see Recorder.emit).
        if key == self._state_key and last[5] is counters:
            return last
        versions = key[1:4]
        if versions != self._stores_version:
            stores_map: dict[str, Mapping[str, StoreEntry]] = {
                s.name: s.snapshot() for s in self.stores
            }
            stores_map["users"] = self.users.snapshot()
            self._stores_snap = MappingProxyType(stores_map)
            self._stores_version = versions
        self._state_key = key
        self._state = _new_tuple(
            State, (*self.browser.snapshot(), self._stores_snap, counters, self.attacker.loot)
        )
        return self._state

    # -- the network ----------------------------------------------------------------------
    def first_hop(self) -> str:
        """The first hop a request would take: the balancer, or the one server."""
        return "lb" if len(self.servers) > 1 else self.servers[0].name

    def pick_server(self, client: str) -> Server:
        if len(self.servers) == 1:
            return self.servers[0]
        if self.config.flag("sticky") and client in self._affinity:
            return self._affinity[client]
        server = self.servers[self._rr % len(self.servers)]
        self._rr += 1
        self._affinity.setdefault(client, server)
        return server

    def answer_at(self, server: Server, request: Request) -> Response:
        """`server` answers `request`, its store hops drawn from it. No request or
        response hop is recorded: `exchange` draws those, and the live loopback server
        answers a real request with this alone."""
        hops = self.hops
        first = hops.current
        hops.current = server.name
        try:
            return server.handle(request)
        finally:
            hops.current = first

    def deliver(
        self,
        request: Request,
        client: str,
        context: Mapping[str, Any],
        *,
        left_out: Sequence[LeftOut] = (),
        why: str = "",
    ) -> Response:
        """Carry a request from `client` to a server (through the balancer) and back.

        `context` (initiator, kind, cross_site) goes into the trace as it is: pass a
        mapping nobody changes afterwards."""
        return self.exchange(request, client, context, left_out, why)[0]

    def exchange(
        self,
        request: Request,
        client: str,
        context: Mapping[str, Any],
        left_out: Sequence[LeftOut],
        why: str,
    ) -> tuple[Response, list[str]]:
        """`deliver`, also returning the response's Set-Cookie lines, so the browser
        does not look for them a second time."""
        rid = self.browser.new_request_id()
        wire = on_the_wire(request.headers)
        carries = wire.carries
        tally = self.recorder.tally
        tally.requests += 1
        if carries:
            tally.credential_bytes += wire.credential_bytes
            tally.cookie_bytes += wire.cookie_bytes
            tally.authorization_bytes += wire.authorization_bytes
        server = self._only_server or self.pick_server(client)
        first_hop = "lb" if self._only_server is None else server.name
        # Built when first read: its inputs are values that never change afterwards.
        marks = Marks.of_request(
            bool(carries), bool(left_out), False, client, RequestContext.of(context)
        )
        detail = DetailView(
            request_record, request, rid, client, context, carries, left_out, marks=marks
        )
        label, explain = request_words(request, carries, left_out)
        self.recorder.emit("request", client, first_hop, label, why or explain, detail)
        if first_hop == "lb":
            sticky = self.config.flag("sticky")
            self.recorder.emit(
                "request",
                "lb",
                server.name,
                label,
                f"The load balancer forwards it to {server.name}"
                f"{' (sticky: this client always goes there)' if sticky else ' (round-robin)'}.",
                DetailView(_forwarded, detail, server.name, marks=marks),
            )
        response = self.answer_at(server, request)
        # What the jar would do with each Set-Cookie depends on the jar now: judged now.
        lines = response.set_cookies()
        set_cookies = self._set_cookie_carries(lines, request, client, context) if lines else ()
        resp_marks = Marks.of_response(bool(set_cookies))
        resp_detail = DetailView(response_record, response, rid, set_cookies, marks=resp_marks)
        status, explain = response_words(response, set_cookies)
        if first_hop == "lb":
            self.recorder.emit(
                "response",
                server.name,
                "lb",
                status,
                f"{server.name} answers {status}.",
                DetailView(_answered_by, resp_detail, server.name, marks=resp_marks),
            )
        if client == "browser" and self.browser.page.last_status != response.status:
            # Set before the response event, whose state is the state after it arrived.
            self.browser.page.last_status = response.status
            self.browser.changed()
        self.recorder.emit("response", first_hop, client, status, explain, resp_detail)
        return response, lines

    def _set_cookie_carries(
        self,
        lines: list[str],
        request: Request,
        client: str,
        context: Mapping[str, Any],
    ) -> tuple[Carry, ...]:
        carries: list[Carry] = []
        owner = self.phone if client == "phone" else self.browser if client == "browser" else None
        probe = None if owner is None else owner.jar.copy()
        for line in lines:
            name = line.split("=", 1)[0].strip()
            rejected, reason = False, ""
            if probe is not None and owner is not None:
                result = owner.judge_set_cookie(
                    probe,
                    request.url,
                    line,
                    context.get("initiator"),
                    str(context.get("kind", "fetch")),
                )
                rejected = not result.stored and not result.deleted
                reason = result.reason
            carries.append(
                Carry(
                    "Set-Cookie", name, role_of_cookie(name), rejected, reason, "Max-Age=0" in line
                )
            )
        return tuple(carries)


def response_record(response: Response, rid: int, set_cookies: tuple[Carry, ...]) -> ResponseDetail:
    return ResponseDetail(
        response.status, response.phrase, response.wire_headers(), response.body, rid, set_cookies
    )


def _forwarded(detail: DetailView, server: str) -> RequestDetail:
    """The balancer's hop: the browser's request, forwarded to `server`."""
    request = detail.record()
    assert type(request) is RequestDetail
    return request._replace(forwarded_to=server)


def _answered_by(detail: DetailView, server: str) -> ResponseDetail:
    """The server's answer to the balancer, which passes it on to the client."""
    response = detail.record()
    assert type(response) is ResponseDetail
    return response._replace(server=server)


def make_trace(
    world: World, steps: Sequence[Step], scenario: str, title: str, seed: int | None
) -> Trace:
    return Trace(
        scenario,
        title,
        world.mode,
        MappingProxyType(dict(world.config.values)),
        seed,
        world.actors,
        tuple(steps),
        tuple(world.recorder.events),
        float(world.clock.start_epoch),
        MappingProxyType(
            {
                "algorithm": world.keys.algorithm,
                "secret": world.keys.secret_text,
                "public_pem": world.keys.public_pem,
                "jwt_keys": MappingProxyType(world.key_ring.verification_texts()),
                "session_salt": SESSION_SALT,
                "required_claims": tuple(REQUIRED_CLAIMS),
            }
        ),
    )
