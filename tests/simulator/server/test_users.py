"""The users table hashes a password when it is first needed, with the same cost and
salt as if it had been hashed at once, and a login checks it against that hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

import factories
import pytest

from authflow.simulator.config.entropy import Entropy
from authflow.simulator.server import users as users_module
from authflow.simulator.server.users import DEMO_ACCOUNTS, Users, check_password
from authflow.simulator.trace.recorder import Changes
from authflow.simulator.trace.trace import Step

N = 1024


@pytest.fixture
def scrypt_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bytes]]:
    """Every password scrypt is asked to hash (the caches are emptied first)."""
    calls: list[bytes] = []
    real = hashlib.scrypt

    def counting(password: bytes, **kwargs: object) -> bytes:
        calls.append(password)
        return real(password, **kwargs)  # type: ignore[arg-type]

    users_module.hash_password.cache_clear()
    users_module.check_password.cache_clear()
    monkeypatch.setattr(users_module.hashlib, "scrypt", counting)
    yield calls
    users_module.hash_password.cache_clear()
    users_module.check_password.cache_clear()


def expected_hash(password: str, salt: bytes, n: int) -> str:
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=8, p=1, dklen=32)
    return f"scrypt${n}$8$1${salt.hex()}${digest.hex()}"


def test_no_account_is_hashed_until_someone_needs_it(scrypt_calls: list[bytes]) -> None:
    table = Users(Entropy(7), N, Changes())
    snapshot = table.snapshot()
    assert sorted(snapshot) == [f"user:{name}" for name, _, _ in sorted(DEMO_ACCOUNTS)]
    assert scrypt_calls == []
    row = table.get("alice")
    assert row is not None
    assert scrypt_calls == [b"wonderland"]
    # The one login's check is that same computation: it is not made a second time.
    assert check_password("wonderland", str(row["password"]))
    assert not check_password("wrong", str(row["password"]))
    assert scrypt_calls == [b"wonderland", b"wrong"]


def test_a_late_hash_is_the_hash_it_would_have_been_at_once(scrypt_calls: list[bytes]) -> None:
    # The salts are drawn from the seed in account order when the table is made.
    salts = Entropy(7)
    table = Users(Entropy(7), N, Changes())
    for name, password, role in DEMO_ACCOUNTS:
        stored = json.loads(table.snapshot()[f"user:{name}"].value)
        assert stored == {
            "password": expected_hash(password, salts.token_bytes(16), N),
            "role": role,
            "token_version": 0,
        }


def test_a_run_hashes_only_the_account_that_logs_in(scrypt_calls: list[bytes]) -> None:
    trace = factories.simulate([Step("login", {}, ""), Step("profile", {}, "")], "jwt")
    assert scrypt_calls == [b"wonderland"]
    # Reading the table (as the trace's JSON does) hashes the rest, with the run's cost.
    shown = {k: json.loads(e.value) for k, e in trace.events[-1].state.stores["users"].items()}
    assert all(row["password"].startswith(f"scrypt${N}$8$1$") for row in shown.values())
    assert sorted(scrypt_calls) == sorted(p.encode() for _, p, _ in DEMO_ACCOUNTS)


def test_a_password_changed_in_the_run_is_checked_against_its_new_hash() -> None:
    trace = factories.simulate(
        [
            Step("login", {}, ""),
            Step(
                "change_password",
                {"old_password": "wonderland", "new_password": "looking-glass"},
                "",
            ),
            Step("logout", {}, ""),
            Step("login", {"password": "wonderland"}, ""),
            Step("login", {"password": "looking-glass"}, ""),
        ],
        "session",
    )
    answers = [e for e in trace.events if e.kind == "response" and e.dst == "browser"]
    old_login, new_login = (next(e.label for e in answers if e.step == s) for s in (3, 4))
    assert old_login.startswith("401")
    assert new_login.startswith("200")
