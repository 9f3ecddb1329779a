"""The server's signing keys over time: the one it signs with now, every key it still
publishes (each named by its `kid`), and the JWKS document it serves for them.

Rotation adds a key and signs with it from then on; the old key stays published, so
tokens signed with it keep verifying until it is retired. Every server of the run
shares one key ring, as servers behind one issuer share its JWKS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from authflow.simulator.server.keys import SigningKeys

JWKS_PATH = "/.well-known/jwks.json"
"""Where the server publishes its public keys (RFC 8414 and OpenID Discovery's usual path)."""


class PublishedKey(NamedTuple):
    kid: str
    keys: SigningKeys


def _kid(generation: int) -> str:
    return f"key-{generation + 1}"


class KeyRing:
    """The current signing key and the keys still published, newest first."""

    def __init__(self, first: SigningKeys, make: Callable[[int], SigningKeys]) -> None:
        self._make = make
        """Makes the key of a given generation (0 is `first`) from the run's randomness."""
        self._generation = 0
        self._published: tuple[PublishedKey, ...] = (PublishedKey(_kid(0), first),)
        self._made: list[PublishedKey] = [self._published[0]]

    @property
    def current(self) -> PublishedKey:
        """The key new tokens are signed with."""
        return self._published[0]

    @property
    def published(self) -> tuple[PublishedKey, ...]:
        return self._published

    def find(self, kid: object) -> PublishedKey | None:
        """The published key named `kid`; the server looks nowhere else (no file, no URL)."""
        for entry in self._published:
            if entry.kid == kid:
                return entry
        return None

    def rotate(self) -> PublishedKey:
        """A new key signs from now on; the old ones stay published."""
        self._generation += 1
        entry = PublishedKey(_kid(self._generation), self._make(self._generation))
        self._published = (entry, *self._published)
        self._made.append(entry)
        return entry

    def retire(self) -> tuple[PublishedKey, ...]:
        """Stop publishing every key but the current one; returns those retired."""
        retired = self._published[1:]
        self._published = self._published[:1]
        return retired

    def verification_texts(self) -> dict[str, str]:
        """kid -> what verifies its tokens (the HS256 secret, or the public key's PEM), for
        every key the run made, retired ones included: the token decoder checks a token's
        signature with the key its kid names."""
        return {
            entry.kid: entry.keys.secret_text
            if entry.keys.algorithm == "HS256"
            else entry.keys.public_pem
            for entry in self._made
        }

    def jwks(self) -> dict[str, Any]:
        """The JWKS document (RFC 7517): the public keys only. An HS256 secret is never
        published, so with HS256 the list is empty."""
        keys: list[dict[str, Any]] = []
        for entry in self._published:
            algorithm = entry.keys.algorithm
            if algorithm == "RS256":
                jwk = RSAAlgorithm.to_jwk(entry.keys.verification_key, as_dict=True)
            elif algorithm == "ES256":
                jwk = ECAlgorithm.to_jwk(entry.keys.verification_key, as_dict=True)
            else:
                continue
            keys.append({**jwk, "kid": entry.kid, "use": "sig", "alg": algorithm})
        return {"keys": keys}
