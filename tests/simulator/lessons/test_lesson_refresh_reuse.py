"""refresh-reuse: rotation detects the copy and revokes the family for both holders."""

from __future__ import annotations

import pytest
from lesson_trace import app_statuses, attack, events, run, step_index, verdicts


def test_hybrid_reuse_revokes_the_family() -> None:
    t = run("refresh-reuse", "hybrid")
    stolen = attack(t, step_index(t, "steal"))["stolen"]
    first = attack(t, step_index(t, "refresh_reuse", 1))
    assert first["status"] == 200
    assert first["success"] is True
    assert set(first["stolen"]) == {"refresh", "access_token"}
    assert first["stolen"]["refresh"] != stolen["refresh"], "rotated"
    victim = step_index(t, "refresh")
    assert app_statuses(t, victim) == [401]
    refused = verdicts(t, victim, "refresh")[-1]
    assert refused["ok"] is False
    assert "reuse" in str(refused["reason"])
    # The family record in the store is now revoked.
    store = t.events[-1].state.stores["store"]
    families = [v.value for k, v in store.items() if k.startswith("family:")]
    assert families
    assert all('"revoked": true' in f for f in families)
    second = attack(t, step_index(t, "refresh_reuse", 2))
    assert second["status"] == 401
    assert "revoked" in str(second["reason"])
    # The victim's page was signed out.
    assert t.events[-1].state.page.signed_in_as is None


def test_without_a_copy_rotation_just_works() -> None:
    t = run("refresh-reuse", "hybrid")
    # Before the attacker acts, a refresh from the page alone would succeed: check the
    # first rotation happened on a valid, unused token.
    first = step_index(t, "refresh_reuse", 1)
    ok = [v for v in verdicts(t, first, "refresh") if v["ok"]]
    assert ok
    assert "valid and unused" in str(ok[0]["reason"])


@pytest.mark.parametrize("mode", ["session", "jwt"])
def test_other_modes_have_no_refresh_endpoint(mode: str) -> None:
    t = run("refresh-reuse", mode)
    for i, step in enumerate(t.steps):
        if step.action in ("refresh", "refresh_reuse"):
            assert app_statuses(t, i) == [404]
    assert not any(e.kind == "store" and "refresh:" in e.label for e in events(t, 0))
