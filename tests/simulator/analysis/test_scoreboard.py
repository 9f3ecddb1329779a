"""simulator/analysis/scoreboard.py: figures from the trace, logout and attacker results."""

from __future__ import annotations

from functools import cache

import factories
import pytest

from authflow import simulator
from authflow.simulator.analysis import scoreboard

run = cache(factories.run)
"""A lesson's fast run, made once per lesson and mode."""


def lessons_and_modes() -> list[tuple[str, str]]:
    return [
        (name, mode)
        for name in simulator.scenario_names()
        for mode in simulator.load_scenario(name).modes
    ]


@pytest.mark.parametrize(("lesson", "mode"), lessons_and_modes())
def test_figures_equal_the_trace_counters(lesson: str, mode: str) -> None:
    trace = run(lesson, mode)
    board = scoreboard.score(trace)
    last = trace.events[-1].state
    c = last.counters
    assert board.counters == c
    header, rows = scoreboard.table([board])
    assert header == ("", mode)
    cells = {label: values[0] for label, *values in rows}
    assert cells["Requests"] == str(c.requests)
    assert cells["Credential bytes sent"] == (
        f"{c.credential_bytes} B (Cookie {c.cookie_bytes} B, "
        f"Authorization {c.authorization_bytes} B)"
    )
    assert cells["Store reads to authenticate"] == str(c.store_reads)
    assert cells["Store writes"] == str(c.store_writes)
    assert cells["Signature checks"] == str(c.signature_checks)

    # Server state: every store but the user records, keys and values, in bytes.
    def kept(state: simulator.State) -> int:
        return sum(
            len(k.encode()) + len(v.value.encode())
            for name, entries in state.stores.items()
            if name != "users"
            for k, v in entries.items()
        )

    peak = max(kept(e.state) for e in trace.events)
    assert cells["Server state kept (peak / end)"] == f"{peak} B / {kept(last)} B"
    assert set(board.attacker.obtained) == set(last.attacker)
    attacks = [e for e in trace.events if e.kind == "attack"]
    assert [(e.step, e.detail["attack"], e.detail["success"]) for e in attacks] == list(
        board.attacker.attempts
    )


def test_session_logout_is_effective_at_once_and_jwt_is_not() -> None:
    if "replay-after-logout" not in simulator.scenario_names():
        pytest.skip("the replay-after-logout lesson is not there yet")
    trace = run("replay-after-logout", "session")
    logout = next(i for i, s in enumerate(trace.steps) if s.action == "logout")
    session = scoreboard.logout_result(trace)
    assert session.logout_step == logout
    assert session.last_accepted_step is None
    assert session.effective_step is not None
    assert session.text().startswith(f"step {logout + 1} ")
    jwt = scoreboard.logout_result(run("replay-after-logout", "jwt"))
    assert jwt.last_accepted_step is not None
    assert jwt.last_accepted_step > logout
    assert f"still worked at step {jwt.last_accepted_step + 1}" in jwt.text()
    # Hybrid: the refresh token dies at logout, but the stolen access token lives on;
    # a refused refresh token must not make the logout look effective, nor must the
    # access token's own expiry after the wait (issue 13: that was "effective at step 8").
    trace = run("replay-after-logout", "hybrid")
    hybrid = scoreboard.logout_result(trace)
    assert hybrid.last_accepted_step is not None
    assert hybrid.effective_step is None
    assert hybrid.expired_step is not None
    assert hybrid.expired_step > hybrid.last_accepted_step
    assert trace.steps[hybrid.expired_step].action == "replay"
    assert hybrid.text().startswith("not effective: a copy still worked at step")
    assert hybrid.text().endswith(f"step {hybrid.expired_step + 1} only because it had expired")
    # With a denylist the logout ends the access token too: effective at the next replay.
    denied = scoreboard.logout_result(run("replay-after-logout", "hybrid", revocation="denylist"))
    assert denied.effective_step == logout + 1
    assert denied.last_accepted_step is None


def test_no_logout_and_no_attack() -> None:
    trace = factories.simulate(run("basics", "session").steps[:2], "session")
    board = scoreboard.score(trace, "Session")
    assert board.logout.text() == "no logout"
    assert board.attacker.text() == "no attack"
    assert board.title == "Session"


def test_logout_untested_when_no_copy_is_presented() -> None:
    # In basics the page forgets its credential at logout and the next request
    # carries none: nothing shows whether a copy would still work.
    result = scoreboard.logout_result(run("basics", "jwt"))
    assert result.effective_step is None
    assert result.last_accepted_step is None
    assert result.text() == "untested: no copy presented after step 3"


def test_markdown_is_the_table() -> None:
    boards = [scoreboard.score(run("basics", m), m.title()) for m in ("session", "jwt")]
    text = scoreboard.to_markdown(boards)
    lines = text.splitlines()
    _header, rows = scoreboard.table(boards)
    assert lines[0] == "|  | Session | Jwt |"
    assert lines[1] == "|---|---|---|"
    assert len(lines) == 2 + len(rows)
    for line, row in zip(lines[2:], rows, strict=True):
        assert line == "| " + " | ".join(row) + " |"


def test_markdown_escapes_pipes() -> None:
    board = scoreboard.score(run("basics", "session"), "a|b")
    assert "| a\\|b |" in scoreboard.to_markdown([board])
