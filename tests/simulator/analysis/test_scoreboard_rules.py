"""The scoreboard's judgements on hand-made traces: when a logout took effect, what the
attacker got, the bytes of server state, and the table's words and escapes.

Each trace is the few events a judgement reads, built with `ev` (kind, step and
detail), so every rule is tried at its edges without a simulator run.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import pytest

from authflow.simulator.analysis import scoreboard
from authflow.simulator.analysis.scoreboard import AttackerResult, LogoutResult
from authflow.simulator.trace.trace import (
    Counters,
    Event,
    PageState,
    State,
    Step,
    StoreEntry,
    Trace,
)

EMPTY = MappingProxyType({})


def state(
    stores: dict[str, dict[str, StoreEntry]] | None = None,
    counters: Counters = Counters(),  # noqa: B008 (an immutable NamedTuple)
    attacker: dict[str, str] | None = None,
) -> State:
    return State(
        (),
        EMPTY,
        EMPTY,
        PageState("https://app.example/", None),
        MappingProxyType({k: MappingProxyType(v) for k, v in (stores or {}).items()}),
        counters,
        MappingProxyType(attacker or {}),
    )


def ev(kind: str, step: int, st: State | None = None, **detail: Any) -> Event:
    return Event(
        0, 0.0, kind, "browser", "server", kind, MappingProxyType(detail), "", st or state(), step
    )  # type: ignore[arg-type]


def presenting(step: int, *roles: str) -> Event:
    return ev("request", step, carries=[{"header": "Cookie", "name": r, "role": r} for r in roles])


def judged(step: int, ok: bool, user: str | None = "alice", check: str = "session") -> Event:
    return ev("verdict", step, ok=ok, check=check, user=user, reason="")


def trace(actions: list[tuple[str, dict[str, Any]]], events: list[Event]) -> Trace:
    steps = tuple(Step(a, args, "") for a, args in actions)
    numbered = tuple(e._replace(seq=i) for i, e in enumerate(events))
    return Trace("hand-made", "", "session", EMPTY, 1, ("browser", "server"), steps, numbered)


LOGIN = ("login", {"user": "alice"})
LOGOUT = ("logout", {})
REPLAY = ("replay", {})


# -- when a logout took effect -------------------------------------------------------------


@pytest.mark.parametrize(
    ("result", "text"),
    [
        (LogoutResult(None, None, None), "no logout"),
        (LogoutResult(2, None, 4), "not effective: a copy still worked at step 5"),
        (LogoutResult(2, None, None), "untested: no copy presented after step 3"),
        (LogoutResult(2, 3, None), "step 3 (a copy was refused at step 4)"),
        (LogoutResult(2, 5, 4), "step 6 (a copy still worked at step 5)"),
    ],
)
def test_logout_words(result: LogoutResult, text: str) -> None:
    assert result.text() == text


def test_no_logout_step_no_logout_result() -> None:
    t = trace([LOGIN, REPLAY], [presenting(1, "session"), judged(1, True)])
    assert scoreboard.logout_result(t) == LogoutResult(None, None, None)


def test_a_copy_refused_after_logout_makes_it_effective_from_there() -> None:
    t = trace(
        [LOGIN, LOGOUT, REPLAY, REPLAY],
        [
            presenting(1, "session"),
            judged(1, True),  # the logout request itself: not a copy presented after it
            ev("request", 2),  # a request that carries nothing at all
            presenting(2, "session"),
            judged(2, False),
            presenting(3, "session"),
            judged(3, False),
        ],
    )
    assert scoreboard.logout_result(t) == LogoutResult(1, 2, None)


def test_a_copy_that_still_works_is_the_last_acceptance() -> None:
    t = trace(
        [LOGIN, LOGOUT, REPLAY, REPLAY, REPLAY],
        [
            presenting(2, "access"),
            judged(2, True, check="jwt"),
            presenting(3, "access"),
            judged(3, True, check="jwt"),
            presenting(4, "refresh"),
            judged(4, False, check="refresh"),  # another credential: says nothing of access
        ],
    )
    assert scoreboard.logout_result(t) == LogoutResult(1, None, 3)


def test_a_refusal_of_the_same_credential_after_acceptance_counts() -> None:
    t = trace(
        [LOGIN, LOGOUT, REPLAY, REPLAY],
        [
            presenting(2, "access", "refresh"),
            judged(2, True, check="jwt"),
            presenting(3, "access"),
            judged(3, False, check="jwt"),
        ],
    )
    assert scoreboard.logout_result(t) == LogoutResult(1, 3, 2)


def test_only_the_logged_out_users_credential_and_auth_checks_count() -> None:
    t = trace(
        [LOGIN, LOGOUT, REPLAY, REPLAY, REPLAY],
        [
            presenting(2, "session"),
            judged(2, True, user="bob"),  # someone else's session
            presenting(3, "session"),
            judged(3, True, check="csrf"),  # not a credential check
            ev("request", 4, carries=[{"header": "X-CSRF-Token", "name": "csrf", "role": "csrf"}]),
            judged(4, False),  # nothing presented: no copy was tried
        ],
    )
    assert scoreboard.logout_result(t) == LogoutResult(1, None, None)


def test_the_next_login_ends_the_window() -> None:
    t = trace(
        [LOGIN, LOGOUT, ("login", {"user": "alice"}), REPLAY],
        [
            presenting(2, "session"),
            judged(2, True),
            presenting(3, "session"),
            judged(3, True),
        ],
    )
    assert scoreboard.logout_result(t) == LogoutResult(1, None, None)


def test_a_refusal_in_the_step_of_the_last_acceptance_is_not_after_it() -> None:
    t = trace(
        [LOGIN, LOGOUT, REPLAY],
        [
            presenting(2, "access"),
            judged(2, True, check="jwt"),
            presenting(2, "access"),
            judged(2, False, check="jwt"),
        ],
    )
    assert scoreboard.logout_result(t) == LogoutResult(1, None, 2)


def test_without_a_named_user_any_acceptance_counts() -> None:
    t = trace(
        [("login", {}), LOGOUT, REPLAY],
        [presenting(2, "session"), judged(2, True, user="mallory")],
    )
    assert scoreboard.logout_result(t) == LogoutResult(1, None, 2)


# -- what the attacker got -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("result", "text"),
    [
        (AttackerResult((), ()), "no attack"),
        (AttackerResult(("sid",), ()), "obtained sid"),
        (
            AttackerResult(("sid", "refresh"), ((1, "steal", True), (3, "replay", False))),
            "obtained sid, refresh; worked: steal (step 2); failed: replay (step 4)",
        ),
        (
            AttackerResult(
                ("sid",),
                ((1, "steal", True), (2, "csrf", False), (3, "replay", True), (4, "tamper", False)),
            ),
            "obtained sid; worked: steal (step 2), replay (step 4); "
            "failed: csrf (step 3), tamper (step 5)",
        ),
        (AttackerResult((), ((0, "csrf", False),)), "obtained nothing; failed: csrf (step 1)"),
    ],
)
def test_attacker_words(result: AttackerResult, text: str) -> None:
    assert result.text() == text


# -- server state and the table ---------------------------------------------------------------


def test_server_state_is_utf8_bytes_of_every_store_but_the_users() -> None:
    kept = state(
        {
            "users": {"user:alice": StoreEntry("x" * 100, None)},
            "store": {"sess:é": StoreEntry("ü", None), "deny:1": StoreEntry("{}", 5.0)},
            "store-2": {"k": StoreEntry("v", None)},
        }
    )
    assert scoreboard.store_bytes(kept) == (7 + 2) + (6 + 2) + (1 + 1)


def test_score_reads_the_last_counters_and_the_peak_of_server_state() -> None:
    small = state({"store": {"a": StoreEntry("1", None)}})
    big = state({"store": {"a": StoreEntry("1234", None)}}, Counters(requests=1))
    last = state({}, Counters(3, 10, 4, 6, 2, 1, 5), {"sid": "x"})
    t = trace([LOGIN], [ev("note", 0, small), ev("note", 0, big), ev("note", 0, last)])
    board = scoreboard.score(t)
    assert board.title == "session"
    assert board.counters == Counters(3, 10, 4, 6, 2, 1, 5)
    assert (board.store_bytes_peak, board.store_bytes_end) == (5, 0)
    assert board.attacker.obtained == ("sid",)
    cells = {label: values[0] for label, *values in scoreboard.table([board])[1]}
    assert cells == {
        "Requests": "3",
        "Credential bytes sent": "10 B (Cookie 4 B, Authorization 6 B)",
        "Store reads to authenticate": "2",
        "Store writes": "1",
        "Signature checks": "5",
        "Server state kept (peak / end)": "5 B / 0 B",
        "Logout effective at": "no logout",
        "Attacker": "obtained sid",
    }
    assert scoreboard.score(t, "Mine").title == "Mine"


def test_an_empty_run_scores_zero() -> None:
    board = scoreboard.score(trace([], []))
    assert board.counters == Counters()
    assert (board.store_bytes_peak, board.store_bytes_end) == (0, 0)
    assert board.attacker.text() == "no attack"


def test_markdown_escapes_what_would_break_a_table() -> None:
    board = scoreboard.score(trace([], []), "a\\b|c\nd")
    header = scoreboard.to_markdown([board]).splitlines()[0]
    assert header == "|  | a\\\\b\\|c d |"


def test_the_attacker_row_names_attacks_in_words_not_action_names() -> None:
    from factories import run

    from authflow.simulator.analysis.scoreboard import attacker_result

    text = attacker_result(run("xss", "jwt")).text()
    assert "xss_steal" not in text
    assert "Attacker's injected script reads the page's secrets (step 2)" in text
