"""session-fixation: an id planted from a sibling subdomain before login; the server's
rotate_session_on_login decides whether it becomes the victim's session."""

from __future__ import annotations

from lesson_trace import attack, carried, header, requests, run, step_index, verdicts

from authflow.simulator.trace.trace import Trace


def _planted(t: Trace) -> str:
    toss = attack(t, step_index(t, "toss_cookie"))
    assert toss["reaches_app"] is True
    value = str(toss["planted"])
    assert toss["stolen"] == {}  # the attacker's own id: planted, not stolen
    assert t.events[-1].state.attacker["planted sid"] == value
    # The jar keeps it as a Domain cookie for app.example, set from evil.app.example.
    (row,) = [c for c in t.events[-1].state.cookies if c.value == value and not c.host_only]
    assert row.domain == "app.example"
    return value


def test_default_rotation_leaves_the_planted_id_useless() -> None:
    t = run("session-fixation", "session")
    planted = _planted(t)
    login = requests(t, step_index(t, "login"), "/auth/login")[0]
    assert header(login, "Cookie") == f"sid={planted}"
    result = attack(t, step_index(t, "replay_planted"))
    assert result["status"] == 401
    assert result["success"] is False
    (check,) = verdicts(t, step_index(t, "replay_planted"), "session")
    assert "no such session" in str(check["reason"])
    # Alice's own session has a new id, not the planted one.
    mine = [c for c in t.events[-1].state.cookies if c.host_only and c.name == "sid"]
    assert [c.value for c in mine] != [planted]


def test_keeping_the_id_hands_the_attacker_alices_session() -> None:
    t = run("session-fixation", "session", rotate_session_on_login="false")
    planted = _planted(t)
    i = step_index(t, "replay_planted")
    sent = requests(t, i, "/api/profile")[0]
    assert sent.src == "attacker"
    assert ("Cookie", "sid") in carried(sent)
    assert header(sent, "Cookie") == f"sid={planted}"
    result = attack(t, i)
    assert result["status"] == 200
    assert result["user"] == "alice"
    assert result["success"] is True


def test_a_host_prefixed_cookie_cannot_be_fixed_from_a_subdomain() -> None:
    t = run("session-fixation", "session", rotate_session_on_login="false", cookie_prefix="__Host-")
    result = attack(t, step_index(t, "replay_planted"))
    # The tossed plain sid is not the cookie the server reads: the id stays the attacker's.
    assert result["user"] == "bob"
    assert result["success"] is False


def test_no_planting_over_http() -> None:
    t = run(
        "session-fixation",
        "session",
        scheme="http",
        secure="false",
        rotate_session_on_login="false",
    )
    toss = attack(t, step_index(t, "toss_cookie"))
    assert toss["reaches_app"] is False
    assert toss["reason"] == "Secure cookie set over http"
    assert attack(t, step_index(t, "replay_planted"))["status"] == 401
