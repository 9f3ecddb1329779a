"""Life events that end logins early: a password change and an admin ban.

What each one can revoke depends on the mode and the `revocation` setting, and comes
out of the real state (each strategy's `revoke_user`): sessions are deleted from the
store (only the store this server can reach), a token version is raised in the users
table, a jti goes on the denylist, and hybrid refresh token families are marked
revoked. A JWT with `revocation = none` cannot be revoked at all: it stays valid until
`exp`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from authflow.simulator.actions.spec import ActionSpec, fixed
from authflow.simulator.browser.page_script import PageScript
from authflow.simulator.server.server import PASSWORD_PATH
from authflow.simulator.trace.details import NoteDetail
from authflow.simulator.world.engine import World


def change_password(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    body = {"old_password": args["old_password"], "new_password": args["new_password"]}
    response = page.fetch(
        "POST",
        PASSWORD_PATH,
        body,
        why="The page posts the current and the new password; the server should end every "
        "other login of this account, because a password change is what a user does when "
        "they fear someone else is in.",
    )
    if response is not None and response.status == 200:
        # The page takes the fresh credential as it does at login.
        page.accept_credentials(response.body)


def ban(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    user = str(args["user"])
    server = world.servers[0]
    ctx = server.auth
    if world.users.get(user) is None:
        ctx.verdict(False, "password", f"no such user {user}", None)
        return
    ctx.set_password(
        user,
        world.entropy.token_hex(16),
        "(locked: random password hash)",
        f"The account is locked: {user}'s password hash is replaced by one no password matches.",
    )
    done = server.strategy.revoke_user(ctx, user, None, "Admin ban")
    if not done:
        reason = (
            "nothing could be revoked: a JWT with no revocation stays valid until exp"
            if world.config.text("revocation") == "none"
            else "nothing could be revoked: the denylist needs a token's jti, and the server "
            "kept no record of the tokens it issued"
        )
        if world.mode == "session":
            reason = f"{user} had no session in {server.store.name}"
    else:
        reason = "; ".join(done)
    world.recorder.emit(
        "note",
        server.name,
        server.name,
        f"Ban: {reason}",
        f"The ban ends what it can: {reason}.",
        NoteDetail(reason, extra={"user": user, "revoked": done}),
    )


SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "change_password",
        {"old_password": (str, "wonderland"), "new_password": (str, "looking-glass")},
        "The signed-in user changes their password; the server revokes what the mode allows.",
        change_password,
        fixed("User changes the password"),
    ),
    ActionSpec(
        "ban",
        {"user": (str, "alice")},
        "An administrator bans a user; the server revokes what the mode allows.",
        ban,
        lambda a: f"Admin bans {a['user']}",
    ),
)
