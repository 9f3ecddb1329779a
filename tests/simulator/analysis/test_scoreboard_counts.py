"""The scoreboard's figures against counts made here, from the trace's own record of
what happened, never from the counters the scoreboard displays.

- requests: the request events that left a client (not the balancer's forwards, not a
  request the browser refused to send);
- credential bytes: the `name=value` pairs of each raw `Cookie` header, the raw
  `Authorization` and `X-CSRF-Token` values;
- store reads: the store events that read (`GET`), except the password lookup at login;
- signature checks: the server's verdicts on a presented session or token, plus each
  logout (and, in session mode, login or password change) that presented one, which the
  server verifies without a verdict of its own.

A counter counted twice, skipped or inflated fails here (issue 20 planted each).
"""

from __future__ import annotations

import pytest
from factories import run_once

from authflow import simulator
from authflow.simulator.analysis import scoreboard
from authflow.simulator.trace.trace import Event, Trace

SIGNED_CHECKS = ("session", "jwt")
"""Verdicts on a presented session cookie or access token."""


def lessons_and_modes() -> list[tuple[str, str]]:
    return [
        (name, mode)
        for name in simulator.scenario_names()
        for mode in simulator.load_scenario(name).modes
    ]


def raw_headers(event: Event, name: str) -> list[str]:
    return [str(v) for n, v in event.detail["headers"] if str(n).lower() == name.lower()]


def cookie_pairs(event: Event) -> list[str]:
    return [
        pair.strip()
        for value in raw_headers(event, "Cookie")
        for pair in value.split(";")
        if pair.strip()
    ]


def sent(trace: Trace) -> list[Event]:
    return [
        e
        for e in trace.events
        if e.kind == "request" and e.src != "lb" and not e.detail.get("blocked")
    ]


def credential_bytes(trace: Trace) -> tuple[int, int, int]:
    """(all, Cookie, Authorization) bytes of credentials on the wire."""
    cookie = authorization = csrf = 0
    for e in sent(trace):
        cookie += sum(len(pair) for pair in cookie_pairs(e))
        authorization += sum(len(v) for v in raw_headers(e, "Authorization"))
        csrf += sum(len(v) for v in raw_headers(e, "X-CSRF-Token"))
    return cookie + authorization + csrf, cookie, authorization


def store_reads(trace: Trace) -> int:
    reads = 0
    path = ""
    for e in trace.events:
        if e.kind == "request":
            path = str(e.detail.get("path", ""))
        elif e.kind == "store" and e.detail["command"] == "GET":
            password_lookup = path == "/auth/login" and str(e.detail["key"]).startswith("user:")
            reads += not password_lookup
    return reads


def presents_signed_credential(event: Event, mode: str) -> bool:
    names = {pair.partition("=")[0] for pair in cookie_pairs(event)}
    if mode == "session":
        return "sid" in names
    bearer = any(v.startswith("Bearer ") for v in raw_headers(event, "Authorization"))
    return bearer or "access_token" in names


def signature_checks(trace: Trace) -> int:
    checks = 0
    refreshed = 0
    for e in trace.events:
        if e.kind == "request":
            refreshed = 0
        elif e.kind == "verdict" and e.detail["check"] == "refresh" and e.detail["ok"]:
            refreshed += 1
        if e.kind == "verdict" and e.detail["check"] == "bff":
            # A backend-for-frontend checks the access token it keeps for the cookie,
            # and checks the new one again after refreshing it itself.
            reason = str(e.detail["reason"])
            kept = not reason.startswith(("no bff cookie", "no such backend session"))
            checks += kept + refreshed
            continue
        at_server = e.kind == "request" and e.dst.startswith("server")
        if at_server and presents_signed_credential(e, trace.mode):
            path = e.detail["path"]
            # A password change logs the user in afresh: in session mode every login
            # verifies the old sid to end it (no fixation).
            fresh_login = path in ("/auth/login", "/account/password")
            checks += path == "/auth/logout" or (trace.mode == "session" and fresh_login)
        elif e.kind == "verdict" and e.detail["check"] in SIGNED_CHECKS:
            # Nothing presented, nothing checked.
            reason = str(e.detail["reason"])
            checks += reason != "no sid cookie" and not reason.startswith("no token")
    return checks


@pytest.mark.parametrize(("lesson", "mode"), lessons_and_modes())
def test_scoreboard_figures_match_what_the_trace_shows(lesson: str, mode: str) -> None:
    trace = run_once(lesson, mode, seed=5)
    board = scoreboard.score(trace)
    total, cookie, authorization = credential_bytes(trace)
    cells = {label: values[0] for label, *values in scoreboard.table([board])[1]}
    assert cells["Requests"] == str(len(sent(trace)))
    assert cells["Credential bytes sent"] == (
        f"{total} B (Cookie {cookie} B, Authorization {authorization} B)"
    )
    assert cells["Store reads to authenticate"] == str(store_reads(trace))
    assert cells["Signature checks"] == str(signature_checks(trace))


def test_the_counts_are_not_trivially_zero() -> None:
    # The comparison above means something only where there is something to count.
    session = run_once("basics", "session", seed=5)
    jwt = run_once("basics", "jwt", seed=5)
    assert store_reads(session) >= 1
    assert signature_checks(session) >= 1
    assert signature_checks(jwt) >= 1
    assert credential_bytes(jwt)[2] > credential_bytes(session)[1] > 0
    hybrid = run_once("expiry", "hybrid", seed=5)
    refreshes = [e for e in sent(hybrid) if e.detail["path"] == "/auth/refresh"]
    assert refreshes, "the page refreshed on its own: a request no step asked for"
