"""Every attack's record agrees with what happened in its step.

An attack event sums up its step for the stage, the inspectors and the scoreboard:
what the attacker tried, what it got, the server's verdicts and the status it saw.
Here that summary is checked against the step's own events, for every attack in
fixed pseudo-random sequences of user actions and attacks in each mode, so that a
wrong name, status, verdict list, loot or success flag cannot go unnoticed.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from factories import simulate

from authflow.simulator.trace.trace import Event, Step, Trace

SEQUENCES = 40
ACTIONS: list[tuple[str, dict[str, Any]]] = [
    ("login", {}),
    ("login", {}),
    ("profile", {}),
    ("transfer", {}),
    ("logout", {}),
    ("refresh", {}),
    ("wait", {"seconds": 1000}),
    ("reload", {}),
    ("xss_steal", {}),
    ("xss_request", {}),
    ("csrf", {}),
    ("cross_site_fetch", {}),
    ("cross_site_fetch", {"authorization": True}),
    ("steal", {}),
    ("replay", {}),
    ("replay", {"method": "POST", "path": "/api/transfer"}),
    ("refresh_reuse", {}),
    ("tamper", {}),
    ("forge_none", {}),
    ("forge_weak", {}),
]
ATTACKS = {
    "xss_steal",
    "xss_request",
    "csrf",
    "cross_site_fetch",
    "steal",
    "replay",
    "refresh_reuse",
    "tamper",
    "forge_none",
    "forge_weak",
}
SETTINGS = [{}, {"same_site": "None", "http_only": "false"}, {"secret": "secret"}]
SERVER_BOUND = ("replay", "tamper", "forge_none", "forge_weak", "refresh_reuse")
"""Attacks sent from the attacker's own machine."""


def sequences(mode: str) -> list[Trace]:
    rng = random.Random(f"attack-contract-{mode}")
    out = []
    for i in range(SEQUENCES):
        steps = [Step(*rng.choice(ACTIONS), "") for _ in range(rng.randint(3, 10))]
        out.append(simulate(steps, mode, seed=i, **SETTINGS[i % len(SETTINGS)]))
    return out


def own_verdicts(before: list[Event]) -> list[Any]:
    """The server's verdicts on what the attack itself sent: after the attacker's own
    log-in (tamper and forge_weak take a sample credential first), browser CORS aside."""
    verdicts = [e.detail for e in before if e.kind == "verdict" and e.detail["check"] != "cors"]
    logins = [i for i, v in enumerate(verdicts) if v["check"] == "password"]
    return verdicts[logins[-1] + 1 :] if logins else verdicts


def app_answers(before: list[Event]) -> list[Event]:
    return [
        e
        for e in before
        if e.kind == "response"
        and e.dst in ("browser", "attacker")
        and e.src != "attacker"  # evil.example's own pages
        and e.label != "204 No Content"  # a CORS preflight
    ]


@pytest.mark.parametrize("mode", ["session", "jwt", "hybrid"])
def test_each_attack_event_sums_up_its_step(mode: str) -> None:
    seen: set[str] = set()
    for trace in sequences(mode):
        for step, action in enumerate(s.action for s in trace.steps):
            events = [e for e in trace.events if e.step == step]
            attacks = [e for e in events if e.kind == "attack"]
            if action not in ATTACKS:
                assert attacks == []
                continue
            seen.add(action)
            assert attacks == [events[-1]], "one attack event, closing its step"
            event = events[-1]
            d = event.detail
            assert event.src == "attacker"
            assert d["attack"] == action
            assert event.label
            assert event.explain
            assert isinstance(d["attempted"], str)
            assert d["attempted"]
            # What it stole is what the attacker holds from now on.
            for name, value in d["stolen"].items():
                assert event.state.attacker[name] == value
            before = events[:-1]
            answers = app_answers(before)
            verdicts = own_verdicts(before)
            if action == "cross_site_fetch":
                status = answers[-1].detail["status"] if d["sent"] and answers else None
                assert d["status"] == status
                continue
            if "reasons" in d:
                assert d["reasons"] == [f"{v['check']}: {v['reason']}" for v in verdicts]
            if "status" in d:
                assert d["status"] == (answers[-1].detail["status"] if answers else None)
                assert d["success"] is (d["status"] == 200)
            if "reason" in d:
                error = answers[-1].detail["body"].get("error") if answers else None
                assert d["reason"] == (verdicts[-1]["reason"] if verdicts else error)
            if action in ("steal", "xss_steal"):
                assert d["success"] is bool(d["stolen"])
            if action == "tamper":
                assert_tampered_keeps_the_signature(d["original"], d["tampered"])
            # Words follow the run: a refusal is told as one, and only then.
            if action in ("xss_request", "refresh_reuse", "replay", "csrf"):
                assert ("refused" in event.explain) is not d["success"], event.explain
            # A refused request hands the attacker nothing (a cracked secret is offline).
            if action in SERVER_BOUND and not d["success"] and action != "forge_weak":
                assert d["stolen"] == {}
    assert seen == ATTACKS, "every attack was tried"


def assert_tampered_keeps_the_signature(original: dict[str, str], tampered: dict[str, str]) -> None:
    """Tampering edits what is signed and keeps the old signature: the copy differs from
    the original, and only before the signature."""
    assert original.keys() == tampered.keys()
    for name, value in original.items():
        edited = tampered[name]
        assert edited != value, "a tampered credential that equals the original"
        signed, _, signature = value.rpartition(".")
        edited_signed, _, edited_signature = edited.rpartition(".")
        assert edited_signature == signature
        if name == "sid":  # one character of the id, the last
            assert len(edited_signed) == len(signed)
            assert edited_signed[:-1] == signed[:-1]


def test_tampering_a_session_id_ending_in_zero_still_changes_it() -> None:
    # The id is random hex: one in sixteen ends in "0", which the edit must change too.
    for seed in range(200):
        steps = [Step("login", {}, ""), Step("steal", {}, ""), Step("tamper", {}, "")]
        trace = simulate(steps, "session", seed=seed)
        (attack,) = [e for e in trace.events if e.kind == "attack" and e.step == 2]
        sid = attack.detail["original"]["sid"]
        if sid.rpartition(".")[0].endswith("0"):
            assert_tampered_keeps_the_signature(
                attack.detail["original"], attack.detail["tampered"]
            )
            assert not attack.detail["success"]
            return
    raise AssertionError("no seed gave a session id ending in 0")


def test_a_stolen_unused_refresh_token_buys_the_attacker_fresh_tokens() -> None:
    steps = [Step("login", {}, ""), Step("steal", {}, ""), Step("refresh_reuse", {}, "")]
    trace = simulate(steps, "hybrid", seed=4)
    (attack,) = [e for e in trace.events if e.kind == "attack" and e.step == 2]
    d = attack.detail
    assert d["success"] is True
    assert d["status"] == 200
    assert set(d["stolen"]) == {"access_token", "refresh"}
    for name, value in d["stolen"].items():
        assert attack.state.attacker[name] == value
    assert "rotated" in attack.explain


def test_reusing_a_refresh_token_never_stolen_sends_no_cookie() -> None:
    steps = [Step("login", {}, ""), Step("refresh_reuse", {}, "")]
    trace = simulate(steps, "hybrid", seed=4)
    sent = [e for e in trace.events if e.kind == "request" and e.step == 1]
    assert [h for e in sent for h in e.detail["headers"] if h[0].lower() == "cookie"] == []
    (attack,) = [e for e in trace.events if e.kind == "attack"]
    assert attack.detail["reason"] == "no refresh cookie on the request"
    assert attack.detail["stolen"] == {}
