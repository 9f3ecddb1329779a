"""Login CSRF: evil.example's form logs the victim's browser in to the attacker's account.

Nothing of the victim's is stolen: the victim goes on working signed in as the attacker
(saving a card, a search history, a document), and the attacker reads it later. The
browser's rules (a top-level form POST may set cookies of any SameSite) and the server's
checks decide whether the login takes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from authflow.simulator.actions.attacker_network import csrf_page, offsite_exchange
from authflow.simulator.actions.spec import ActionSpec, fixed
from authflow.simulator.attacker.actor import ATTACKER_ACCOUNT, ATTACKER_ORIGIN, outcome, reasons
from authflow.simulator.browser.page_script import PageScript
from authflow.simulator.web.cookies_out import role_of_cookie
from authflow.simulator.world.engine import World

_LOGINS = ("session", "access", "refresh")
"""Roles of the cookies that carry a login (a csrf cookie alone signs no one in)."""


def login_csrf(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    user, password = ATTACKER_ACCOUNT
    fields = {"username": user, "password": password}
    offsite_exchange(
        world,
        "GET",
        f"{ATTACKER_ORIGIN}/",
        None,
        200,
        "The victim opens a page on evil.example.",
        "evil.example serves a page whose hidden form logs in to app.example and submits itself.",
        page=csrf_page(world.app_origin + "/auth/login", fields),
    )
    before = {(r.name, r.value) for r in world.browser.jar.rows(world.clock.t)}
    start = len(world.recorder.events)
    response = world.browser.send(
        "POST",
        world.app_origin + "/auth/login",
        initiator=ATTACKER_ORIGIN,
        kind="form",
        headers=[("Content-Type", "application/x-www-form-urlencoded")],
        body=fields,
        why=f"evil.example's form posts the attacker's own username and password ({user}) to "
        "app.example/auth/login. It needs no cookie of the victim's: it only has to get "
        "the answer's Set-Cookie into the victim's browser.",
    )
    verdicts = world.attacker.verdicts_since(start)
    # What the victim's browser now holds that it did not before: the attacker's login,
    # if the answer's credential cookie was stored (the jar decided).
    planted = sorted(
        r.name
        for r in world.browser.jar.rows(world.clock.t)
        if (r.name, r.value) not in before and role_of_cookie(r.name) in _LOGINS
    )
    ok = response is not None and response.status == 200 and bool(planted)
    if ok:
        explain = (
            f"The victim's browser now holds {', '.join(planted)} for {user}'s login: from "
            f"the first request that uses it, the app serves the victim {user}'s account, "
            "and what they save there the attacker can read."
        )
    elif response is not None and response.status == 200:
        explain = (
            "The login succeeded, but its credential came back in the answer's body to a "
            "tab evil.example opened, where no app script keeps it: the victim's browser "
            "holds nothing new."
        )
    else:
        explain = f"The forged login was refused ({outcome(response)})."
    world.attacker.attack_event(
        "login_csrf",
        "browser",
        f"Login CSRF: victim logged in as {user}" if ok else f"Login CSRF → {outcome(response)}",
        explain,
        attempted=f"cross-site form POST {world.app_origin}/auth/login as {user} from "
        f"{ATTACKER_ORIGIN}",
        stolen={},
        success=ok,
        status=None if response is None else response.status,
        planted=planted,
        reasons=reasons(verdicts),
    )


SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "login_csrf",
        {},
        "Login CSRF: the victim visits evil.example, whose form logs their browser in to the "
        "attacker's own account (bob).",
        login_csrf,
        fixed("User visits evil.example (login CSRF form)"),
        lane="attacker",
    ),
)
