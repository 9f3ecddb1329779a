"""The users table: accounts with scrypt password hashes, a role and a token version.

A demo account's hash is made when it is first needed (its user logs in, or someone
reads the table), not when the world is made: at the default cost one hash takes
~28 ms and 16 MB, and most runs never look at most accounts. The salt is drawn when
the world is made, so the same seed gives the same hashes, whenever they are made.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
from collections.abc import Iterator, Mapping
from typing import NamedTuple

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
        if (r, p, len(digest)) == ("8", "1", 64):
            # hash_password's own parameters: the same scrypt computation, which
            # hash_password may already have made (its cache holds the result).
            return hmac.compare_digest(hash_password(password, bytes.fromhex(salt), int(n)), stored)
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
                "password": Unhashed(password, entropy.token_bytes(16), scrypt_n),
                "role": role,
                "token_version": 0,
            }
        self.version = 0
        self._snap: Mapping[str, StoreEntry] = _Snapshot({})
        self._snap_version = -1

    def _changed(self) -> None:
        self.version += 1
        self._changes.count += 1

    def get(self, name: str) -> dict[str, object] | None:
        """The account's row, its password hashed."""
        row = self._rows.get(name)
        if row is not None:
            row["password"] = hashed(row["password"])  # the same value: no change to count
        return row

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
        self._rows[name]["password"] = Unhashed(password, salt, n)
        self._changed()

    def snapshot(self) -> Mapping[str, StoreEntry]:
        if self._snap_version != self.version:
            self._snap = _Snapshot({f"user:{k}": dict(v) for k, v in self._rows.items()})
            self._snap_version = self.version
        return self._snap


class Unhashed(NamedTuple):
    """A password waiting to be hashed with its salt and cost (see the module's note)."""

    password: str
    salt: bytes
    n: int


def hashed(value: object) -> object:
    """`value` itself, or the hash of an Unhashed password."""
    if type(value) is Unhashed:
        return hash_password(value.password, value.salt, value.n)
    return value


class _Snapshot(Mapping[str, StoreEntry]):
    """The table as the trace shows it (key -> the row as JSON), made when first read:
    the rows are copied when the snapshot is taken, hashed and written out only then."""

    __slots__ = ("_entries", "_rows")

    def __init__(self, rows: dict[str, dict[str, object]]) -> None:
        self._rows = rows
        self._entries: dict[str, StoreEntry] | None = None

    def _made(self) -> dict[str, StoreEntry]:
        entries = self._entries
        if entries is None:
            entries = self._entries = {
                key: StoreEntry(
                    json.dumps({k: hashed(v) for k, v in row.items()}, sort_keys=True), None
                )
                for key, row in self._rows.items()
            }
        return entries

    def __getitem__(self, key: str) -> StoreEntry:
        return self._made()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def __repr__(self) -> str:
        return repr(self._made())
