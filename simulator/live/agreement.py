"""Where a live run and a simulated run of one lesson disagree, event by event.

Both traces are cut by lesson step (`Event.step`), as simulator/analysis/compare.py does for
runs in two modes; within a step the app's requests are lined up by who sent them,
method and path. A pair differs when the Cookie header carried other cookies, the
status differs, a Set-Cookie was stored in one and refused in the other, or a cookie
was held back in one and not the other, or for another reason. After every step the
two cookie jars are compared on what the rules decide (name, path, HttpOnly, Secure,
SameSite, session or persistent); host names differ by design (app.example is
127.0.0.1 for real) and values are random. A step the live run could not do for real
carries that note, and a difference known to be Chromium's own behaviour is named.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from authflow.simulator.analysis.compare import events_by_step
from authflow.simulator.trace.trace import CookieRow, Event, Trace

_REASON_CODES = (
    ("Host-only", "DomainMismatch"),
    ("Domain ", "DomainMismatch"),
    ("SameSite=Strict", "SameSiteStrict"),
    ("Lax by default", "SameSiteUnspecifiedTreatedAsLax"),
    ("SameSite=Lax", "SameSiteLax"),
    ("Path ", "NotOnPath"),
    ("Secure cookie", "SecureOnly"),
    ("third-party", "ThirdPartyPhaseout"),
)


def reason_codes(reason: str) -> frozenset[str]:
    """The Chromium blocked-reason codes of a left-out reason. Chromium lists every
    reason a cookie was held back for ("SameSiteStrict (…); NotOnPath (…)", as
    authflow.simulator.live.join writes them); the simulator names the first it finds."""
    codes = set()
    for part in reason.split("; "):
        for text, code in _REASON_CODES:
            if text in part or part.startswith(code):
                codes.add(code)
                break
        else:
            codes.add(part.split(" ", 1)[0])
    return frozenset(codes)


@dataclass(frozen=True, slots=True)
class Difference:
    """One place where the two runs part ways."""

    step: int
    what: str
    simulated: int | None
    """Index of the simulated event concerned (None: the run has no such event)."""
    live: int | None
    explained: str = ""
    """Why this is expected: a step not done for real, or a known Chromium behaviour."""

    def text(self) -> str:
        tail = f" [{self.explained}]" if self.explained else ""
        return f"step {self.step + 1}: {self.what}{tail}"


@dataclass(frozen=True, slots=True)
class Agreement:
    simulated: Trace
    live: Trace
    differences: tuple[Difference, ...]

    @property
    def agrees(self) -> bool:
        return not self.differences

    def marked(self, engine: str) -> frozenset[int]:
        """Event indexes of one run ("simulated" or "live") that some difference names."""
        indexes = (d.simulated if engine == "simulated" else d.live for d in self.differences)
        return frozenset(i for i in indexes if i is not None)


@dataclass(frozen=True, slots=True)
class _Hop:
    request: int
    response: int | None
    key: tuple[str, str, str]
    cookies: tuple[str, ...]
    held_back: tuple[tuple[str, frozenset[str]], ...]
    status: int | None
    set_cookies: tuple[tuple[str, bool], ...]


def _hops(trace: Trace, indexes: Sequence[int]) -> list[_Hop]:
    events = trace.events
    answers: dict[object, int] = {}
    for i in indexes:
        e = events[i]
        if e.kind == "response" and e.dst in ("browser", "attacker") and e.src != "attacker":
            answers[e.detail.get("request_id")] = i
    hops = []
    for i in indexes:
        e = events[i]
        if e.kind != "request" or e.src not in ("browser", "attacker") or e.dst == "attacker":
            continue
        d = e.detail
        answer = answers.get(d.get("request_id"))
        status = None if answer is None else int(events[answer].detail.get("status", 0))
        sets: tuple[tuple[str, bool], ...] = ()
        if answer is not None:
            sets = tuple(
                (str(c["name"]), bool(c.get("rejected")))
                for c in events[answer].detail.get("carries", ())
                if e.src == "browser"
            )
        path = str(d.get("path", "")).partition("?")[0]
        hops.append(
            _Hop(
                i,
                answer,
                (e.src, str(d.get("method", "")), path),
                tuple(sorted(c["name"] for c in d.get("carries", ()) if c["header"] == "Cookie")),
                tuple(
                    sorted(
                        ((lo["name"], reason_codes(lo["reason"])) for lo in d.get("left_out", ())),
                        key=lambda x: x[0],
                    )
                ),
                status,
                sets,
            )
        )
    return hops


def _jar(event: Event | None) -> frozenset[tuple[object, ...]]:
    if event is None:
        return frozenset()
    return frozenset(_cookie_key(c) for c in event.state.cookies)


def _cookie_key(c: CookieRow) -> tuple[object, ...]:
    return (c.name, c.path, c.http_only, c.secure, c.same_site, c.expires is None)


def _not_real(trace: Trace, indexes: Sequence[int]) -> str:
    for i in indexes:
        d = trace.events[i].detail
        if d.get("live") == "not-done":
            return "not done for real: " + str(d.get("reason", ""))
    return ""


def _same_held_back(
    sim: tuple[tuple[str, frozenset[str]], ...], live: tuple[tuple[str, frozenset[str]], ...]
) -> bool:
    """The same cookies held back, each for a reason both name. DevTools lists only
    cookies whose domain matches the request, so the simulator's cookies of other hosts
    (held back for their domain) are not compared, nor expired ones (gone from a real
    jar before any request)."""
    sim = tuple(x for x in sim if not x[1] & {"DomainMismatch", "expired"})
    if [n for n, _ in sim] != [n for n, _ in live]:
        return False
    return all(a & b for (_, a), (_, b) in zip(sim, live, strict=True))


def compare_runs(simulated: Trace, live: Trace) -> Agreement:
    """Every difference between a simulated and a live run of the same lesson."""
    sim_steps, live_steps = events_by_step(simulated), events_by_step(live)
    out: list[Difference] = []
    carried = ""
    for step in range(max(len(simulated.steps), len(live.steps))):
        s_idx, l_idx = sim_steps.get(step, []), live_steps.get(step, [])
        explained = _not_real(live, l_idx) or carried
        if explained and not carried:
            # What a step not done for real left behind shows in the steps after it.
            carried = f"after step {step + 1}, {explained}"
        s_hops, l_hops = _hops(simulated, s_idx), _hops(live, l_idx)
        matcher = difflib.SequenceMatcher(
            a=[h.key for h in s_hops], b=[h.key for h in l_hops], autojunk=False
        )
        for op, a0, a1, b0, b1 in matcher.get_opcodes():
            if op == "equal":
                for s, lv in zip(s_hops[a0:a1], l_hops[b0:b1], strict=True):
                    out += _pair(step, s, lv, explained)
                continue
            for s in s_hops[a0:a1]:
                out.append(
                    Difference(
                        step,
                        f"{' '.join(s.key[1:])} from the {s.key[0]} only in the simulation",
                        s.request,
                        None,
                        explained,
                    )
                )
            for lv in l_hops[b0:b1]:
                out.append(
                    Difference(
                        step,
                        f"{' '.join(lv.key[1:])} from the {lv.key[0]} only in the live run",
                        None,
                        lv.request,
                        explained,
                    )
                )
        s_last = simulated.events[s_idx[-1]] if s_idx else None
        l_last = live.events[l_idx[-1]] if l_idx else None
        s_jar, l_jar = _jar(s_last), _jar(l_last)
        if s_jar != l_jar:
            only_s = sorted(str(k[0]) for k in s_jar - l_jar)
            only_l = sorted(str(k[0]) for k in l_jar - s_jar)
            out.append(
                Difference(
                    step,
                    "cookie jar after the step: simulated has "
                    f"{', '.join(only_s) or 'nothing more'}, "
                    f"live has {', '.join(only_l) or 'nothing more'}",
                    s_idx[-1] if s_idx else None,
                    l_idx[-1] if l_idx else None,
                    explained,
                )
            )
    return Agreement(simulated, live, tuple(out))


def _pair(step: int, s: _Hop, lv: _Hop, explained: str) -> list[Difference]:
    what = f"{s.key[1]} {s.key[2]}"
    out = []

    def differ(text: str, response: bool = False) -> None:
        si = s.response if response and s.response is not None else s.request
        li = lv.response if response and lv.response is not None else lv.request
        out.append(Difference(step, f"{what}: {text}", si, li, explained))

    if s.cookies != lv.cookies:
        differ(
            f"Cookie header carried {', '.join(s.cookies) or 'no cookie'} simulated, "
            f"{', '.join(lv.cookies) or 'no cookie'} live"
        )
    if not _same_held_back(s.held_back, lv.held_back):
        differ(f"cookies held back: {_held(s.held_back)} simulated, {_held(lv.held_back)} live")
    if s.status != lv.status:
        differ(f"status {s.status or 'none'} simulated, {lv.status or 'none'} live", True)
    if s.set_cookies != lv.set_cookies:
        differ(f"Set-Cookie {_sets(s.set_cookies)} simulated, {_sets(lv.set_cookies)} live", True)
    return out


def _held(items: tuple[tuple[str, frozenset[str]], ...]) -> str:
    return ", ".join(f"{n} ({'+'.join(sorted(r))})" for n, r in items) or "none"


def _sets(items: tuple[tuple[str, bool], ...]) -> str:
    return ", ".join(f"{n} {'refused' if r else 'stored'}" for n, r in items) or "none"
