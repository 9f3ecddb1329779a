"""Where the token decoder finds credentials and the server's keys, as plain data.

Nothing here verifies anything: it only collects the JWTs and signed cookies present in
the current event (request headers, response body, Set-Cookie, browser state, what the
attacker holds) and the verification settings the trace records.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from authflow.app.views.inspectors.trace_lookup import header_value, request_for, response_to
from authflow.simulator.analysis.token_report import looks_like_jwt
from authflow.simulator.config.entropy import Entropy
from authflow.simulator.server.auth_session import SESSION_SALT
from authflow.simulator.server.keys import SigningKeys, make_keys
from authflow.simulator.trace.details import as_request, as_response
from authflow.simulator.trace.trace import Trace

SIGNED_COOKIES = frozenset({"sid"})
"""Cookie names the server signs with itsdangerous (simulator/server/auth_session.py)."""
OPAQUE_COOKIES = frozenset({"refresh"})
"""Cookie names holding a random, unsigned token the server looks up (auth_hybrid.py)."""


@dataclass(frozen=True, slots=True)
class FoundToken:
    label: str
    """Where it was found: "Authorization header of GET /api/profile"."""
    value: str
    kind: str
    """"jwt", "signed" (an itsdangerous-signed cookie value) or "opaque" (random)."""


@dataclass(frozen=True, slots=True)
class ServerKeys:
    """What the decoder verifies with: the values the simulated server itself uses."""

    algorithm: str
    jwt_key: str | bytes | None
    """HS256 secret or the RS256/ES256 public key PEM; None when the trace lacks it."""
    session_secret: str | None
    session_salt: str
    jwt_keys: Mapping[str, str] = field(default_factory=dict)
    """kid -> the key that verifies tokens naming it (after a key rotation); `jwt_key`
    for a token with no kid or one the trace does not name."""

    def key_for(self, kid: object) -> str | bytes | None:
        return self.jwt_keys.get(kid, self.jwt_key) if isinstance(kid, str) else self.jwt_key


def _cookie_pairs(header: str) -> Iterator[tuple[str, str]]:
    for part in header.split(";"):
        name, sep, value = part.strip().partition("=")
        if sep:
            yield name.strip(), value.strip()


def _classify(name: str, value: str) -> str | None:
    if looks_like_jwt(value):
        return "jwt"
    if name in SIGNED_COOKIES and "." in value:
        return "signed"
    if name in OPAQUE_COOKIES and value:
        return "opaque"
    return None


def _walk_strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, Mapping):
        for k, v in value.items():
            yield from _walk_strings(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            yield from _walk_strings(v, f"{path}[{i}]")
    elif isinstance(value, str):
        yield path, value


def find_tokens(trace: Trace, index: int) -> list[FoundToken]:
    """Every JWT or signed cookie value visible at event `index`, most relevant first."""
    if not 0 <= index < len(trace.events):
        return []
    found: list[FoundToken] = []
    event = trace.events[index]
    request = request_for(trace, index)
    if request is not None:
        headers = as_request(request).headers
        auth = header_value(headers, "Authorization") or ""
        scheme, _, token = auth.strip().partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            found.append(FoundToken(f"Authorization of {request.label}", token.strip(), "jwt"))
        for name, value in _cookie_pairs(header_value(headers, "Cookie") or ""):
            kind = _classify(name, value)
            if kind:
                found.append(FoundToken(f"Cookie {name} sent with {request.label}", value, kind))
        response = response_to(trace, index, request)
        if response is not None:
            answer = as_response(response)
            for where, value in _walk_strings(answer.body):
                if looks_like_jwt(value):
                    found.append(FoundToken(f"{where} in the {response.label} body", value, "jwt"))
            for name, line in answer.headers:
                if name.lower() == "set-cookie":
                    first = line.split(";", 1)[0]
                    name, _, value = first.partition("=")
                    kind = _classify(name.strip(), value.strip())
                    if kind:
                        found.append(FoundToken(f"Set-Cookie {name.strip()}", value.strip(), kind))
    state = event.state
    for key, value in state.memory.items():
        if looks_like_jwt(value):
            found.append(FoundToken(f"page memory: {key}", value, "jwt"))
    for origin, items in state.local_storage.items():
        for key, value in items.items():
            if looks_like_jwt(value):
                found.append(FoundToken(f"localStorage {origin}: {key}", value, "jwt"))
    for cookie in state.cookies:
        kind = _classify(cookie.name, cookie.value)
        if kind:
            found.append(FoundToken(f"cookie jar: {cookie.name}", cookie.value, kind))
    for name, value in state.attacker.items():
        kind = _classify(name, value) or ("jwt" if looks_like_jwt(value) else None)
        if kind:
            found.append(FoundToken(f"held by the attacker: {name}", value, kind))
    unique: dict[str, FoundToken] = {}
    for item in found:
        unique.setdefault(item.value, item)
    return list(unique.values())


def server_keys(trace: Trace) -> ServerKeys:
    """The server's verification settings, as the trace records them (`Trace.server`)."""
    server = trace.server
    algorithm = str(server.get("algorithm") or trace.settings.get("algorithm", "HS256"))
    secret = server.get("secret")
    public_pem = server.get("public_pem")
    if secret is None:
        # A trace made by hand (tests, a future live mode) may not say: re-make the keys
        # from the seed the way the engine does, when that is possible at all.
        made = _made_keys(algorithm, str(trace.settings.get("secret", "random")), trace.seed)
        if made is not None:
            secret, public_pem = made.secret_text, made.public_pem
    jwt_key = secret if algorithm == "HS256" else (public_pem or None)
    return ServerKeys(
        algorithm=algorithm,
        jwt_key=None if jwt_key is None else str(jwt_key),
        session_secret=None if secret is None else str(secret),
        session_salt=str(server.get("session_salt", SESSION_SALT)),
        jwt_keys={str(k): str(v) for k, v in dict(server.get("jwt_keys") or {}).items()},
    )


@functools.lru_cache(maxsize=16)
def _made_keys(algorithm: str, secret: str, seed: int | None) -> SigningKeys | None:
    if seed is None and (secret == "random" or algorithm != "HS256"):
        return None  # an unseeded run's random secret or key pair cannot be re-made
    try:
        return make_keys(algorithm, secret, Entropy(seed))
    except ValueError:
        return None
