"""Random sequences of user actions, attacks and faults, with the invariants checked.

Each sequence plays steps into one live world (as `simulate` does) and, after every
step, reads the new events and the world's state:
- nothing raises;
- a tampered or forged credential never authenticates (a forgery with a cracked weak
  secret is the one expected success, and only when the secret is on the guess list);
- a revoked credential never authenticates: a destroyed session, a denylisted jti, a
  token older than the user's token version, a refresh token of a revoked family;
- an HttpOnly cookie never appears in what script can read (document.cookie, or what
  the XSS attack got from it);
- the store never keeps a session the server destroyed.

Quick by default (~25 sequences of 30 steps per mode); AUTHFLOW_DEEP=1 runs 200.
"""

from __future__ import annotations

import base64
import json
import os
from collections import Counter
from typing import Any

import pytest
from factories import FAST
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from authflow.simulator.actions.catalogue import ACTIONS, check_args, describe
from authflow.simulator.attacker.forgery import WEAK_SECRETS
from authflow.simulator.browser.page_script import PageScript
from authflow.simulator.trace.trace import Event
from authflow.simulator.web.cookies_out import parse_cookie_header
from authflow.simulator.world.engine import World

DEEP = os.environ.get("AUTHFLOW_DEEP") == "1"
SEQUENCES = 200 if DEEP else 25
STEPS = 30

CONFIGS: dict[str, list[dict[str, str]]] = {
    # A denylist in a memory store is forgotten on restart (a real weakness, shown by the
    # lessons), so the configurations that promise revocation keep it in a shared store.
    "session": [
        {},
        {"same_site": "None", "csrf_token": "true"},
        {"store": "shared", "servers": "2"},
        {"http_only": "false", "max_age": "600"},
        {"secret": "secret"},
    ],
    "jwt": [
        {},
        {"revocation": "denylist", "store": "shared"},
        {"revocation": "token-version"},
        {"token_storage": "cookie", "same_site": "None", "revocation": "token-version"},
        {"token_storage": "memory", "secret": "secret"},
        {"cors": "any-with-credentials", "algorithm": "ES256"},
    ],
    "hybrid": [
        {},
        {"revocation": "token-version"},
        {"revocation": "denylist", "store": "shared", "servers": "2", "sticky": "true"},
        {"secret": "your-256-bit-secret", "cors": "any-with-credentials"},
    ],
}

STEP_CHOICES: list[tuple[str, dict[str, Any]]] = [
    # Logging in and using the app come up more often, so attacks find something to take.
    ("login", {}),
    ("login", {}),
    ("login", {}),
    ("profile", {}),
    ("login", {"remember_me": True}),
    ("login", {"password": "looking-glass"}),
    ("login", {"user": "bob", "password": "builder"}),
    ("login", {"password": "wrong"}),
    ("profile", {}),
    ("transfer", {}),
    ("logout", {}),
    ("refresh", {}),
    ("wait", {"seconds": 60}),
    ("wait", {"seconds": 1000}),
    ("wait", {"seconds": 90000}),
    ("reload", {}),
    ("restart_browser", {}),
    ("restart_server", {}),
    ("xss_steal", {}),
    ("xss_request", {}),
    ("csrf", {}),
    ("cross_site_fetch", {}),
    ("cross_site_fetch", {"authorization": True}),
    ("cross_site_fetch", {"method": "POST", "path": "/api/transfer"}),
    ("cross_site_fetch", {"kind": "subresource"}),
    ("steal", {}),
    ("replay", {}),
    ("replay", {"method": "POST", "path": "/api/transfer"}),
    ("refresh_reuse", {}),
    ("tamper", {}),
    ("tamper", {"claim": "sub", "value": "carol"}),
    ("forge_none", {}),
    ("forge_weak", {}),
    ("change_password", {}),
    ("change_password", {"old_password": "looking-glass", "new_password": "wonderland"}),
    ("ban", {}),
    ("send", {"from": "attacker", "path": "/api/profile"}),
    # From a sibling subdomain (evil.app.example), and login CSRF.
    ("toss_cookie", {}),
    ("toss_cookie", {"path": "/api"}),
    ("toss_cookie", {"name": "__Host-sid", "domain": ""}),
    ("replay_planted", {}),
    ("subdomain_csrf", {}),
    ("subdomain_fetch", {}),
    ("login_csrf", {}),
]


