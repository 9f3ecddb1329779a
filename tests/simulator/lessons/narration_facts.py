"""The narration tests' own reading of a trace: a step's facts from its JSON events.

Written apart from simulator/lessons/facts.py on purpose: the settings-grid test checks
the simulator's choice of words against facts recomputed here from the documented JSON
format (README, "Trace format"), so a wrong fact computation in the simulator cannot
vouch for itself. A fact the library's lessons assert must have a reader here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

Json = Mapping[str, Any]
Value = str | frozenset[str]
CLIENTS = ("browser", "attacker", "phone")
WEAK = ("secret", "password", "123456", "changeme", "jwt-secret", "supersecret", "key")
"""Only used when a lesson asserts secret_guessable: the weak secrets the grid uses."""


def _app_requests(events: Sequence[Json]) -> list[Json]:
    return [
        e
        for e in events
        if e["kind"] == "request" and e["src"] in CLIENTS and e["dst"] != "attacker"
    ]


def _answers(events: Sequence[Json], *, preflight: bool = False) -> list[Json]:
    methods = {e["detail"].get("request_id"): e["detail"]["method"] for e in _app_requests(events)}
    return [
        e
        for e in events
        if e["kind"] == "response"
        and e["dst"] in CLIENTS
        and e["src"] != "attacker"
        and (methods.get(e["detail"].get("request_id")) == "OPTIONS") == preflight
    ]


def _sent(events: Sequence[Json]) -> list[Json]:
    return [e["detail"] for e in _app_requests(events) if not e["detail"].get("blocked")]


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _carried(events: Sequence[Json]) -> Value:
    out = set()
    for d in _sent(events):
        for c in d.get("carries", []):
            out.add("Authorization" if c["header"] == "Authorization" else c["name"])
    return frozenset(out)


def _cookie_answers(events: Sequence[Json]) -> list[Json]:
    """Answers with Set-Cookie lines: the app's, and a page's on evil.app.example."""
    return [e for e in events if e["kind"] == "response" and e["dst"] in CLIENTS]


def _set_cookie(events: Sequence[Json], deletes: bool) -> Value:
    return frozenset(
        c["name"]
        for e in _cookie_answers(events)
        for c in e["detail"].get("carries", [])
        if not c.get("rejected") and bool(c.get("deletes")) == deletes
    )


def _attacks(events: Sequence[Json]) -> list[Json]:
    return [e["detail"] for e in events if e["kind"] == "attack"]


def _refresh_statuses(events: Sequence[Json]) -> list[str]:
    ids = {
        e["detail"].get("request_id")
        for e in _app_requests(events)
        if e["src"] == "browser" and e["detail"]["path"] == "/auth/refresh"
    }
    return [
        str(e["detail"]["status"]) for e in _answers(events) if e["detail"].get("request_id") in ids
    ]


def _statuses(events: Sequence[Json]) -> list[str]:
    return [str(e["detail"]["status"]) for e in _answers(events)]


def _preflight(events: Sequence[Json]) -> str:
    requests = [e["detail"] for e in _app_requests(events)]
    if not any(d["method"] == "OPTIONS" for d in requests):
        return "none"
    return "refused" if any(d.get("blocked") for d in requests) else "allowed"


def _answer_read(events: Sequence[Json]) -> Value | None:
    for a in _attacks(events):
        if "readable" in a:
            return _flag(bool(a["readable"]))
    return None


_REFUSAL_WORDS = re.compile(
    r"(not yet valid|expired|unknown kid|algorithm|no aud|aud|no iss|iss|typ|bad signature"
    r"|token revoked|no token)\b"
)


def _refusal_word(reason: str) -> str:
    """The word a variant asserts for a JWT refusal, read from the reason's start."""
    found = _REFUSAL_WORDS.match(reason)
    if found is None:
        return "invalid"
    word = found.group(1)
    return {
        "no aud": "aud",
        "no iss": "iss",
        "bad signature": "signature",
        "token revoked": "revoked",
    }.get(word, word)


