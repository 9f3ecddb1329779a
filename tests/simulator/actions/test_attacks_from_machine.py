"""Attacks from the attacker's own machine: the request that goes out, what the server
answers, and what the attacker holds afterwards (steal, replay, refresh reuse, tamper,
forging). Read from the trace, as a student would."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from factories import simulate

from authflow.simulator.trace.trace import Event, Trace


def attack(trace: Trace, step: int) -> Event:
    (event,) = [e for e in trace.events if e.kind == "attack" and e.step == step]
    return event


def sent(trace: Trace, step: int) -> list[Event]:
    """What the attacker's machine sent during `step`."""
    return [
        e for e in trace.events if e.kind == "request" and e.src == "attacker" and e.step == step
    ]


def header(event: Event, name: str) -> str | None:
    found = [v for k, v in event.detail["headers"] if k.lower() == name.lower()]
    return found[-1] if found else None


def segment(text: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


@pytest.mark.parametrize("mode", ["jwt", "hybrid"])
def test_an_alg_none_token_claims_what_the_attacker_chose_for_an_hour(mode: str) -> None:
    forge = ("forge_none", {"user": "dave", "role": "root"})
    trace = simulate([("wait", {"seconds": 30}), forge], mode)
    event = attack(trace, 1)
    token = event.detail["forged"]["access_token"]
    (request,) = sent(trace, 1)
    assert header(request, "Authorization") == f"Bearer {token}"
    head, claims, signature = token.split(".")
    assert segment(head) == {"alg": "none", "typ": "JWT"}
    assert signature == ""
    now = int(trace.start_epoch + event.t)
    assert {k: claims_ for k, claims_ in segment(claims).items() if k != "jti"} == {
        "sub": "dave",
        "role": "root",
        "iat": now,
        "exp": now + 3600,
    }
    # Words follow the run: the attempt names the claims it forged.
    assert 'alg "none"' in event.detail["attempted"]
    assert "sub=dave, role=root" in event.detail["attempted"]
    assert event.detail["status"] == 401
    assert event.state.attacker == {}


def test_malware_copies_only_cookies_the_browser_still_holds() -> None:
    # The sid cookie lives 60 s; once it has expired there is nothing left to copy.
    steps = [("login", {}), ("steal", {}), ("wait", {"seconds": 61}), ("steal", {})]
    trace = simulate(steps, "session", max_age="60")
    first, second = attack(trace, 1), attack(trace, 3)
    assert set(first.detail["stolen"]) == {"sid"}
    assert first.detail["success"] is True
    assert second.detail["stolen"] == {}
    assert second.detail["success"] is False
    assert second.label == "Stolen: nothing"


def test_malware_copies_local_storage_and_page_memory_too() -> None:
    trace = simulate([("login", {}), ("steal", {})], "jwt", token_storage="localStorage")
    stolen = attack(trace, 1).detail["stolen"]
    assert set(stolen) == {"access_token"}
    body = [e for e in trace.events if e.kind == "response" and e.step == 0][-1].detail["body"]
    assert stolen["access_token"] == body["access_token"]
    assert attack(trace, 1).state.attacker == stolen


def test_a_replayed_transfer_moves_the_attackers_amount_to_the_attacker() -> None:
    steps = [("login", {}), ("steal", {}), ("replay", {"method": "POST", "path": "/api/transfer"})]
    trace = simulate(steps, "session")
    (request,) = sent(trace, 2)
    assert request.detail["method"] == "POST"
    assert request.detail["body"] == {"amount": 1000, "to": "mallory"}
    assert header(request, "Cookie") == f"sid={trace.events[-1].state.attacker['sid']}"
    event = attack(trace, 2)
    assert event.detail["status"] == 200
    assert event.detail["success"] is True
    assert event.dst == "server"


def test_a_replayed_read_sends_no_body_and_never_the_refresh_token() -> None:
    trace = simulate([("login", {}), ("steal", {}), ("replay", {})], "hybrid")
    assert "refresh" in attack(trace, 1).detail["stolen"]
    (request,) = sent(trace, 2)
    assert request.detail["body"] is None
    assert header(request, "Cookie") is None
    assert header(
        request,
        "Authorization",
    ).startswith("Bearer ")


def test_an_unsigned_sid_cookie_is_sent_and_refused() -> None:
    trace = simulate([("login", {}), ("forge_none", {})], "session")
    event = attack(trace, 1)
    forged = event.detail["forged"]["sid"]
    assert "." not in forged
    (request,) = sent(trace, 1)
    assert header(request, "Cookie") == f"sid={forged}"
    assert event.detail["status"] == 401
    assert event.detail["reason"] == "sid cookie signature is invalid (tampered or wrong key)"
    assert "sid cookie with a made-up id and no signature" in event.detail["attempted"]
