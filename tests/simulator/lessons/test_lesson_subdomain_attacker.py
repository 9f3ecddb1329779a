"""subdomain-attacker: evil.app.example is same-site with app.example, so SameSite keeps
no cookie off its requests; a server-side check and CORS still can."""

from __future__ import annotations

from lesson_trace import attack, carried, header, left_out, requests, run, step_index

from authflow.simulator.trace.trace import Event, Trace


def _sent(t: Trace, action: str, path: str) -> tuple[Event, dict[str, object]]:
    i = step_index(t, action)
    return requests(t, i, path)[0], dict(attack(t, i))


def test_strict_stops_the_other_site_but_not_the_sibling_subdomain() -> None:
    t = run("subdomain-attacker", "session")
    cross, result = _sent(t, "csrf", "/api/transfer")
    assert left_out(cross)["sid"] == "SameSite=Strict: cross-site request"
    assert result["status"] == 401
    same, result = _sent(t, "subdomain_csrf", "/api/transfer")
    assert same.detail["context"] == {
        "initiator": "https://evil.app.example",
        "kind": "form",
        "cross_site": False,
    }
    assert header(same, "Origin") == "https://evil.app.example"
    assert ("Cookie", "sid") in carried(same)
    assert result["status"] == 200
    assert result["success"] is True


def test_a_csrf_token_still_refuses_the_same_site_post() -> None:
    t = run("subdomain-attacker", "session", csrf_token="true")
    same, result = _sent(t, "subdomain_csrf", "/api/transfer")
    assert ("Cookie", "sid") in carried(same)
    assert result["status"] == 403
    assert result["success"] is False


def test_cors_hides_the_answer_unless_it_allows_the_subdomain() -> None:
    t = run("subdomain-attacker", "session")
    fetched, result = _sent(t, "subdomain_fetch", "/api/profile")
    assert ("Cookie", "sid") in carried(fetched)
    assert result["status"] == 200
    assert result["readable"] is False
    assert result["success"] is False
    t = run("subdomain-attacker", "session", cors="any-with-credentials")
    _, result = _sent(t, "subdomain_fetch", "/api/profile")
    assert result["readable"] is True
    assert result["read"] == {"user": "alice", "role": "user"}


def test_a_header_token_is_never_attached() -> None:
    for mode in ("jwt", "hybrid"):
        t = run("subdomain-attacker", mode)
        same, result = _sent(t, "subdomain_csrf", "/api/transfer")
        assert header(same, "Authorization") is None
        assert ("Cookie", "sid") not in carried(same)
        assert result["status"] == 401
