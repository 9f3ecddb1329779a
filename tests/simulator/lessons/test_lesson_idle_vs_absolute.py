"""idle-vs-absolute: use renews the idle limit, nothing renews the absolute one."""

from __future__ import annotations

from lesson_trace import app_statuses, run, step_index, verdicts

from authflow.simulator.trace.trace import Trace


def _profiles(t: Trace) -> list[list[int]]:
    return [app_statuses(t, i) for i, s in enumerate(t.steps) if s.action == "profile"]


def _active_until_the_cap(t: Trace) -> list[list[int]]:
    return _profiles(t)[:5]


def test_session_an_active_user_meets_only_the_absolute_limit() -> None:
    t = run("idle-vs-absolute", "session")
    assert _active_until_the_cap(t) == [[200], [200], [200], [200], [401]]
    capped = step_index(t, "profile", 5)
    reason = str(verdicts(t, capped, "session")[-1]["reason"])
    assert "absolute lifetime" in reason
    # After a fresh login, 40 idle minutes outlast the 30-minute idle limit.
    idle = step_index(t, "profile", 6)
    assert app_statuses(t, idle) == [401]
    assert "no such session" in str(verdicts(t, idle, "session")[-1]["reason"])


def test_session_without_an_absolute_limit_stays_signed_in_while_active() -> None:
    t = run("idle-vs-absolute", "session", session_max_age="0")
    assert _active_until_the_cap(t) == [[200]] * 5


def test_session_an_idle_limit_shorter_than_the_gaps_logs_out_at_once() -> None:
    t = run("idle-vs-absolute", "session", session_ttl="1200")
    assert _profiles(t)[0] == [401]


def test_hybrid_rotation_slides_but_the_family_is_capped_at_login() -> None:
    t = run("idle-vs-absolute", "hybrid")
    # Every 25 minutes the 15-minute access token has expired and a refresh renews it,
    # until the family's fixed life (session_max_age = 2 h) is over.
    assert _active_until_the_cap(t) == [[401, 200, 200]] * 4 + [[401, 401]]
    capped = step_index(t, "profile", 5)
    assert "fixed lifetime" in str(verdicts(t, capped, "refresh")[-1]["reason"])
    idle = step_index(t, "profile", 6)
    assert app_statuses(t, idle) == [401, 401]
    # The refresh cookie's Max-Age is refresh_ttl too: the browser has dropped it.
    assert verdicts(t, idle, "refresh")[-1]["reason"] == "no refresh cookie on the request"


def test_hybrid_without_an_absolute_limit_the_family_lives_refresh_ttl() -> None:
    # The family then lives refresh_ttl (30 min here) from login: without
    # session_max_age the old fixed cap applies, and it is shorter.
    t = run("idle-vs-absolute", "hybrid", session_max_age="0")
    assert _profiles(t)[1] == [401, 401]
    t = run("idle-vs-absolute", "hybrid", session_max_age="0", refresh_ttl="604800")
    assert _active_until_the_cap(t) == [[401, 200, 200]] * 5


def test_jwt_exp_is_absolute_and_use_does_not_extend_it() -> None:
    t = run("idle-vs-absolute", "jwt")
    assert _profiles(t)[0] == [401]
    reason = str(verdicts(t, step_index(t, "profile", 1), "jwt")[-1]["reason"])
    assert "expired" in reason
