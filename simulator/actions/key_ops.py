"""What the operator does with the server's signing keys: rotate them, retire the old
ones, and anyone reading the JWKS the servers publish; each as an action spec."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from authflow.simulator.actions.spec import ActionSpec, fixed
from authflow.simulator.browser.page_script import PageScript
from authflow.simulator.server.keyring import JWKS_PATH
from authflow.simulator.trace.details import NoteDetail
from authflow.simulator.world.engine import World


def _kids(world: World) -> list[str]:
    return [entry.kid for entry in world.key_ring.published]


def _servers(world: World) -> str:
    return "The server" if len(world.servers) == 1 else "Every server"


def _key_note(world: World, label: str, why: str, **extra: Any) -> None:
    first = world.servers[0].name
    detail = NoteDetail(why, extra={"published": _kids(world), **extra})
    world.recorder.emit("note", first, first, label, why, detail)


def _rotate_key(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    old = world.key_ring.current.kid
    new = world.key_ring.rotate()
    algorithm = new.keys.algorithm
    what = "secret" if algorithm == "HS256" else "key pair"
    why = (
        f"{_servers(world)} gets a new {algorithm} {what} ({new.kid}) and signs every new "
        f"token with it; {old} stays in the key set, so a token signed with it still "
        "verifies until that key is retired or the token expires."
    )
    if world.mode == "session":
        why += " Session mode signs no tokens, so the sid cookie does not change."
    _key_note(world, f"keys: rotate to {new.kid}", why, kid=new.kid, previous=old)


def _retire_key(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    retired = [entry.kid for entry in world.key_ring.retire()]
    current = world.key_ring.current.kid
    if retired:
        names = ", ".join(retired)
        why = (
            f"{_servers(world)} stops publishing {names} and forgets it: a token whose kid "
            f"names {names} no longer verifies anywhere. Only {current} is left."
        )
    else:
        why = f"There is no old key to retire: {current} is the only one."
    _key_note(world, f"keys: retire {', '.join(retired) or 'nothing'}", why, retired=retired)


def _fetch_jwks(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    b = world.browser
    b.send(
        "GET",
        b.app_origin + JWKS_PATH,
        initiator=b.app_origin,
        kind="fetch",
        credentials=False,
        why=f"The page fetches {JWKS_PATH} with no credential: it holds public keys only, "
        "for every service that verifies the tokens, each key named by its kid.",
    )


SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "rotate_key",
        {},
        "The server gets a new signing key (a new kid) and signs new tokens with it; the "
        "old key stays published.",
        _rotate_key,
        fixed("The operator rotates the signing key"),
        modes=("jwt", "hybrid"),
    ),
    ActionSpec(
        "retire_key",
        {},
        "The server stops publishing every key but the current one.",
        _retire_key,
        fixed("The operator retires the old signing key"),
        modes=("jwt", "hybrid"),
    ),
    ActionSpec(
        "fetch_jwks",
        {},
        "Open the server's JWKS document (/.well-known/jwks.json): its public keys and kids.",
        _fetch_jwks,
        fixed("Open the published keys (JWKS)"),
        modes=("jwt", "hybrid"),
    ),
)
