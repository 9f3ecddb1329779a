"""Attacks from the attacker's own machine, with what they stole or made up: replaying
a credential, reusing a refresh token, tampering, forging unsigned or weakly signed ones.
Malware copying the victim's credentials (`steal`) is how a copy gets there.

No browser rule applies on the attacker's machine: only the server's checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from authflow.simulator.actions.attacker_network import (
    credential_headers,
    credentials_of,
    own_login,
    send_from_machine,
)
from authflow.simulator.actions.spec import ActionSpec, fixed
from authflow.simulator.attacker.actor import outcome, reasons
from authflow.simulator.attacker.forgery import (
    WEAK_SECRETS,
    crack_jwt,
    crack_sid,
    forged_claims,
    hs256_sign,
    json_segment,
    tamper_jwt,
    tamper_sid,
)
from authflow.simulator.browser.page_script import TOKEN_KEY, PageScript
from authflow.simulator.server.auth_session import session_signer
from authflow.simulator.web.cookies_out import base_name
from authflow.simulator.web.http import Response
from authflow.simulator.world.engine import World


def steal(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    b = world.browser
    b.expire_cookies()
    stolen: dict[str, str] = {}
    for row in b.jar.rows():
        if row.value:
            stolen[row.name] = row.value
    stolen.update(b.local_storage.get(b.app_origin, {}))
    stolen.update(b.page.memory)
    world.attacker.take(stolen)
    world.attacker.attack_event(
        "steal",
        "browser",
        "Stolen: " + (", ".join(stolen) if stolen else "nothing"),
        "Malware on the victim's computer copies the browser's cookie database (HttpOnly or "
        "not: that flag only hides cookies from page script), its localStorage and the open "
        "page's memory."
        if stolen
        else "There was no credential on the victim's computer to copy.",
        attempted="copy every cookie, localStorage entry and page-memory value for app.example "
        "from the victim's computer",
        stolen=stolen,
        success=bool(stolen),
    )


def _replay_with(
    world: World,
    attack: str,
    creds: Mapping[str, str],
    method: str,
    path: str,
    attempted: str,
    why: str,
    stolen: Mapping[str, str] | None = None,
    **extra: Any,
) -> Response:
    start = len(world.recorder.events)
    body = (
        {"amount": 1000, "to": "mallory"} if method == "POST" and path == "/api/transfer" else None
    )
    response = send_from_machine(world, method, path, credential_headers(world, creds), body, why)
    verdicts = world.attacker.verdicts_since(start)
    ok = response.status == 200
    names = ", ".join(creds) or "no credential"
    explain = (
        f"The server accepted it ({outcome(response)}): it cannot tell the attacker's "
        "copy from the real thing."
        if ok
        else f"The server refused it ({outcome(response)}"
        + (f": {verdicts[-1].reason}" if verdicts else "")
        + ")."
    )
    world.attacker.attack_event(
        attack,
        world.attacker.server_since(start, world.servers[0].name),
        f"{attack.replace('_', ' ').capitalize()} ({names}) → {outcome(response)}",
        explain,
        attempted=attempted,
        stolen=dict(stolen or {}),
        success=ok,
        status=response.status,
        reasons=reasons(verdicts),
        reason=verdicts[-1].reason if verdicts else "",
        **extra,
    )
    return response


def replay(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    loot = world.attacker.loot
    # Held under the cookie's own name (__Host-sid is still the session id).
    creds = {base_name(k): v for k, v in loot.items() if base_name(k) in ("sid", TOKEN_KEY)}
    method, path = str(args["method"]).upper(), str(args["path"])
    _replay_with(
        world,
        "replay",
        creds,
        method,
        path,
        attempted=f"{method} {path} from the attacker's machine with the stolen "
        f"{', '.join(creds) or '(nothing)'}",
        why=(
            f"From their own machine the attacker sends the stolen {', '.join(creds)}, exactly "
            "as the victim's browser would."
            if creds
            else "The attacker holds no stolen credential, so the request from their own "
            "machine carries none."
        ),
    )


def refresh_reuse(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    token = world.attacker.loot.get("refresh")
    start = len(world.recorder.events)
    headers = [("Cookie", f"refresh={token}")] if token else []
    response = send_from_machine(
        world,
        "POST",
        "/auth/refresh",
        headers,
        None,
        why=(
            "From their own machine the attacker presents the stolen refresh token to "
            "/auth/refresh, hoping for a fresh access token."
            if token
            else "The attacker stole no refresh token, so the request to /auth/refresh from "
            "their own machine carries none."
        ),
    )
    verdicts = world.attacker.verdicts_since(start)
    gained = credentials_of(response) if response.status == 200 else {}
    gained = {k: v for k, v in gained.items() if k in ("refresh", TOKEN_KEY)}
    world.attacker.take(gained)
    ok = response.status == 200
    reason = (
        verdicts[-1].reason
        if verdicts
        else (response.body.get("error", "") if isinstance(response.body, dict) else "")
    )
    explain = (
        "The server took the stolen refresh token and rotated it: the attacker now holds "
        "a new access token and a new refresh token."
        if ok and "refresh" in gained
        else "The server took the already-used refresh token within its grace period: the "
        "attacker now holds a new access token, and no reuse alarm was raised."
        if ok
        else f"The server refused it ({outcome(response)}: {reason})."
    )
    world.attacker.attack_event(
        "refresh_reuse",
        world.attacker.server_since(start, world.servers[0].name),
        f"Refresh with stolen token → {outcome(response)}",
        explain,
        attempted="POST /auth/refresh from the attacker's machine with the stolen "
        + ("refresh token" if token else "(no refresh token: none was stolen)"),
        stolen=gained,
        success=ok,
        status=response.status,
        reasons=reasons(verdicts),
        reason=reason,
    )


def _credential_to_work_on(world: World) -> tuple[dict[str, str], str]:
    loot = world.attacker.loot
    key = "sid" if world.mode == "session" else TOKEN_KEY
    if key in loot:
        return {key: loot[key]}, "the stolen"
    own = own_login(world)
    return ({key: own[key]} if key in own else {}), "their own account's"


def tamper(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    creds, source = _credential_to_work_on(world)
    claim, value = str(args["claim"]), str(args["value"])
    if "sid" in creds:
        changed = {"sid": tamper_sid(creds["sid"])}
        what = "changed the session id inside the signed sid cookie, keeping its signature"
    elif TOKEN_KEY in creds:
        changed = {TOKEN_KEY: tamper_jwt(creds[TOKEN_KEY], claim, value)}
        what = f"set the JWT payload's {claim} to {value!r}, keeping the old signature"
    else:
        changed, what = {}, "had nothing to tamper with"
    _replay_with(
        world,
        "tamper",
        changed,
        "GET",
        "/api/profile",
        attempted=f"took {source} credential, {what}, and sent it",
        why=f"The attacker {what}, and sends it to the server.",
        original=creds,
        tampered=changed,
    )


def claims_now(world: World, user: str, role: str) -> dict[str, Any]:
    """A forged token's claims for `user` as `role`, issued now, valid for an hour."""
    origin = world.app_origin
    return forged_claims(
        user, role, int(world.clock.epoch), world.entropy.token_hex(8), origin, origin + "/api"
    )


