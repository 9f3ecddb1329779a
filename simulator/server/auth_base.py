"""What every auth strategy shares: its result types and the protocol the server calls."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from authflow.simulator.web.http import Request

if TYPE_CHECKING:
    from authflow.simulator.server.auth_context import AuthContext


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
    """The mode: "session", "jwt" or "hybrid"."""
    check: str
    """What the verdict on a request's credential is called ("session" or "jwt")."""

    def login(self, ctx: AuthContext, request: Request, user: str, remember_me: bool) -> Reply: ...

    def authenticate(self, ctx: AuthContext, request: Request) -> AuthResult: ...

    def logout(self, ctx: AuthContext, request: Request) -> Reply: ...

    def refresh(self, ctx: AuthContext, request: Request) -> Reply: ...

    def token_for(self, ctx: AuthContext, user: str, audience: str) -> str | None:
        """A token for another service (`aud`) signed by this server, as a single
        sign-on issuer mints one; None where the mode signs no tokens."""
        ...

    def revoke_user(
        self, ctx: AuthContext, user: str, presented: Mapping[str, Any] | None, why: str
    ) -> list[str]:
        """End every login of `user` this server can reach (`presented`: the claims of
        the token the request carried, if any); returns what was done, in words."""
        ...

    def logins(self, ctx: AuthContext, user: str) -> list[dict[str, Any]] | None:
        """`user`'s live logins as the store records them (the list a user sees under
        "where you're signed in"); None when the mode keeps no record of them."""
        ...

    def clear_cookies(self, ctx: AuthContext) -> list[str]:
        """Set-Cookie lines that delete this mode's credential cookies from the browser."""
        ...
