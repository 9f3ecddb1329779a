"""Key material for signing: HS256 secrets, RS256/ES256 key pairs, session signer secret.

With a seed the keys are derived from it, so a documented run is reproducible; without
one they come from the OS's CSPRNG (`secrets` / `cryptography`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm

from authflow.simulator.config.entropy import Entropy


@dataclass(frozen=True)
class SigningKeys:
    algorithm: str
    signing_key: Any
    """What PyJWT signs with: the HS256 secret, or a private key object."""
    verification_key: Any
    """What PyJWT verifies with: the same secret, or the public key object."""
    secret_text: str
    """The HS256 / session secret as text (shown by the inspectors, used by lessons)."""
    public_pem: str
    """PEM of the public key for RS256/ES256; "" for HS256."""
    jws: jwt.PyJWS

    def sign(self, claims: dict[str, Any], headers: dict[str, Any] | None = None) -> str:
        payload = json.dumps(claims, separators=(",", ":")).encode("utf-8")
        return self.jws.encode(payload, self.signing_key, algorithm=self.algorithm, headers=headers)


class _DeterministicEC(ECAlgorithm):
    """ES256 with RFC 6979 deterministic nonces, so a seeded run signs the same bytes."""

    def sign(self, msg: bytes, key: Any) -> bytes:
        from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

        der = key.sign(msg, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
        r, s = decode_dss_signature(der)
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def _probable_prime(entropy: Entropy, bits: int) -> int:
    while True:
        # The top two bits set make p*q exactly 2*bits long.
        n = entropy.randbits(bits) | (3 << (bits - 2)) | 1
        if all(n % p for p in (3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)) and _miller_rabin(
            n, entropy
        ):
            return n


def _miller_rabin(n: int, entropy: Entropy, rounds: int = 40) -> bool:
    d, r = n - 1, 0
    while d % 2 == 0:
        d //= 2
        r += 1
    for _ in range(rounds):
        a = 2 + entropy.randbits(n.bit_length() - 2) % (n - 3)
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _seeded_rsa(entropy: Entropy, bits: int = 2048) -> rsa.RSAPrivateKey:
    # `cryptography` cannot take a seed; build the same key from seeded primes instead.
    e = 65537
    while True:
        p = _probable_prime(entropy, bits // 2)
        q = _probable_prime(entropy, bits // 2)
        phi = (p - 1) * (q - 1)
        if p != q and phi % e:
            break
    d = pow(e, -1, phi)
    numbers = rsa.RSAPrivateNumbers(
        p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), rsa.RSAPublicNumbers(e, p * q)
    )
    return numbers.private_key()


_KEY_CACHE: dict[tuple[str, int, int], Any] = {}


def _generation_seed(seed: int, generation: int) -> int:
    """The seed of a seeded run's `generation`-th RSA key (0: the run's own seed), so a
    rotated key differs from the first and is still the same in every run."""
    if generation == 0:
        return seed
    digest = hashlib.sha256(f"{seed}/key/{generation}".encode()).digest()
    return int.from_bytes(digest[:16], "big")


def make_keys(algorithm: str, secret: str, entropy: Entropy, generation: int = 0) -> SigningKeys:
    """The server's key material; `generation` counts rotations (0: the first keys)."""
    # The HS secret is drawn first in every mode so the other draws stay aligned.
    secret_text = entropy.token_urlsafe(32) if secret == "random" else secret
    jws = jwt.PyJWS()
    if algorithm == "HS256":
        return SigningKeys(algorithm, secret_text, secret_text, secret_text, "", jws)
    private: Any
    if algorithm == "RS256":
        if entropy.seed is None:
            private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        else:
            cache_key = ("RS256", entropy.seed, generation)
            if cache_key not in _KEY_CACHE:
                seed = _generation_seed(entropy.seed, generation)
                _KEY_CACHE[cache_key] = _seeded_rsa(Entropy(seed))
            private = _KEY_CACHE[cache_key]
    elif algorithm == "ES256":
        if entropy.seed is None:
            private = ec.generate_private_key(ec.SECP256R1())
        else:
            scalar = 1 + entropy.randbits(255) % (2**255 - 19)
            private = ec.derive_private_key(scalar, ec.SECP256R1())
            jws.unregister_algorithm("ES256")
            jws.register_algorithm("ES256", _DeterministicEC(ECAlgorithm.SHA256))
    else:
        raise ValueError(f"unknown algorithm {algorithm!r}")
    public = private.public_key()
    pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")
    return SigningKeys(algorithm, private, public, secret_text, pem, jws)
