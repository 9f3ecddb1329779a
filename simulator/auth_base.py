"""What every auth strategy shares: its result type and the server-side hooks it uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from simulator.http import Request

if TYPE_CHECKING:
    from simulator.server import Server


@dataclass(slots=True)
class AuthResult:
    user: str | None
    reason: str
    """Why the credential was accepted or refused, in a short phrase."""
    via: str = ""
    """Where the credential came from: "cookie", "header" or "" when none was sent."""
    claims: dict[str, Any] = field(default_factory=dict)
    csrf: str | None = None
    """The CSRF token bound to this login, when the server issued one."""

    @property
    def ok(self) -> bool:
        return self.user is not None


@dataclass(slots=True)
class Reply:
    status: int
    body: Any = None
    set_cookies: list[str] = field(default_factory=list)


class Strategy(Protocol):
    name: str

    def login(self, server: Server, request: Request, user: str, remember_me: bool) -> Reply: ...

    def authenticate(self, server: Server, request: Request) -> AuthResult: ...

    def logout(self, server: Server, request: Request) -> Reply: ...

    def refresh(self, server: Server, request: Request) -> Reply: ...