STEP_FACTS: dict[str, Callable[[Sequence[Json]], Value | None]] = {
    "status": lambda ev: (_statuses(ev) or [None])[-1],
    "first_status": lambda ev: (_statuses(ev) or [None])[0],
    "statuses": lambda ev: frozenset(_statuses(ev)),
    "carried": _carried,
    "left_out": lambda ev: frozenset(lo["name"] for d in _sent(ev) for lo in d.get("left_out", [])),
    "set_cookies": lambda ev: _set_cookie(ev, False),
    "cleared_cookies": lambda ev: _set_cookie(ev, True),
    "rejected_cookies": lambda ev: frozenset(
        c["name"]
        for e in _cookie_answers(ev)
        for c in e["detail"].get("carries", [])
        if c.get("rejected")
    ),
    "stolen": lambda ev: (
        frozenset(n for a in _attacks(ev) for n in a["stolen"]) if _attacks(ev) else None
    ),
    "attack_success": lambda ev: (
        _flag(any(a["success"] for a in _attacks(ev))) if _attacks(ev) else None
    ),
    "attacker_holds": lambda ev: frozenset(ev[-1]["state"]["attacker"]),
    "preflight": _preflight,
    "answer_read": _answer_read,
    "refreshed": lambda ev: _flag("200" in _refresh_statuses(ev)),
    "refresh_status": lambda ev: (_refresh_statuses(ev) or [None])[-1],
    "refused_checks": lambda ev: frozenset(
        e["detail"]["check"] for e in ev if e["kind"] == "verdict" and not e["detail"]["ok"]
    ),
    "token_refusals": lambda ev: frozenset(
        _refusal_word(e["detail"]["reason"])
        for e in ev
        if e["kind"] == "verdict" and e["detail"]["check"] == "jwt" and not e["detail"]["ok"]
    ),
    "expired_refused": lambda ev: _flag(
        any(
            e["kind"] == "verdict"
            and not e["detail"]["ok"]
            and str(e["detail"]["reason"]).startswith("expired ")
            for e in ev
        )
    ),
    "signed_in": lambda ev: _flag(bool(ev[-1]["state"]["browser"]["page"]["signed_in_as"])),
    "signed_in_as": lambda ev: ev[-1]["state"]["browser"]["page"]["signed_in_as"] or "",
    "servers_hit": lambda ev: frozenset(
        e["src"]
        for e in ev
        if e["kind"] == "response"
        and e["dst"] in ("lb", *CLIENTS)
        and e["src"] not in (*CLIENTS, "lb")
    ),
}


def fact(name: str, events: Sequence[Json], mode: str, settings: Mapping[str, str]) -> Value | None:
    """One fact of a step, read from its JSON events, the mode and the settings."""
    if name == "mode":
        return mode
    if name == "one_store":
        return _flag(int(settings["servers"]) == 1 or settings["store"] == "shared")
    if name == "secret_guessable":
        return _flag(settings["secret"] in WEAK)
    if name in settings:
        return settings[name]
    reader = STEP_FACTS.get(name)
    assert reader is not None, f"the grid test has no reader for the fact {name!r}"
    return reader(events)


def _norm(value: Any) -> str | tuple[str, ...]:
    if isinstance(value, list | tuple):
        return tuple(_norm_one(v) for v in value)
    return _norm_one(value)


def _norm_one(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def one_holds(actual: Value | None, expected: Any) -> bool:
    want = _norm(expected)
    if actual is None:
        return False
    if isinstance(actual, frozenset):
        return actual == frozenset(want) if isinstance(want, tuple) else want in actual
    return actual in want if isinstance(want, tuple) else actual == want


def when_holds(
    when: Mapping[str, Any], events: Sequence[Json], mode: str, settings: Mapping[str, str]
) -> bool:
    for key, expected in when.items():
        if key == "not":
            if any(one_holds(fact(k, events, mode, settings), v) for k, v in expected.items()):
                return False
        elif not one_holds(fact(key, events, mode, settings), expected):
            return False
    return True
