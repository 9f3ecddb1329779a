"""The live run's sites on the loopback interface, and their simulated names.

The app is served at http://127.0.0.1:PORT and evil.example at http://localhost:PORT2:
two hosts Chromium treats as different sites (an IP address and a host name share no
registrable domain), both potentially trustworthy, so Secure cookies work over plain
http as they do on https://app.example. The simulator's rules are judged in its own
names (https://app.example, https://evil.example); `to_simulated` and `to_live`
translate an origin or URL between the two worlds, and nothing else is rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from authflow.simulator.attacker.actor import ATTACKER_ORIGIN


@dataclass(frozen=True, slots=True)
class LiveSites:
    app_port: int
    attacker_port: int
    simulated_app: str = "https://app.example"
    """The app's origin in the simulated world (its `scheme` setting decides it)."""

    @property
    def app(self) -> str:
        return f"http://127.0.0.1:{self.app_port}"

    @property
    def attacker(self) -> str:
        return f"http://localhost:{self.attacker_port}"

    def _pairs(self) -> tuple[tuple[str, str], ...]:
        return ((self.app, self.simulated_app), (self.attacker, ATTACKER_ORIGIN))

    def to_simulated(self, url: str) -> str:
        """A live origin or URL in the simulator's names; anything else unchanged."""
        return _swap(url, self._pairs())

    def to_live(self, url: str) -> str:
        return _swap(url, tuple((b, a) for a, b in self._pairs()))

    def site_of(self, host_header: str) -> str:
        """ "app" or "attacker": which server a Host header names."""
        return "attacker" if host_header.rpartition(":")[2] == str(self.attacker_port) else "app"


def _swap(url: str, pairs: tuple[tuple[str, str], ...]) -> str:
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    for old, new in pairs:
        if origin == old:
            return new + url[len(origin) :]
    return url
