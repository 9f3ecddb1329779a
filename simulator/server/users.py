"""The users table: accounts with scrypt password hashes, a role and a token version."""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
from collections.abc import Mapping
from types import MappingProxyType

from authflow.simulator.config.entropy import Entropy
from authflow.simulator.trace.recorder import Changes
from authflow.simulator.trace.trace import StoreEntry

DEMO_ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    # Teaching accounts the lessons type in, like a tutorial's demo login. They are user
    # input for the simulated login form, not secrets of the app.
    ("alice", "wonderland", "user"),
    ("bob", "builder", "user"),
    ("carol", "admin-only", "admin"),
)


@functools.lru_cache(maxsize=256)
def hash_password(password: str, salt: bytes, n: int) -> str:
    # Cached: the app re-simulates a lesson (same seed, same salts) on every click, and
    # one scrypt hash at the default cost takes ~28 ms.
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=8, p=1, dklen=32)
    return f"scrypt${n}$8$1${salt.hex()}${digest.hex()}"


@functools.lru_cache(maxsize=256)
def check_password(password: str, stored: str) -> bool:
    try:
        _, n, r, p, salt, digest = stored.split("$")
        got = hashlib.scrypt(
            password.encode("utf-8"),
            salt=bytes.fromhex(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(digest) // 2,
        )
    except ValueError:
        return False
    return hmac.compare_digest(got.hex(), digest)


class Users:
    """The persistent users table (a database; it survives server restarts)."""

    def __init__(self, entropy: Entropy, scrypt_n: int, changes: Changes) -> None:
        self._changes = changes
        self._rows: dict[str, dict[str, object]] = {}
        for name, password, role in DEMO_ACCOUNTS:
            self._rows[name] = {
                "password": hash_password(password, entropy.token_bytes(16), scrypt_n),
                "role": role,
                "token_version": 0,
            }
        self.version = 0
        self._snap: Mapping[str, StoreEntry] = MappingProxyType({})
        self._snap_version = -1

    def _changed(self) -> None:
        self.version += 1
        self._changes.count += 1

    def get(self, name: str) -> dict[str, object] | None:
        return self._rows.get(name)

    def bump_token_version(self, name: str) -> int:
        row = self._rows[name]
        version = int(str(row["token_version"])) + 1
        row["token_version"] = version
        self._changed()
        return version

    def token_version(self, name: str) -> int:
        row = self._rows.get(name)
        return -1 if row is None else int(str(row["token_version"]))

    def role(self, name: str) -> str:
        row = self._rows.get(name)
        return "" if row is None else str(row["role"])

    def set_password(self, name: str, password: str, salt: bytes, n: int) -> None:
        self._rows[name]["password"] = hash_password(password, salt, n)
        self._changed()

    def snapshot(self) -> Mapping[str, StoreEntry]:
        if self._snap_version != self.version:
            self._snap = MappingProxyType(
                {
                    f"user:{k}": StoreEntry(json.dumps(v, sort_keys=True), None)
                    for k, v in self._rows.items()
                }
            )
            self._snap_version = self.version
        return self._snap
