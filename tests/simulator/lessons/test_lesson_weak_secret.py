"""weak-secret: a guessable HS256 secret lets the attacker sign anything."""

from __future__ import annotations

import pytest
from lesson_trace import attack, events, run, step_index

from authflow.simulator.attacker.forgery import WEAK_SECRETS


@pytest.mark.parametrize("mode", ["jwt", "hybrid"])
def test_weak_secret_is_cracked_and_forged_token_accepted(mode: str) -> None:
    t = run("weak-secret", mode)
    i = step_index(t, "forge_weak")
    result = attack(t, i)
    assert result["cracked"] == "secret"
    assert result["stolen"] == {"secret": "secret"}
    assert result["status"] == 200
    assert result["success"] is True
    answer = [e for e in events(t, i, "response") if e.dst == "attacker"][-1]
    assert answer.detail["body"]["user"] == "carol"
    assert answer.detail["body"]["role"] == "admin"


@pytest.mark.parametrize("mode", ["jwt", "hybrid"])
def test_strong_secret_survives_the_guesses(mode: str) -> None:
    t = run("weak-secret", mode, secret="random")
    result = attack(t, step_index(t, "forge_weak"))
    assert result["cracked"] is None
    assert result["stolen"] == {}
    assert result["guesses_tried"] == len(WEAK_SECRETS)
    assert result["status"] == 401
    assert str(result["reason"]).startswith("bad signature")


def test_weak_secret_off_the_list_is_not_found() -> None:
    t = run("weak-secret", "jwt", secret="correct-horse-battery")
    assert attack(t, step_index(t, "forge_weak"))["status"] == 401


def test_asymmetric_algorithm_has_no_secret_to_guess() -> None:
    t = run("weak-secret", "jwt", algorithm="ES256")
    result = attack(t, step_index(t, "forge_weak"))
    assert result["cracked"] is None
    assert result["reason"] == "algorithm HS256 refused: the server accepts only ES256"


def test_session_key_cracked_but_id_not_in_store() -> None:
    t = run("weak-secret", "session")
    result = attack(t, step_index(t, "forge_weak"))
    assert result["cracked"] == "secret"
    assert result["status"] == 401
    assert "no such session" in str(result["reason"])
