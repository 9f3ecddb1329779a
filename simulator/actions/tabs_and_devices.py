"""What one user does from more than one place: two tabs of the app racing for a new
access token, and (later in this module) a second device."""

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
)
"""Actions of a user with several tabs or devices, in the order lessons list them."""
