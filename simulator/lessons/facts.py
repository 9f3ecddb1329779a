"""The facts of one lesson step: what its events show and which settings were in force.

A narration variant asserts facts (`when = { status = 401, revocation = "none" }`); the
variant is shown only when every fact it asserts holds for the step. Each fact is
computed here from the step's own events (read through the typed accessors) and the
run's settings, never from what the lesson expected.

A fact's value is a text (a status, a setting's value, "true"/"false") or a set of texts
(the credentials the step's requests carried, what the attacker stole ...); a fact that
does not apply to the step (no response, no attack) is absent, and a `when` naming it
does not hold. Adding a fact is one entry in `FACTS`; assets/scenarios/README.md lists
them, and tests/simulator/lessons/test_narration_grid.py recomputes each from the JSON
trace with its own reader, so a new fact needs a line there too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from authflow.simulator.attacker.forgery import WEAK_SECRETS
from authflow.simulator.config.settings import SETTINGS
from authflow.simulator.trace.details import (
    as_attack,
    as_request,
    as_response,
    as_verdict,
)
from authflow.simulator.trace.trace import Event

FactValue = str | frozenset[str]
"""A text, or a set of texts."""

CLIENTS = frozenset({"browser", "attacker", "phone"})
"""Who sends requests to the app (evil.example's own server is the attacker's actor too,
but it never answers a request to the app)."""


class StepRun(NamedTuple):
    """What one step's facts are computed from."""

    mode: str
    settings: Mapping[str, str]
    """The run's resolved settings (every key, normalised values)."""
    events: Sequence[Event]
    """The step's events, in order, the opening note first."""


class Fact(NamedTuple):
    name: str
    doc: str
    compute: Callable[[StepRun], FactValue | None]
    """The fact's value for the step; None when it does not apply."""


def _app_requests(run: StepRun) -> list[Event]:
    """Requests a client sent towards the app (not the balancer's forward, not
    requests to evil.example's own server)."""
    return [
        e for e in run.events if e.kind == "request" and e.src in CLIENTS and e.dst != "attacker"
    ]


def _app_responses(run: StepRun, *, preflight: bool = False) -> list[Event]:
    """Answers the app gave a client, in order; preflight answers only when asked."""
    out = []
    methods = {as_request(e).request_id: as_request(e).method for e in _app_requests(run)}
    for e in run.events:
        if e.kind != "response" or e.dst not in CLIENTS or e.src == "attacker":
            continue
        method = methods.get(as_response(e).request_id)
        if (method == "OPTIONS") == preflight:
            out.append(e)
    return out


def _statuses(run: StepRun) -> list[str]:
    return [str(as_response(e).status) for e in _app_responses(run)]


def _status(run: StepRun) -> FactValue | None:
    found = _statuses(run)
    return found[-1] if found else None


def _first_status(run: StepRun) -> FactValue | None:
    found = _statuses(run)
    return found[0] if found else None


def _all_statuses(run: StepRun) -> FactValue:
    return frozenset(_statuses(run))


def _carried(run: StepRun) -> FactValue:
    """Credential names: cookie names, "Authorization" for a bearer token."""
    names: set[str] = set()
    for e in _app_requests(run):
        request = as_request(e)
        if request.blocked:
            continue
        for c in request.carries:
            names.add("Authorization" if c.header == "Authorization" else c.name)
    return frozenset(names)


def _left_out(run: StepRun) -> FactValue:
    return frozenset(
        lo.name
        for e in _app_requests(run)
        if not as_request(e).blocked
        for lo in as_request(e).left_out
    )


def _cookie_answers(run: StepRun) -> list[Event]:
    """Answers whose Set-Cookie lines the browser judged: the app's, and those of a page
    the attacker serves (evil.app.example may set cookies for app.example)."""
    return [e for e in run.events if e.kind == "response" and e.dst in CLIENTS]


def _set_cookies(run: StepRun, *, deletes: bool) -> FactValue:
    names = set()
    for e in _cookie_answers(run):
        for c in as_response(e).carries:
            if not c.rejected and c.deletes == deletes:
                names.add(c.name)
    return frozenset(names)


