"""Attacks from the attacker's own machine: the request that goes out, what the server
answers, and what the attacker holds afterwards (steal, replay, refresh reuse, tamper,
forging). Read from the trace, as a student would."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from factories import simulate

from authflow.simulator.server.auth_session import session_signer
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
        # The forger copies the app's issuer and audience (public in any real token), so
        # only the missing signature can refuse it.
        "iss": "https://app.example",
        "aud": "https://app.example/api",
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


def test_a_victims_refresh_makes_the_stolen_copy_a_reuse_that_ends_the_family() -> None:
    steps = [("login", {}), ("steal", {}), ("refresh", {}), ("refresh_reuse", {})]
    trace = simulate(steps, "hybrid")
    event = attack(trace, 3)
    (request,) = sent(trace, 3)
    stolen = attack(trace, 1).detail["stolen"]["refresh"]
    assert (request.detail["method"], request.detail["path"]) == ("POST", "/auth/refresh")
    assert header(request, "Cookie") == f"refresh={stolen}"
    assert event.detail["status"] == 401
    assert event.detail["stolen"] == {}
    assert event.detail["reason"].startswith("reuse of an already-used refresh token")
    assert event.state.attacker == attack(trace, 1).state.attacker
    assert event.dst == "server"


def test_the_attacker_keeps_only_credentials_from_a_rotated_refresh() -> None:
    trace = simulate([("login", {}), ("steal", {}), ("refresh_reuse", {})], "hybrid")
    event = attack(trace, 2)
    answer = [e for e in trace.events if e.kind == "response" and e.dst == "attacker"][-1]
    assert event.detail["stolen"]["access_token"] == answer.detail["body"]["access_token"]
    assert set(event.detail["stolen"]) == {"access_token", "refresh"}
    assert event.detail["reason"] == "refresh token valid and unused; rotating it for alice"


@pytest.mark.parametrize(("claim", "value"), [("role", "admin"), ("sub", "carol")])
def test_a_tampered_token_changes_one_claim_and_keeps_the_signature(claim: str, value: str) -> None:
    steps = [("login", {}), ("steal", {}), ("tamper", {"claim": claim, "value": value})]
    trace = simulate(steps, "jwt")
    event = attack(trace, 2)
    original = event.detail["original"]["access_token"]
    assert original == attack(trace, 1).detail["stolen"]["access_token"]
    tampered = event.detail["tampered"]["access_token"]
    (request,) = sent(trace, 2)
    assert header(request, "Authorization") == f"Bearer {tampered}"
    head, body, signature = tampered.split(".")
    assert (head, signature) == (original.split(".")[0], original.split(".")[2])
    claims = segment(original.split(".")[1])
    assert segment(body) == {**claims, claim: value}
    assert event.detail["status"] == 401
    assert "the stolen credential" in event.detail["attempted"]
    assert f"{claim} to {value!r}" in event.detail["attempted"]


def test_with_nothing_stolen_the_attacker_tampers_with_their_own_login() -> None:
    trace = simulate([("tamper", {})], "session")
    login, profile = sent(trace, 0)
    assert (login.detail["method"], login.detail["path"]) == ("POST", "/auth/login")
    assert login.detail["body"] == {"username": "bob", "password": "builder"}
    assert header(login, "Content-Type") == "application/json"
    answer = next(e for e in trace.events if e.kind == "response" and e.dst == "attacker")
    own = next(v for k, v in answer.detail["headers"] if k == "Set-Cookie")
    event = attack(trace, 0)
    assert own.startswith("sid=" + event.detail["original"]["sid"] + ";")
    assert header(profile, "Cookie") == f"sid={event.detail['tampered']['sid']}"
    assert "their own account's credential" in event.detail["attempted"]


def test_when_the_attackers_own_login_fails_there_is_nothing_to_tamper_with() -> None:
    trace = simulate([("ban", {"user": "bob"}), ("tamper", {})], "jwt")
    _login, profile = sent(trace, 1)
    assert header(profile, "Authorization") is None
    assert header(profile, "Cookie") is None
    event = attack(trace, 1)
    assert event.detail["original"] == event.detail["tampered"] == {}
    assert "had nothing to tamper with" in event.detail["attempted"]


@pytest.mark.parametrize("mode", ["jwt", "hybrid"])
def test_a_cracked_weak_secret_signs_a_token_the_server_accepts(mode: str) -> None:
    forge = ("forge_weak", {"user": "carol", "role": "admin"})
    trace = simulate([("login", {}), ("steal", {}), forge], mode, secret="secret")
    event = attack(trace, 2)
    assert event.detail["cracked"] == "secret"
    assert event.detail["guesses_tried"] == 1
    (request,) = sent(trace, 2)
    # Cracked offline: the secret is in the attacker's hands before anything is sent.
    assert request.state.attacker["secret"] == "secret"
    token = event.detail["forged"]["access_token"]
    assert header(request, "Authorization") == f"Bearer {token}"
    head, body, _ = token.split(".")
    assert segment(head) == {"alg": "HS256", "typ": "JWT"}
    assert {segment(body)[k] for k in ("sub", "role")} == {"carol", "admin"}
    assert (event.detail["status"], event.detail["success"]) == (200, True)
    assert "the stolen credential" in event.detail["attempted"]
    assert "signed with the cracked secret" in event.detail["attempted"]
    assert request.explain.startswith("Offline, guess 1 of 16 verified the sample's signature")


def test_a_strong_secret_leaves_the_attacker_signing_with_a_wrong_guess() -> None:
    trace = simulate([("login", {}), ("forge_weak", {})], "jwt")
    event = attack(trace, 1)
    assert event.detail["cracked"] is None
    assert event.detail["stolen"] == {}
    assert "secret" not in event.state.attacker
    assert "signed with the guess 'secret'" in event.detail["attempted"]
    assert "their own account's credential" in event.detail["attempted"]
    (_login, request) = sent(trace, 1)
    assert "none of 16 common secrets verified" in request.explain
    assert event.detail["status"] == 401


def test_a_cracked_session_key_signs_a_made_up_session_id() -> None:
    trace = simulate([("forge_weak", {})], "session", secret="changeme")
    event = attack(trace, 0)
    assert (event.detail["cracked"], event.detail["guesses_tried"]) == ("changeme", 4)
    forged = event.detail["forged"]["sid"]
    assert session_signer("changeme").validate(forged)
    assert event.detail["reason"] == "no such session in the store (logged out, expired or lost)"
