"""bff: the backend keeps the tokens; the browser holds one cookie; XSS steals nothing it
can use elsewhere, yet can still act from the page while it runs."""

from __future__ import annotations

import pytest
from lesson_trace import app_statuses, attack, events, requests, run, step_index, verdicts


@pytest.mark.parametrize("mode", ["jwt", "hybrid"])
def test_the_browser_holds_only_the_backends_cookie(mode: str) -> None:
    t = run("bff", mode)
    state = events(t, step_index(t, "login"))[-1].state
    assert [(c.name, c.http_only) for c in state.cookies] == [("bff", True)]
    assert not state.memory
    assert not any(state.local_storage.values())
    kept = [v.value for k, v in state.stores["store"].items() if k.startswith("bff:")]
    assert len(kept) == 1
    assert '"access_token"' in kept[0]
    if mode == "hybrid":
        assert '"refresh"' in kept[0], "the refresh token stays with the backend too"


@pytest.mark.parametrize("mode", ["jwt", "hybrid"])
def test_xss_steals_nothing_usable_yet_acts_from_the_page(mode: str) -> None:
    t = run("bff", mode)
    assert attack(t, step_index(t, "xss_steal"))["stolen"] == {}
    assert attack(t, step_index(t, "replay"))["status"] == 401
    acted = attack(t, step_index(t, "xss_request"))
    assert acted["status"] == 200
    assert acted["success"] is True
    sent = requests(t, step_index(t, "xss_request"), "/api/transfer")[0]
    assert "bff=" in dict(sent.detail["headers"])["Cookie"]


@pytest.mark.parametrize("mode", ["jwt", "hybrid"])
def test_without_the_backend_xss_walks_off_with_the_token(mode: str) -> None:
    t = run("bff", mode, bff="false")
    assert "access_token" in attack(t, step_index(t, "xss_steal"))["stolen"]
    assert attack(t, step_index(t, "replay"))["status"] == 200


def test_hybrid_the_backend_refreshes_for_the_page() -> None:
    t = run("bff", "hybrid")
    later = step_index(t, "profile", 2)
    assert app_statuses(t, later) == [200]
    assert requests(t, later, "/auth/refresh") == [], "the page never calls /auth/refresh"
    assert [v["ok"] for v in verdicts(t, later, "refresh")] == [True]


def test_jwt_the_backend_has_no_refresh_token_so_the_login_ends_at_exp() -> None:
    t = run("bff", "jwt")
    assert app_statuses(t, step_index(t, "profile", 2)) == [401]
