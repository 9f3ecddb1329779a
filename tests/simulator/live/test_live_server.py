"""The loopback server: real HTTP in, the simulator's own verdicts out, every request
kept exactly as it arrived. No Qt: http.client plays the browser."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator

import pytest
from factories import FAST

from authflow.simulator.live.server import START_PATH, LiveServer


@pytest.fixture
def server() -> Iterator[LiveServer]:
    with LiveServer("session", dict(FAST), seed=7) as live:
        yield live


def send(
    port: int, method: str, path: str, headers: dict[str, str], body: bytes | None = None
) -> tuple[int, list[tuple[str, str]], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def login(server: LiveServer, password: str = "wonderland") -> tuple[int, str]:
    body = json.dumps({"username": "alice", "password": password}).encode()
    status, headers, _ = send(
        server.sites.app_port,
        "POST",
        "/auth/login",
        {"Content-Type": "application/json", "Origin": server.sites.app},
        body,
    )
    cookie = next((v for n, v in headers if n.lower() == "set-cookie"), "")
    return status, cookie


def test_login_gets_the_rules_answer_and_a_real_set_cookie(server: LiveServer) -> None:
    status, cookie = login(server)
    assert status == 200
    assert cookie.startswith("sid=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    arrival = server.arrivals[-1]
    kinds = [(e.kind, e.label.split(":")[0]) for e in arrival.events]
    assert ("verdict", "✓ password") in kinds
    assert any(e.kind == "store" and e.label.startswith("SET sess:") for e in arrival.events)


def test_wrong_password_is_refused_by_the_same_check(server: LiveServer) -> None:
    status, cookie = login(server, "guess")
    assert (status, cookie) == (401, "")
    assert server.arrivals[-1].events[-1].detail["reason"] == "unknown user or wrong password"


def test_the_cookie_sent_back_is_judged_by_the_session_rules(server: LiveServer) -> None:
    _, cookie = login(server)
    sid = cookie.split(";", 1)[0]
    ok, _, body = send(server.sites.app_port, "GET", "/api/profile", {"Cookie": sid})
    refused, _, _ = send(server.sites.app_port, "GET", "/api/profile", {"Cookie": sid + "x"})
    assert ok == 200
    assert json.loads(body)["user"] == "alice"
    assert refused == 401


def test_every_request_is_kept_exactly_as_received(server: LiveServer) -> None:
    send(
        server.sites.app_port,
        "GET",
        "/api/profile?x=1",
        {"Cookie": "a=1; b=2", "sec-fetch-site": "cross-site", "X-Odd-Case": "v"},
    )
    arrival = server.arrivals[-1]
    assert arrival.target == "/api/profile?x=1"
    assert ("Cookie", "a=1; b=2") in arrival.headers
    assert ("sec-fetch-site", "cross-site") in arrival.headers
    assert ("X-Odd-Case", "v") in arrival.headers
    assert arrival.client == "browser"


def test_the_rules_judge_origins_in_the_simulators_names(server: LiveServer) -> None:
    login(server)
    handed = server.arrivals[-1].handed
    assert handed is not None
    assert handed.url == "https://app.example/auth/login"
    assert handed.header("Origin") == "https://app.example"


def test_the_attackers_own_machine_is_told_apart(server: LiveServer) -> None:
    arrival = server.machine_request("GET", "/api/profile", [("Cookie", "sid=stolen")], None)
    assert arrival.client == "attacker"
    assert arrival.status == 401
    assert arrival.header("Cookie") == "sid=stolen"


def test_evil_example_serves_a_self_submitting_form_to_the_real_app(server: LiveServer) -> None:
    status, _, page = send(server.sites.attacker_port, "GET", "/csrf?amount=5&to=eve", {})
    assert status == 200
    text = page.decode()
    assert f'action="{server.sites.app}/api/transfer"' in text
    assert 'name="amount" value="5"' in text
    assert "submit()" in text
    assert server.arrivals[-1].site == "attacker"
    assert server.arrivals[-1].events == ()


def test_the_start_page_is_not_the_rules_business(server: LiveServer) -> None:
    status, headers, page = send(server.sites.app_port, "GET", START_PATH, {})
    assert status == 200
    assert b"window.authflow" in page
    assert not any(n.lower() == "set-cookie" for n, _ in headers)
    assert server.arrivals[-1].handed is None


def test_a_form_post_reaches_the_rules_as_form_fields(server: LiveServer) -> None:
    _, cookie = login(server)
    status, _, body = send(
        server.sites.app_port,
        "POST",
        "/api/transfer",
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie.split(";", 1)[0],
            "Origin": server.sites.attacker,
        },
        b"amount=1000&to=mallory",
    )
    assert status == 200
    handed = server.arrivals[-1].handed
    assert handed is not None
    assert handed.body == {"amount": "1000", "to": "mallory"}
    assert handed.header("Origin") == "https://evil.example"
    assert json.loads(body)["origin"] == "https://evil.example"
