"""What every auth strategy shares: its result type and the server-side hooks it uses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from simulator.http import Request

if TYPE_CHECKING:
    from simulator.server import Server


_NO_CLAIMS: Mapping[str, Any] = MappingProxyType({})


# NamedTuples rather than dataclasses: the server builds one of each per request, and a
# dataclass with a default_factory costs twice as much to construct.
class AuthResult(NamedTuple):
    user: str | None
    reason: str
    """Why the credential was accepted or refused, in a short phrase."""
    via: str = ""
    """Where the credential came from: "cookie", "header" or "" when none was sent."""
    claims: Mapping[str, Any] = _NO_CLAIMS
    csrf: str | None = None
    """The CSRF token bound to this login, when the server issued one."""

    @property
    def ok(self) -> bool:
        return self.user is not None


class Reply(NamedTuple):
    status: int
    body: Any = None
    set_cookies: Sequence[str] = ()


class Strategy(Protocol):
    name: str

    def login(self, server: Server, request: Request, user: str, remember_me: bool) -> Reply: ...

    def authenticate(self, server: Server, request: Request) -> AuthResult: ...

    def logout(self, server: Server, request: Request) -> Reply: ...

    def refresh(self, server: Server, request: Request) -> Reply: ...
