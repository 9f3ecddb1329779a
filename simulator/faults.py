"""Life events that end logins early: a password change and an admin ban.

What each one can revoke depends on the mode and the `revocation` setting, and comes
out of the real state: sessions are deleted from the store (only the store this server
can reach), a token version is raised in the users table, a jti goes on the denylist,
and hybrid refresh token families are marked revoked. A JWT with `revocation = none`
cannot be revoked at all: it stays valid until `exp`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from simulator.auth_base import Reply
from simulator.auth_hybrid import HybridStrategy
from simulator.auth_jwt import JwtStrategy
from simulator.engine import World
from simulator.http import Request
from simulator.page_script import PageScript
from simulator.server import EXTRA_ROUTES, Server
from simulator.users import check_password

Runner = Callable[[World, PageScript, Mapping[str, Any]], None]
PASSWORD_PATH = "/account/password"


def _access(server: Server) -> JwtStrategy | None:
    strategy = server.strategy
    if isinstance(strategy, HybridStrategy):
        return strategy.access
    if isinstance(strategy, JwtStrategy):
        return strategy
    return None


def revoke_everything(
    server: Server, user: str, presented: Mapping[str, Any] | None, why: str
) -> list[str]:
    """End every login of `user` this server can reach; returns what was done."""
    w = server.world
    done: list[str] = []
    store = server.store
    if w.mode == "session":
        for key in store.keys("sess:"):
            raw = store.get(key, why=f"{why}: the server looks for {user}'s sessions.")
            if raw is not None and json.loads(raw).get("user") == user:
                store.delete(key, why=f"{why}: the server destroys one of {user}'s sessions.")
                done.append(f"destroyed session {key[5:13]}…")
        return done
    if w.mode == "hybrid":
        for key in store.keys("family:"):
            raw = store.get(key, why=f"{why}: the server looks for {user}'s refresh tokens.")
            if raw is None:
                continue
            family = json.loads(raw)
            if family.get("user") == user and not family.get("revoked"):
                family["revoked"] = True
                store.set(
                    key,
                    json.dumps(family),
                    ttl=w.config.number("refresh_ttl"),
                    why=f"{why}: the server revokes one of {user}'s refresh token families.",
                )
                done.append(f"revoked refresh family {key[7:]}")
    access = _access(server)
    revocation = w.config.text("revocation")
    if access is not None:
        if revocation == "token-version":
            server.bump_user_token_version(user)
            done.append("raised the token version")
        elif revocation == "denylist" and presented is not None:
            access.revoke(server, presented)
            done.append(f"denylisted jti {presented.get('jti')}")
    return done


def _password_route(server: Server, request: Request) -> Reply:
    w = server.world
    auth = server.strategy.authenticate(server, request)
    check = "session" if w.mode == "session" else "jwt"
    server.verdict(auth.ok, check, auth.reason, auth.user)
    if not auth.ok or auth.user is None:
        return Reply(401, {"error": auth.reason})
    user = auth.user
    if w.config.flag("csrf_token") and auth.via == "cookie":
        sent = request.header("X-CSRF-Token")
        if not sent or sent != auth.csrf:
            server.verdict(False, "csrf", "no or wrong X-CSRF-Token", user)
            return Reply(403, {"error": "CSRF token missing or wrong"})
    body: Any = request.body if isinstance(request.body, dict) else {}
    row = w.users.get(user)
    if row is None or not check_password(str(body.get("old_password", "")), str(row["password"])):
        server.verdict(False, "password", "the current password does not match", user)
        return Reply(403, {"error": "current password is wrong"})
    server.verdict(True, "password", f"current password matches {user}'s", user)
    w.users.set_password(
        user,
        str(body.get("new_password", "")),
        w.entropy.token_bytes(16),
        w.config.number("scrypt_n"),
    )
    w.store_event(
        server,
        "SET",
        f"user:{user}",
        "(new password hash)",
        None,
        None,
        explain=f"The server stores the scrypt hash of {user}'s new password.",
    )
    done = revoke_everything(server, user, auth.claims or None, "Password changed")
    if not done:
        done.append("nothing: with no revocation a JWT cannot be ended early")
    # The user stays signed in here with a brand-new credential.
    reply = server.strategy.login(server, request, user, False)
    if isinstance(reply.body, dict):
        reply.body["revoked"] = done
    return reply


EXTRA_ROUTES[("POST", PASSWORD_PATH)] = _password_route


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
        page._accept_login_body(response.body)


def ban(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    user = str(args["user"])
    server = world.servers[0]
    if world.users.get(user) is None:
        server.verdict(False, "password", f"no such user {user}", None)
        return
    world.users.set_password(
        user,
        world.entropy.token_hex(16),
        world.entropy.token_bytes(16),
        world.config.number("scrypt_n"),
    )
    world.store_event(
        server,
        "SET",
        f"user:{user}",
        "(locked: random password hash)",
        None,
        None,
        explain=f"The account is locked: {user}'s password hash is replaced by one "
        "no password matches.",
    )
    done = revoke_everything(server, user, None, "Admin ban")
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
        {"text": reason, "user": user, "revoked": done},
    )


SPECS: tuple[tuple[str, Mapping[str, tuple[type, Any]], str, tuple[str, ...]], ...] = (
    (
        "change_password",
        {"old_password": (str, "wonderland"), "new_password": (str, "looking-glass")},
        "The signed-in user changes their password; the server revokes what the mode allows.",
        ("session", "jwt", "hybrid"),
    ),
    (
        "ban",
        {"user": (str, "alice")},
        "An administrator bans a user; the server revokes what the mode allows.",
        ("session", "jwt", "hybrid"),
    ),
)

LABELS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "change_password": lambda a: "User changes the password",
    "ban": lambda a: f"Admin bans {a['user']}",
}

RUNNERS: dict[str, Runner] = {"change_password": change_password, "ban": ban}
