"""Cookie sessions as the store sees them: which records a revocation destroys."""

from __future__ import annotations

from factories import simulate


def test_a_ban_destroys_the_users_sessions_and_no_one_elses() -> None:
    # Alice logs in; the attacker's tamper logs in to their own account (bob) first.
    trace = simulate([("login", {}), ("tamper", {}), ("ban", {"user": "alice"})], "session")
    before = [e for e in trace.events if e.step == 1][-1].state.stores["store"]
    after = trace.events[-1].state.stores["store"]
    sessions = sorted(k for k in before if k.startswith("sess:"))
    assert len(sessions) == 2
    users = {k: before[k].value for k in sessions}
    (alices,) = [k for k, v in users.items() if '"alice"' in v]
    (bobs,) = [k for k, v in users.items() if '"bob"' in v]
    assert alices not in after
    assert bobs in after
    (note,) = [
        e for e in trace.events if e.step == 2 and e.kind == "note" and "revoked" in e.detail
    ]
    assert note.detail["revoked"] == [f"destroyed session {alices[5:13]}…"]
