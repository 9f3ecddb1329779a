"""What one user does from more than one place: two tabs of the app racing for a new
access token, a second device (a phone), and the list of logins with "log out of all
devices"."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from authflow.simulator.actions.spec import ActionSpec, fixed
from authflow.simulator.attacker.actor import outcome
from authflow.simulator.browser.page_script import PageScript
from authflow.simulator.trace.details import NoteDetail
from authflow.simulator.web.http import Response
from authflow.simulator.world.engine import World


def _tab_2_result(world: World, response: Response | None) -> None:
    if response is not None and response.status == 200:
        words = "tab 2 got a new access token"
        why = f"Tab 2's refresh was answered {outcome(response)}: it carries on signed in."
    else:
        words = "tab 2 shows the login form"
        why = (
            f"Tab 2's refresh was answered {outcome(response)}: it has no access token "
            "and shows the login form."
        )
    world.recorder.emit(
        "note", "browser", "browser", words, why, NoteDetail(words, extra={"tab": 2})
    )


def _refresh_race(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    _, second = page.refresh_in_two_tabs(world.config.flag("refresh_lock"))
    _tab_2_result(world, second)


def _phone(world: World) -> PageScript:
    # The phone's page keeps nothing between steps that its browser does not hold.
    return PageScript(world, world.second_browser())


def _phone_login(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    _phone(world).login(args["user"], args["password"], False)


def _phone_profile(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    _phone(world).api("GET", "/api/profile")


def _sessions(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    page.api("GET", "/account/sessions")


def _logout_all(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    page.logout_everywhere()


SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "refresh_race",
        {},
        "Two tabs of the app ask /auth/refresh for a new access token at the same moment "
        "(one after the other when the refresh_lock setting is on).",
        _refresh_race,
        fixed("Two tabs need a new access token at once"),
        modes=("hybrid",),
    ),
    ActionSpec(
        "phone_login",
        {"user": (str, "alice"), "password": (str, "wonderland")},
        "The user logs in on a second device (the actor 'phone'): its own browser, cookie "
        "jar and storage.",
        _phone_login,
        lambda a: f"User logs in on the phone as {a['user']}",
    ),
    ActionSpec(
        "phone_profile",
        {},
        "The second device opens the profile (GET /api/profile) with what it holds.",
        _phone_profile,
        fixed("The phone opens the profile"),
    ),
    ActionSpec(
        "sessions",
        {},
        "The page lists the account's logins (GET /account/sessions), as the store records them.",
        _sessions,
        fixed("User looks at where they are signed in"),
    ),
    ActionSpec(
        "logout_all",
        {},
        "Log out of all devices (POST /auth/logout-all): the server ends every login of "
        "the account it can reach, as the mode and `revocation` allow.",
        _logout_all,
        fixed("User logs out of all devices"),
    ),
)
"""Actions of a user with several tabs or devices, in the order lessons list them."""