def _rejected_cookies(run: StepRun) -> FactValue:
    return frozenset(
        c.name for e in _cookie_answers(run) for c in as_response(e).carries if c.rejected
    )


def _attacks(run: StepRun) -> list[Event]:
    return [e for e in run.events if e.kind == "attack"]


def _stolen(run: StepRun) -> FactValue | None:
    attacks = _attacks(run)
    if not attacks:
        return None
    return frozenset(name for e in attacks for name in as_attack(e).stolen)


def _attack_success(run: StepRun) -> FactValue | None:
    attacks = _attacks(run)
    if not attacks:
        return None
    return _flag(any(as_attack(e).success for e in attacks))


def _attacker_holds(run: StepRun) -> FactValue:
    return frozenset(run.events[-1].state.attacker) if run.events else frozenset()


def _preflight(run: StepRun) -> FactValue:
    requests = [as_request(e) for e in _app_requests(run)]
    if not any(r.method == "OPTIONS" for r in requests):
        return "none"
    return "refused" if any(r.blocked for r in requests) else "allowed"


def _answer_read(run: StepRun) -> FactValue | None:
    """Whether evil.example's script could read the answer (cross_site_fetch only)."""
    for e in _attacks(run):
        readable = as_attack(e).extra.get("readable")
        if readable is not None:
            return _flag(bool(readable))
    return None


def _refresh_statuses(run: StepRun) -> list[str]:
    ids = {
        as_request(e).request_id
        for e in _app_requests(run)
        if e.src == "browser" and as_request(e).path == "/auth/refresh"
    }
    return [
        str(as_response(e).status) for e in _app_responses(run) if as_response(e).request_id in ids
    ]


def _refreshed(run: StepRun) -> FactValue:
    return _flag("200" in _refresh_statuses(run))


def _refresh_status(run: StepRun) -> FactValue | None:
    found = _refresh_statuses(run)
    return found[-1] if found else None


def _refused_checks(run: StepRun) -> FactValue:
    """The checks whose verdict refused something in this step ("session", "jwt",
    "refresh", "csrf", "cors", "password" ...)."""
    return frozenset(
        as_verdict(e).check for e in run.events if e.kind == "verdict" and not as_verdict(e).ok
    )


_TOKEN_REFUSALS: tuple[tuple[str, str], ...] = (
    ("not yet valid", "not yet valid"),
    ("expired", "expired"),
    ("unknown kid", "unknown kid"),
    ("algorithm", "algorithm"),
    ("aud ", "aud"),
    ("no aud", "aud"),
    ("iss ", "iss"),
    ("no iss", "iss"),
    ("typ ", "typ"),
    ("bad signature", "signature"),
    ("token revoked", "revoked"),
    ("no token", "no token"),
)
"""How the JWT check's refusal reasons begin (jwt_tokens.py, auth_jwt.py), and the
word a narration variant asserts for each."""


def _token_refusals(run: StepRun) -> FactValue:
    """Why the server refused a JWT in this step, one word per refusal."""
    out = set()
    for e in run.events:
        if e.kind != "verdict":
            continue
        verdict = as_verdict(e)
        if verdict.ok or verdict.check != "jwt":
            continue
        kind = next((k for p, k in _TOKEN_REFUSALS if verdict.reason.startswith(p)), "invalid")
        out.add(kind)
    return frozenset(out)


def _signed_in(run: StepRun) -> FactValue:
    return _flag(bool(run.events and run.events[-1].state.page.signed_in_as))


def _signed_in_as(run: StepRun) -> FactValue:
    return (run.events[-1].state.page.signed_in_as or "") if run.events else ""


def _servers(run: StepRun) -> FactValue:
    """The app servers that answered in this step."""
    out = set()
    for e in run.events:
        if (
            e.kind == "response"
            and e.src not in CLIENTS
            and e.src != "lb"
            and e.dst in ("lb", *CLIENTS)
        ):
            out.add(e.src)
    return frozenset(out)