def _claims(token: str) -> dict[str, Any]:
    try:
        segment = token.split(".")[1]
        return dict(json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))))
    except (IndexError, ValueError):
        return {}


def _request_token(event: Event) -> str | None:
    for name, value in event.detail["headers"]:
        if name.lower() == "authorization" and str(value).lower().startswith("bearer "):
            return str(value)[7:].strip()
    for name, value in event.detail["headers"]:
        if name.lower() == "cookie":
            return parse_cookie_header(str(value)).get("access_token")
    return None


def _request_sid(event: Event) -> str | None:
    for name, value in event.detail["headers"]:
        if name.lower() == "cookie":
            raw = parse_cookie_header(str(value)).get("sid")
            if raw is not None:
                return raw.rpartition(".")[0] or raw
    return None


class AuthMachine(RuleBasedStateMachine):
    mode = "session"

    def __init__(self) -> None:
        super().__init__()
        self.world: World | None = None
        self.page: PageScript | None = None
        self.seen = 0
        self.steps = 0
        self.settings: dict[str, str] = {}
        self.destroyed: set[tuple[str, str]] = set()
        """(store, session id) the server deleted."""
        self.denied: set[tuple[str, str]] = set()
        """(store, jti) put on a denylist."""
        self.versions: dict[str, int] = {}
        self.revoked_families: set[tuple[str, str]] = set()
        self.current: Event | None = None
        self.current_server = ""

    @initialize(config=st.integers(min_value=0, max_value=100), seed=st.integers(0, 2**16))
    def start(self, config: int, seed: int) -> None:
        options = CONFIGS[self.mode]
        self.settings = {**FAST, **options[config % len(options)]}
        self.world = World(self.mode, self.settings, seed)
        self.page = PageScript(self.world)

    @rule(choice=st.sampled_from(STEP_CHOICES))
    def step(self, choice: tuple[str, dict[str, Any]]) -> None:
        assert self.world is not None
        assert self.page is not None
        action, raw = choice
        args = check_args(action, raw)
        w = self.world
        w.recorder.step = self.steps
        self.steps += 1
        text = describe(action, args)
        w.recorder.emit("note", "browser", "browser", text, text, {"text": text})
        ACTIONS[action].run(w, self.page, args)
        self._check_new_events()

    # -- invariants -------------------------------------------------------------------
    def _store_of(self, server: str) -> str:
        assert self.world is not None
        return next(s.store.name for s in self.world.servers if s.name == server)

    def _check_new_events(self) -> None:
        assert self.world is not None
        events = self.world.recorder.events
        for e in events[self.seen :]:
            self._check_event(e)
        self.seen = len(events)

    def _check_event(self, e: Event) -> None:
        d = e.detail
        if e.kind == "request" and not d.get("forwarded"):
            self.current = e
            self.current_server = e.dst
        elif e.kind == "request":
            self.current_server = str(d["server"])
        elif e.kind == "store":
            self._note_store(e)
        elif e.kind == "verdict" and d["ok"] and e.src.startswith("server"):
            self._check_accepted(e)
        elif e.kind == "response" and e.dst in ("browser", "attacker"):
            self._check_refresh_grant(e)
        elif e.kind == "attack":
            self._check_attack(e)

    def _note_store(self, e: Event) -> None:
        key = str(e.detail["key"])
        command = e.detail["command"]
        if command == "DEL" and key.startswith("sess:"):
            self.destroyed.add((e.dst, key[5:]))
        elif command == "SET" and key.startswith("deny:"):
            self.denied.add((e.dst, key[5:]))
        elif command == "SET" and key.startswith("family:"):
            if json.loads(str(e.detail["value"])).get("revoked"):
                self.revoked_families.add((e.dst, key[7:]))
            else:
                assert (e.dst, key[7:]) not in self.revoked_families, "family un-revoked"
        elif command == "SET" and key.startswith("user:"):
            value = str(e.detail["value"])
            if value.startswith("token_version="):
                self.versions[key[5:]] = int(value.split("=", 1)[1])

    def _check_accepted(self, e: Event) -> None:
        request = self.current
        assert request is not None
        store = self._store_of(e.src)
        assert e.src == self.current_server
        check = e.detail["check"]
        if check == "session":
            sid = _request_sid(request)
            assert (store, sid) not in self.destroyed, f"destroyed session {sid} accepted"
        elif check == "jwt":
            token = _request_token(request)
            assert token is not None
            claims = _claims(token)
            assert (store, str(claims.get("jti"))) not in self.denied, "denylisted jti accepted"
            if self.world is not None and self.world.config.text("revocation") == "token-version":
                user = str(claims.get("sub"))
                assert claims.get("ver") == self.versions.get(user, 0), "stale token version"
            header = token.split(".")[0]
            alg = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))
            assert alg.get("alg") == self.settings.get("algorithm", "HS256"), "alg not pinned"

    def _check_refresh_grant(self, e: Event) -> None:
        request = self.current
        if request is None or request.detail["path"] != "/auth/refresh":
            return
        body = e.detail.get("body")
        if e.detail["status"] == 200 and isinstance(body, dict) and "access_token" in body:
            family = str(_claims(str(body["access_token"])).get("fam"))
            store = self._store_of(self.current_server)
            assert (store, family) not in self.revoked_families, "revoked family refreshed"

    def _check_attack(self, e: Event) -> None:
        d = e.detail
        assert e.src == "attacker"
        assert isinstance(d["stolen"], dict)
        assert isinstance(d["success"], bool)
        if d["attack"] in ("tamper", "forge_none"):
            assert d["success"] is False, f"{d['attack']} authenticated: {d}"
            assert d["status"] != 200
        elif d["attack"] == "forge_weak":
            assert self.world is not None
            cfg = self.world.config
            crackable = cfg.text("secret") in WEAK_SECRETS and (
                self.mode == "session" or cfg.text("algorithm") == "HS256"
            )
            assert (d["cracked"] is not None) == crackable
            if d["success"]:
                assert crackable
                assert self.mode != "session", "a forged session id cannot exist in the store"
        elif d["attack"] == "xss_steal":
            shown = parse_cookie_header(str(d["document_cookie"]))
            # A name may be held twice (a cookie tossed from a subdomain beside the app's).
            readable = {c.name for c in e.state.cookies if not c.http_only}
            for name in shown:
                assert name in readable, f"HttpOnly {name} readable by script"

    @invariant()
    def script_never_sees_httponly(self) -> None:
        if self.world is None:
            return
        b = self.world.browser
        now = self.world.clock.t
        # Counted per name: a subdomain may toss a script-readable cookie under the name
        # of the app's HttpOnly one, and then script sees that one (and only that one).
        shown = Counter(
            pair.split("=", 1)[0]
            for pair in b.jar.script_visible(b.app_origin + "/", now=now).split("; ")
            if "=" in pair
        )
        readable = Counter(row.name for row in b.jar.rows() if not row.http_only)
        for name, count in shown.items():
            assert count <= readable[name], f"HttpOnly {name} readable by script"

    @invariant()
    def store_keeps_no_destroyed_session(self) -> None:
        if self.world is None:
            return
        for store in self.world.stores:
            keys = store.snapshot()
            for name, sid in self.destroyed:
                if name == store.name:
                    assert f"sess:{sid}" not in keys, f"{name} kept destroyed session {sid}"


