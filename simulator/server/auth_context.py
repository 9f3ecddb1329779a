"""What an auth strategy is handed: one server's settings, clock, randomness, users
table and store, the counters it adds to, and the helpers for verdicts and cookies.

Strategies import neither the world nor the server: this is everything they may touch,
and the shape a real loopback server (live mode) can build for them as well.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from authflow.simulator.trace.details import DetailView, VerdictDetail
from authflow.simulator.web.cookies_out import clear_cookie_line, set_cookie_line

if TYPE_CHECKING:
    from authflow.simulator.config.entropy import Entropy
    from authflow.simulator.config.settings import Config
    from authflow.simulator.server.store import Store
    from authflow.simulator.server.store_hops import StoreHops
    from authflow.simulator.server.users import Users
    from authflow.simulator.trace.clock import Clock
    from authflow.simulator.trace.recorder import Recorder, Tally

REMEMBER_ME_SECONDS = 30 * 86400
"""Lifetime of a credential cookie when the user ticks "remember me"."""


@functools.lru_cache(maxsize=1024)
def _verdict_words(
    ok: bool, check: str, reason: str, user: str | None
) -> tuple[str, str, Mapping[str, Any]]:
    # The same check with the same outcome comes back on every request: one label, one
    # sentence and one (read-only, so shareable) detail for all of them.
    label = f"✓ {check}: {user}" if ok and user else (f"✓ {check}" if ok else f"✗ {check}")
    verb = "accepts" if ok else "refuses"
    detail = DetailView.of(VerdictDetail(ok, check, reason, user))
    return label, f"The server {verb} the {check} check: {reason}.", detail


class AuthContext:
    """One server's view of the world, as its auth strategy sees it."""

    __slots__ = (
        "_hops",
        "_recorder",
        "clock",
        "config",
        "entropy",
        "server",
        "store",
        "tally",
        "users",
    )

    def __init__(
        self,
        server: str,
        config: Config,
        clock: Clock,
        entropy: Entropy,
        users: Users,
        store: Store,
        recorder: Recorder,
        hops: StoreHops,
    ) -> None:
        self.server = server
        """The server's actor name: where its verdicts and store hops start."""
        self.config = config
        self.clock = clock
        self.entropy = entropy
        self.users = users
        self.store = store
        """The store this server reaches (its own memory store, or the shared one)."""
        self.tally: Tally = recorder.tally
        """The run's counters (signature checks, store reads) the strategy adds to."""
        self._recorder = recorder
        self._hops = hops

    # -- verdicts -------------------------------------------------------------------------
    def verdict(self, ok: bool, check: str, reason: str, user: str | None) -> None:
        """Record the server's decision on one check ("session", "jwt", "csrf", ...)."""
        label, explain, detail = _verdict_words(ok, check, reason, user)
        self._recorder.emit("verdict", self.server, self.server, label, explain, detail)

    # -- cookies --------------------------------------------------------------------------
    def credential_cookie(self, name: str, value: str, remember_me: bool) -> str:
        """Set-Cookie for a login credential, with the lesson's cookie settings."""
        c = self.config
        return set_cookie_line(
            name,
            value,
            clock=self.clock,
            path=c.text("cookie_path"),
            http_only=c.flag("http_only"),
            secure=c.flag("secure"),
            same_site=self.same_site(),
            max_age=REMEMBER_ME_SECONDS if remember_me else c.max_age(),
        )

    def clear_credential_cookie(self, name: str) -> str:
        """Set-Cookie deleting a login credential: the same path and flags it was set with."""
        c = self.config
        return clear_cookie_line(
            name,
            clock=self.clock,
            path=c.text("cookie_path"),
            secure=c.flag("secure"),
            http_only=c.flag("http_only"),
            same_site=self.same_site(),
        )

    def same_site(self) -> str | None:
        """The credential cookie's SameSite attribute; None (no attribute) for "unset"."""
        value = self.config.text("same_site")
        return None if value == "unset" else value

    # -- the users table ------------------------------------------------------------------
    def users_hop(
        self, command: str, user: str, value: str | None, hit: bool | None, why: str
    ) -> None:
        """Record a read or write of `user`'s row as a hop to this server's store."""
        self._hops.record(self.store, command, f"user:{user}", value, hit, None, why, self.server)

    def set_password(self, user: str, password: str, shown: str, why: str) -> None:
        """Store the scrypt hash of `user`'s new password with a fresh salt, recorded as
        a write; `shown` stands for the hash in the trace."""
        salt = self.entropy.token_bytes(16)
        self.users.set_password(user, password, salt, self.config.number("scrypt_n"))
        self.users_hop("SET", user, shown, None, why)

    def user_token_version(self, user: str) -> int:
        """Read `user`'s current token version: a store read on every request."""
        self.tally.store_reads += 1
        version = self.users.token_version(user)
        self.users_hop(
            "GET",
            user,
            f"token_version={version}",
            version >= 0,
            f"The server reads {user}'s current token version ({version}) from "
            "the users table: a store read on every request.",
        )
        return version

    def bump_user_token_version(self, user: str) -> None:
        """Raise `user`'s token version: every token issued before stops working."""
        version = self.users.bump_token_version(user)
        self.users_hop(
            "SET",
            user,
            f"token_version={version}",
            None,
            f"The server raises {user}'s token version to {version}: every "
            "token issued before now stops working.",
        )