def forge_none(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    user, role = str(args["user"]), str(args["role"])
    if world.mode == "session":
        forged = {"sid": world.entropy.token_hex(16)}
        what = "a sid cookie with a made-up id and no signature"
    else:
        header = {"alg": "none", "typ": "JWT"}
        token = f"{json_segment(header)}.{json_segment(claims_now(world, user, role))}."
        forged = {TOKEN_KEY: token}
        what = f'a token with alg "none" and no signature, claiming sub={user}, role={role}'
    _replay_with(
        world,
        "forge_none",
        forged,
        "GET",
        "/api/profile",
        attempted=f"forge {what}",
        why=f"The attacker sends {what}.",
        forged=forged,
    )


def forge_weak(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    user, role = str(args["user"]), str(args["role"])
    sample, source = _credential_to_work_on(world)
    forged: dict[str, str] = {}
    secret: str | None = None
    tried = 0
    if "sid" in sample:
        secret, tried = crack_sid(sample["sid"])
        key = secret or WEAK_SECRETS[0]
        forged = {"sid": session_signer(key).sign(world.entropy.token_hex(16)).decode()}
        what = "a sid cookie for a made-up session id, signed with " + (
            "the cracked key" if secret else f"the guess {key!r}"
        )
    elif TOKEN_KEY in sample:
        secret, tried = crack_jwt(sample[TOKEN_KEY])
        key = secret or WEAK_SECRETS[0]
        header = json_segment({"alg": "HS256", "typ": "JWT"})
        payload = json_segment(claims_now(world, user, role))
        forged = {TOKEN_KEY: f"{header}.{payload}.{hs256_sign(f'{header}.{payload}', key)}"}
        what = f"an HS256 token claiming sub={user}, role={role}, signed with " + (
            "the cracked secret" if secret else f"the guess {key!r}"
        )
    else:
        what = "nothing: no sample credential to test guesses against"
    cracked = (
        f"Offline, guess {tried} of {len(WEAK_SECRETS)} verified the sample's signature: "
        f"the secret is {secret!r}."
        if secret
        else f"Offline, none of {tried} common secrets verified the sample's signature."
    )
    if secret:
        # Cracked offline, before anything is sent: the attack's own event (the state
        # after it) already shows the secret in the attacker's hands.
        world.attacker.take({"secret": secret})
    _replay_with(
        world,
        "forge_weak",
        forged,
        "GET",
        "/api/profile",
        attempted=f"take {source} credential as a sample, guess the signing secret "
        f"from {len(WEAK_SECRETS)} common ones, then forge {what}",
        why=f"{cracked} The attacker sends {what}.",
        stolen={"secret": secret} if secret else {},
        cracked=secret,
        guesses_tried=tried,
        forged=forged,
    )


SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "steal",
        {},
        "Malware on the victim's computer copies cookies, localStorage and page memory.",
        steal,
        fixed("Malware copies the browser's credentials"),
        lane="attacker",
    ),
    ActionSpec(
        "replay",
        {"method": (str, "GET"), "path": (str, "/api/profile")},
        "The attacker sends the stolen credential from their own machine.",
        replay,
        lambda a: f"Attacker replays the stolen credential ({a['method']} {a['path']})",
        lane="attacker",
        choices={"method": ("GET", "POST")},
    ),
    ActionSpec(
        "refresh_reuse",
        {},
        "The attacker presents the stolen refresh token to /auth/refresh.",
        refresh_reuse,
        fixed("Attacker uses the stolen refresh token"),
        modes=("hybrid",),
        lane="attacker",
    ),
    ActionSpec(
        "tamper",
        {"claim": (str, "role"), "value": (str, "admin")},
        "The attacker edits a credential (a JWT claim, or the id in the sid cookie) and sends it.",
        tamper,
        lambda a: f"Attacker tampers with a credential ({a['claim']} → {a['value']})",
        lane="attacker",
    ),
    ActionSpec(
        "forge_none",
        {"user": (str, "carol"), "role": (str, "admin")},
        "The attacker forges an unsigned token (alg: none) or an unsigned sid cookie.",
        forge_none,
        fixed("Attacker forges an unsigned (alg: none) credential"),
        lane="attacker",
    ),
    ActionSpec(
        "forge_weak",
        {"user": (str, "carol"), "role": (str, "admin")},
        "The attacker guesses a weak signing secret offline from a sample and forges with it.",
        forge_weak,
        fixed("Attacker guesses the signing secret and forges"),
        lane="attacker",
    ),
)