def _secret_guessable(run: StepRun) -> FactValue:
    return _flag(run.settings.get("secret", "random") in WEAK_SECRETS)


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _setting(key: str) -> Callable[[StepRun], FactValue | None]:
    return lambda run: run.settings.get(key)


FACTS: Mapping[str, Fact] = {
    f.name: f
    for f in (
        Fact("mode", "The mode being run: session, jwt or hybrid.", lambda run: run.mode),
        Fact(
            "status",
            "Status of the last answer the app gave the browser or attacker in this step "
            "(CORS preflights left out).",
            _status,
        ),
        Fact("first_status", "Status of the step's first such answer.", _first_status),
        Fact("statuses", "Set of the statuses of every such answer.", _all_statuses),
        Fact(
            "carried",
            "Set of credentials the step's requests to the app carried: cookie names, and "
            '"Authorization" for a bearer token.',
            _carried,
        ),
        Fact("left_out", "Set of cookie names the jar kept off those requests.", _left_out),
        Fact(
            "set_cookies",
            "Set of cookies the browser stored from a Set-Cookie in this step (the app's, "
            "or a page on evil.app.example's).",
            lambda run: _set_cookies(run, deletes=False),
        ),
        Fact(
            "cleared_cookies",
            "Set of cookies a Set-Cookie with Max-Age=0 deleted.",
            lambda run: _set_cookies(run, deletes=True),
        ),
        Fact("rejected_cookies", "Set of Set-Cookie lines the jar refused.", _rejected_cookies),
        Fact(
            "stolen",
            "Set of credential names an attack in this step obtained (absent when the "
            "step has no attack).",
            _stolen,
        ),
        Fact(
            "attack_success",
            "true when an attack in this step succeeded (absent when there is none).",
            _attack_success,
        ),
        Fact(
            "attacker_holds",
            "Set of credential names the attacker holds after the step.",
            _attacker_holds,
        ),
        Fact("preflight", "none, allowed or refused: the step's CORS preflight.", _preflight),
        Fact(
            "answer_read",
            "true when evil.example's script could read the answer (cross_site_fetch).",
            _answer_read,
        ),
        Fact("refreshed", "true when the page got a 200 from /auth/refresh.", _refreshed),
        Fact(
            "refresh_status",
            "Status of the page's last /auth/refresh in this step.",
            _refresh_status,
        ),
        Fact(
            "refused_checks",
            'Set of the server or browser checks that refused something ("session", "jwt", '
            '"refresh", "csrf", "cors", "password" ...).',
            _refused_checks,
        ),
        Fact(
            "token_refusals",
            "Set of why the server refused a JWT in this step: not yet valid, expired, "
            "unknown kid, algorithm, aud, iss, typ, signature, revoked, no token, invalid.",
            _token_refusals,
        ),
        Fact(
            "expired_refused",
            "true when a check refused a token in this step because its exp had passed.",
            lambda run: _flag(
                any(
                    e.kind == "verdict"
                    and not as_verdict(e).ok
                    and as_verdict(e).reason.startswith("expired ")
                    for e in run.events
                )
            ),
        ),
        Fact("signed_in", "true when the page shows a signed-in user after the step.", _signed_in),
        Fact(
            "signed_in_as",
            'The user the page shows as signed in after the step ("" when none).',
            _signed_in_as,
        ),
        Fact("servers_hit", "Set of the app servers that answered in this step.", _servers),
        Fact(
            "one_store",
            "true when every server reads and writes the same store (one server, or "
            "store = shared): what one server deletes, no other still has.",
            lambda run: _flag(run.settings["servers"] == "1" or run.settings["store"] == "shared"),
        ),
        Fact(
            "secret_guessable",
            "true when the secret setting is on the attacker's guess list.",
            _secret_guessable,
        ),
        *(Fact(s.key, f"The setting {s.key}: {s.help}", _setting(s.key)) for s in SETTINGS),
    )
}
"""Every fact a narration variant may assert, by name."""


def step_facts(run: StepRun) -> dict[str, FactValue]:
    """Every fact that applies to the step."""
    out: dict[str, FactValue] = {}
    for name, fact in FACTS.items():
        value = fact.compute(run)
        if value is not None:
            out[name] = value
    return out
