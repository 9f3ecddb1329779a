"""xss: what injected script can read and send away, and what it can do in the page."""

from __future__ import annotations

from lesson_trace import attack, carried, requests, run, step_index


def test_jwt_in_local_storage_is_stolen_and_replayed() -> None:
    t = run("xss", "jwt")
    i = step_index(t, "xss_steal")
    steal = attack(t, i)
    token = t.events[-1].state.local_storage  # the page still holds it
    assert steal["stolen"]["access_token"] == token["https://app.example"]["access_token"]
    assert steal["success"] is True
    # The loot went to evil.example, and the attacker keeps it.
    exfil = requests(t, i)[0]
    assert exfil.dst == "attacker"
    assert "evil.example/collect" in exfil.detail["url"]
    assert t.events[-1].state.attacker["access_token"] == steal["stolen"]["access_token"]
    replay = attack(t, step_index(t, "replay"))
    assert replay["status"] == 200
    assert replay["success"] is True
    assert attack(t, step_index(t, "xss_request"))["status"] == 200


def test_jwt_in_memory_is_readable_by_injected_script_too() -> None:
    t = run("xss", "jwt", token_storage="memory")
    steal = attack(t, step_index(t, "xss_steal"))
    assert "access_token" in steal["stolen"]
    assert attack(t, step_index(t, "replay"))["status"] == 200


def test_session_httponly_stops_theft_not_on_page_use() -> None:
    t = run("xss", "session")
    steal = attack(t, step_index(t, "xss_steal"))
    assert steal["stolen"] == {}
    assert steal["success"] is False
    assert steal["document_cookie"] == ""
    assert {"name": "sid", "reason": "HttpOnly: hidden from script"} in steal["hidden"]
    assert attack(t, step_index(t, "replay"))["status"] == 401
    i = step_index(t, "xss_request")
    on_page = attack(t, i)
    assert on_page["status"] == 200
    assert on_page["success"] is True
    sent = requests(t, i, "/api/transfer")[0]
    assert ("Cookie", "sid") in carried(sent)
    assert sent.detail["body"] == {"amount": 1000, "to": "mallory"}


def test_session_without_httponly_is_stolen() -> None:
    t = run("xss", "session", http_only="false")
    steal = attack(t, step_index(t, "xss_steal"))
    assert "sid" in steal["stolen"]
    assert attack(t, step_index(t, "replay"))["status"] == 200


def test_hybrid_refresh_cookie_not_stolen_access_token_is() -> None:
    t = run("xss", "hybrid")
    steal = attack(t, step_index(t, "xss_steal"))
    assert "refresh" not in steal["stolen"]
    assert "access_token" in steal["stolen"]
    assert "refresh" not in t.events[-1].state.attacker
    assert attack(t, step_index(t, "replay"))["status"] == 200
    assert attack(t, step_index(t, "xss_request"))["status"] == 200


def test_jwt_in_an_httponly_cookie_is_not_stolen_but_still_used() -> None:
    t = run("xss", "jwt", token_storage="cookie")
    steal = attack(t, step_index(t, "xss_steal"))
    assert "access_token" not in steal["stolen"]
    assert attack(t, step_index(t, "replay"))["status"] == 401
    i = step_index(t, "xss_request")
    assert attack(t, i)["status"] == 200
    assert ("Cookie", "access_token") in carried(requests(t, i, "/api/transfer")[0])
