"""A JWS check that takes the algorithm from the token's own header: a faithful model
of the JWT libraries behind CVE-2015-9235 (node-jsonwebtoken before 4.2.2) and
CVE-2016-10555 (jwt-simple), which verify with "the key" under whatever `alg` the token
names. Handed an RSA or EC public key as PEM text, such a library computes HS256 with
those PEM bytes as the HMAC secret, so anyone who has the public key can sign.

PyJWT refuses exactly that (an asymmetric key is not accepted as an HMAC secret, since
CVE-2017-11424), so the HMAC half of this model is written on hmac and hashlib; RS256
and ES256 signatures it checks with PyJWT's own algorithm objects, as such a library
would with a real RSA or EC key. The server uses it only with `pin_algorithm` false.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from typing import Any

from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from authflow.simulator.server.keys import SigningKeys

_HMAC = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}


class Refused(ValueError):
    """Why the token's signature or shape is not accepted, in a short phrase."""


def _segment(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise Refused("malformed token: a segment is not base64url") from None


def _json_object(text: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(_segment(text))
    except (UnicodeDecodeError, ValueError):
        raise Refused(f"malformed token: the {what} is not JSON") from None
    if not isinstance(value, dict):
        raise Refused(f"malformed token: the {what} is not a JSON object")
    return value


def the_key_bytes(keys: SigningKeys) -> bytes:
    """What such a library is handed as "the key": the HS256 secret, or the public key's
    PEM text. With HS* in the header, these bytes become the HMAC secret."""
    if keys.algorithm == "HS256":
        return keys.secret_text.encode("utf-8")
    return keys.public_pem.encode("ascii")


def verify(token: str, keys: SigningKeys) -> tuple[dict[str, Any], dict[str, Any]]:
    """(header, claims) when the signature verifies under the header's own algorithm;
    Refused says why not."""
    parts = token.split(".")
    if len(parts) != 3:
        raise Refused("malformed token: not three segments")
    header = _json_object(parts[0], "header")
    claims = _json_object(parts[1], "payload")
    signature = _segment(parts[2])
    signing_input = f"{parts[0]}.{parts[1]}".encode("ascii", "replace")
    alg = header.get("alg")
    if alg == "none":
        # "none" is a registered algorithm: such a library lets the header ask for it.
        ok = signature == b""
    elif alg in _HMAC:
        mac = hmac.new(the_key_bytes(keys), signing_input, _HMAC[str(alg)]).digest()
        ok = hmac.compare_digest(mac, signature)
    elif alg == "RS256" and keys.algorithm == "RS256":
        ok = RSAAlgorithm(RSAAlgorithm.SHA256).verify(
            signing_input, keys.verification_key, signature
        )
    elif alg == "ES256" and keys.algorithm == "ES256":
        ok = ECAlgorithm(ECAlgorithm.SHA256).verify(signing_input, keys.verification_key, signature)
    elif alg in ("RS256", "ES256"):
        raise Refused(f"bad signature: the server's key is not an {str(alg)[:2]} key")
    else:
        raise Refused(f"algorithm {alg} is not supported")
    if not ok:
        raise Refused(
            f"bad signature: the {alg} signature does not match the server's key"
            if alg != "none"
            else "bad signature: alg none with a signature attached"
        )
    return header, claims
