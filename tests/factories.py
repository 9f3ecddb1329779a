"""Keyword factories for tests: states, events and traces made by hand, and fast runs.

Defaults are realistic (the app's origin, a signed-out page, one store) and times are
fixed, so a test names only what it is about:

    tevent("verdict", "server", "server", "✓ session", ok=True, check="session")
    ttrace([tevent("request", label="GET /api/profile", method="GET")])
    run("basics", "jwt", same_site="Strict")
    simulate([("login", {}), ("wait", {"seconds": 60})], "hybrid", refresh_ttl="30")

Hand-made details may be as sparse as the test needs; views read them through
simulator/trace/details.py, which fills in what is missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from types import MappingProxyType
from typing import Any, cast

from authflow import simulator
from authflow.simulator.trace.trace import (
    CookieRow,
    Counters,
    Event,
    EventKind,
    PageState,
    State,
    Step,
    StoreEntry,
    Trace,
)

FAST: Mapping[str, str] = MappingProxyType({"scrypt_n": "1024"})
"""A low scrypt cost keeps logins cheap in tests; the algorithm is the same."""
APP = "https://app.example"


def _frozen(data: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(data or {}))


def tstate(
    *,
    cookies: Iterable[CookieRow] = (),
    signed_in: str | None = None,
    status: int | None = None,
    url: str = APP + "/",
    store: Mapping[str, StoreEntry] | None = None,
    stores: Mapping[str, Mapping[str, StoreEntry]] | None = None,
    local: Mapping[str, Mapping[str, str]] | None = None,
    memory: Mapping[str, str] | None = None,
    attacker: Mapping[str, str] | None = None,
    counters: Counters | None = None,
) -> State:
    """Every actor's state. `store` fills the one store called "store"; `stores` gives
    them all by name (it wins when both are given)."""
    if stores is None:
        stores = {"store": store or {}}
    return State(
        cookies=tuple(cookies),
        local_storage=MappingProxyType({o: _frozen(kv) for o, kv in (local or {}).items()}),
        memory=_frozen(memory),
        page=PageState(url, signed_in, status),
        stores=MappingProxyType({name: _frozen(keys) for name, keys in stores.items()}),
        counters=counters or Counters(),
        attacker=_frozen(attacker),
    )


def tevent(
    kind: str,
    src: str = "browser",
    dst: str = "server",
    label: str = "",
    *,
    seq: int = 0,
    t: float | None = None,
    step: int = 0,
    explain: str = "why",
    state: State | None = None,
    detail: Mapping[str, Any] | None = None,
    **fields: Any,
) -> Event:
    """One event. Its detail is `detail` and/or the keyword `fields` (read-only); `t`
    defaults to a tenth of a second per `seq`."""
    return Event(
        seq=seq,
        t=seq * 0.1 if t is None else t,
        kind=cast("EventKind", kind),
        src=src,
        dst=dst,
        label=label or kind,
        detail=_frozen({**(detail or {}), **fields}),
        explain=explain,
        state=state or tstate(),
        step=step,
    )


def ttrace(
    events: Sequence[Event],
    *,
    steps: Sequence[Step] | None = None,
    mode: str = "session",
    scenario: str = "fixture",
    title: str = "Fixture",
    settings: Mapping[str, Any] | None = None,
    seed: int | None = 1,
    actors: Sequence[str] = ("browser", "server", "store"),
) -> Trace:
    """A trace of `events`; by default one step per step number the events use."""
    if steps is None:
        count = max((e.step for e in events), default=-1) + 1
        steps = [Step("profile", {}, "") for _ in range(count)]
    return Trace(
        scenario, title, mode, _frozen(settings), seed, tuple(actors), tuple(steps), tuple(events)
    )


def run(lesson: str, mode: str = "session", *, seed: int = 1, **settings: str) -> Trace:
    """A lesson run by the real simulator, with cheap logins (FAST) and `settings`."""
    return simulator.run_scenario(lesson, mode, {**FAST, **settings}, seed=seed)


@cache
def run_once(lesson: str, mode: str = "session", *, seed: int = 1, **settings: str) -> Trace:
    """`run`, computed once per test session for each set of arguments: a trace is
    immutable, so the tests that read the same lesson share one."""
    return run(lesson, mode, seed=seed, **settings)


def simulate(
    steps: Sequence[Step | tuple[str, Mapping[str, Any]]],
    mode: str = "session",
    *,
    seed: int = 1,
    **settings: str,
) -> Trace:
    """`steps` run by the real simulator, with cheap logins (FAST) and `settings`; a
    step may be written as its action and arguments, `("login", {})`."""
    return simulator.simulate(
        [s if isinstance(s, Step) else Step(s[0], dict(s[1]), "") for s in steps],
        mode,
        {**FAST, **settings},
        seed=seed,
    )