def _machine(mode: str) -> Any:
    cls: Any = type(f"{mode.capitalize()}Machine", (AuthMachine,), {"mode": mode})
    cls.TestCase.settings = settings(
        max_examples=SEQUENCES,
        stateful_step_count=STEPS,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    return cls


@pytest.mark.parametrize("mode", ["session", "jwt", "hybrid"])
def test_random_sequences_keep_the_invariants(mode: str) -> None:
    _machine(mode).TestCase("runTest").runTest()


@settings(max_examples=10 if not DEEP else 60, deadline=None)
@given(
    mode=st.sampled_from(["session", "jwt", "hybrid"]),
    picks=st.lists(st.sampled_from(STEP_CHOICES), min_size=1, max_size=15),
    seed=st.integers(0, 2**16),
)
def test_same_steps_and_seed_give_the_same_trace(
    mode: str, picks: list[tuple[str, dict[str, Any]]], seed: int
) -> None:
    from authflow import simulator
    from authflow.simulator.formats.text import to_json_lines
    from authflow.simulator.trace.trace import Step

    steps = [Step(action, args, "") for action, args in picks]
    first = list(to_json_lines(simulator.simulate(steps, mode, FAST, seed)))
    assert first == list(to_json_lines(simulator.simulate(steps, mode, FAST, seed)))
