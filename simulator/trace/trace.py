"""The trace: what the simulator produced, one frozen event per hop or decision.

Everything the app shows (stage, inspectors, sequence diagram, exports) and the
command line reads these values and nothing else, so they cannot disagree. The types
made once per event are NamedTuples: a frozen dataclass costs several times more to
construct, and the engine builds two or three of them for every hop. The state
held by each event is plain data (tuples, strings, numbers, read-only mappings) so a
future live mode can feed the same views from a real browser.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

EventKind = Literal[
    "request", "response", "store", "cookie", "storage", "verdict", "attack", "note"
]
EVENT_KINDS: tuple[str, ...] = (
    "request",
    "response",
    "store",
    "cookie",
    "storage",
    "verdict",
    "attack",
    "note",
)

EMPTY: Mapping[str, Any] = MappingProxyType({})


def frozen_map(data: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    """A read-only view of a copy of `data` (events must not change after the fact)."""
    return MappingProxyType(dict(data or {}))


@dataclass(frozen=True, slots=True)
class CookieRow:
    """One cookie in the browser's jar, with every attribute the jar keeps."""

    name: str
    value: str
    domain: str
    """The host (host-only cookie) or the Domain attribute's value, without a dot."""
    path: str
    expires: float | None
    """Simulated second at which it expires; None for a session cookie."""
    http_only: bool
    secure: bool
    same_site: str
    """"Strict", "Lax" or "None" as the jar enforces it."""
    same_site_defaulted: bool = False
    """True when the Set-Cookie line had no valid SameSite, so Chromium's Lax applies."""
    host_only: bool = True
    created: float = 0.0
    size: int = 0
    """len(name) + len(value), the quantity browsers cap at 4096."""

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "domain": self.domain,
            "path": self.path,
            "expires": self.expires,
            "http_only": self.http_only,
            "secure": self.secure,
            "same_site": self.same_site,
            "same_site_defaulted": self.same_site_defaulted,
            "host_only": self.host_only,
            "created": self.created,
            "size": self.size,
        }


class StoreEntry(NamedTuple):
    """One key of a Redis-like store."""

    value: str
    expires: float | None
    """Simulated second at which the key expires; None when it has no TTL."""

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "expires": self.expires}


class Counters(NamedTuple):
    """Running totals since the start of the run (what the scoreboard compares)."""

    requests: int = 0
    credential_bytes: int = 0
    """Bytes of Cookie and Authorization header values sent by browser or attacker."""
    cookie_bytes: int = 0
    authorization_bytes: int = 0
    store_reads: int = 0
    """Store reads made to authenticate a request."""
    store_writes: int = 0
    signature_checks: int = 0

    def to_json(self) -> dict[str, int]:
        return {
            "requests": self.requests,
            "credential_bytes": self.credential_bytes,
            "cookie_bytes": self.cookie_bytes,
            "authorization_bytes": self.authorization_bytes,
            "store_reads": self.store_reads,
            "store_writes": self.store_writes,
            "signature_checks": self.signature_checks,
        }


class PageState(NamedTuple):
    """What the app's page in the browser shows."""

    url: str
    signed_in_as: str | None
    """The user the page believes is signed in, or None (the page shows a login form)."""
    last_status: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"url": self.url, "signed_in_as": self.signed_in_as, "last_status": self.last_status}


class State(NamedTuple):
    """Every actor's state right after an event."""

    cookies: tuple[CookieRow, ...]
    local_storage: Mapping[str, Mapping[str, str]]
    """origin -> key -> value."""
    memory: Mapping[str, str]
    """The app page's JavaScript variables (lost on reload)."""
    page: PageState
    stores: Mapping[str, Mapping[str, StoreEntry]]
    """store actor name ("store", or "store-1".. with one memory store per server) -> key."""
    counters: Counters
    attacker: Mapping[str, str] = EMPTY
    """What the attacker holds: credential name -> value."""

    def to_json(self) -> dict[str, Any]:
        return {
            "browser": {
                "cookies": [c.to_json() for c in self.cookies],
                "local_storage": {o: dict(kv) for o, kv in self.local_storage.items()},
                "memory": dict(self.memory),
                "page": self.page.to_json(),
            },
            "store": {
                name: {k: e.to_json() for k, e in entries.items()}
                for name, entries in self.stores.items()
            },
            "attacker": dict(self.attacker),
            "counters": self.counters.to_json(),
        }


class Event(NamedTuple):
    """One hop or decision, with the state of every actor after it."""

    seq: int
    t: float
    """Simulated seconds since the start of the run."""
    kind: EventKind
    src: str
    dst: str
    label: str
    """Short text for the arrow: "POST /auth/login", "200 OK", "GET sess:3f…"."""
    detail: Mapping[str, Any]
    """Kind-specific data as the README's trace format has it; read it typed with the
    accessors of simulator/trace/details.py (`as_request(event)` ...)."""
    explain: str
    """One plain sentence: why this happened."""
    state: State
    step: int
    """Index of the scenario step (user action) that produced this event."""

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "t": self.t,
            "kind": self.kind,
            "src": self.src,
            "dst": self.dst,
            "label": self.label,
            "detail": _plain(self.detail),
            "explain": self.explain,
            "step": self.step,
            "state": self.state.to_json(),
        }


class NarrationVariant(NamedTuple):
    """One way a lesson may narrate a step, and the facts of the run it asserts."""

    when: Mapping[str, Any]
    """fact name -> the value it must have (a text, or a list of texts: any of them; for a
    set-valued fact, a text it must contain or a list it must equal); "not" -> a table
    of facts none of which may hold. See simulator/lessons/facts.py."""
    text: str


@dataclass(frozen=True, slots=True)
class Step:
    """One scenario step: the user action and the lesson's narration for it."""

    action: str
    args: Mapping[str, Any]
    narration: str
    """The text to show. In a finished trace's steps: the text shown for this run (the
    variant chosen, or the rule-made explanation), the same as its note's
    `detail.narration`."""
    variants: tuple[NarrationVariant, ...] = ()
    """Written texts, each shown only when the facts it asserts hold (the first that
    holds wins); empty when `narration` is true under every setting."""


@dataclass(frozen=True, slots=True)
class Trace:
    """A whole run: the steps that were asked for and every event they caused."""

    scenario: str
    title: str
    mode: str
    settings: Mapping[str, Any]
    seed: int | None
    actors: tuple[str, ...]
    """Actor names in display order (browser first)."""
    steps: tuple[Step, ...]
    events: tuple[Event, ...]
    start_epoch: float = 1_767_258_000.0
    """Unix time of t = 0 on the simulated clock (token iat/exp and Expires are absolute)."""
    server: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    """What the simulated server verifies with, so inspectors can give the server's own
    verdict on a token or cookie: algorithm, secret (HS256 and cookie signing),
    public_pem (RS256/ES256), session_salt, required_claims."""
    engine: str = "simulated"
    """Who produced the events: "simulated", or "live" (a real Chromium against a real
    loopback server answering with the same rules; see simulator/live/)."""

    def __len__(self) -> int:
        return len(self.events)

    def __getitem__(self, index: int) -> Event:
        return self.events[index]

    def events_of_step(self, step: int) -> tuple[Event, ...]:
        return tuple(e for e in self.events if e.step == step)


def _plain(value: Any) -> Any:
    """Turn read-only mappings and tuples back into JSON-ready dicts and lists."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
