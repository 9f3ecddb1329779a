"""The server's routes: one CSRF rule for every state-changing route a cookie reaches."""

from __future__ import annotations

import pytest
from factories import FAST

from authflow.simulator.browser.page_script import PageScript
from authflow.simulator.server.server import PASSWORD_PATH
from authflow.simulator.trace.trace import Event
from authflow.simulator.world.engine import World

CHANGE = {"old_password": "wonderland", "new_password": "looking-glass"}


def _signed_in(mode: str, **settings: str) -> tuple[World, PageScript]:
    world = World(mode, {**FAST, "csrf_token": "true", **settings}, seed=1)
    page = PageScript(world)
    page.login("alice", "wonderland", False)
    return world, page


def _csrf_verdicts(world: World, start: int) -> list[tuple[bool, str]]:
    events: list[Event] = world.recorder.events[start:]
    return [(e.detail["ok"], e.detail["reason"]) for e in events if e.detail.get("check") == "csrf"]


@pytest.mark.parametrize("path", ["/api/transfer", PASSWORD_PATH])
def test_a_cookie_request_without_the_csrf_token_is_refused(path: str) -> None:
    world, _page = _signed_in("session")
    start = len(world.recorder.events)
    # What a cross-site form does: the browser adds the sid cookie, nobody adds the header.
    response = world.browser.send(
        "POST",
        world.app_origin + path,
        initiator=world.app_origin,
        kind="fetch",
        body={**CHANGE, "amount": 1, "to": "bob"},
    )
    assert response is not None
    assert response.status == 403
    assert _csrf_verdicts(world, start) == [
        (False, "no X-CSRF-Token header: a cross-site page cannot know the token")
    ]


@pytest.mark.parametrize("path", ["/api/transfer", PASSWORD_PATH])
def test_a_wrong_csrf_token_is_refused_and_the_right_one_is_recorded_as_accepted(
    path: str,
) -> None:
    world, page = _signed_in("session")
    start = len(world.recorder.events)
    wrong = world.browser.send(
        "POST",
        world.app_origin + path,
        initiator=world.app_origin,
        kind="fetch",
        headers=[("X-CSRF-Token", "guessed")],
        body=dict(CHANGE),
    )
    assert wrong is not None
    assert wrong.status == 403
    right = page.fetch("POST", path, dict(CHANGE))  # the page sends the token it was given
    assert right is not None
    assert right.status == 200
    assert _csrf_verdicts(world, start) == [
        (False, "X-CSRF-Token does not match: a cross-site page cannot know the token"),
        (True, "X-CSRF-Token matches the one bound to this login"),
    ]


def test_a_bearer_token_needs_no_csrf_token() -> None:
    """A cross-site page cannot make the browser add an Authorization header."""
    world, page = _signed_in("jwt", token_storage="memory")
    start = len(world.recorder.events)
    token = page.token()
    assert token is not None
    response = world.browser.send(
        "POST",
        world.app_origin + PASSWORD_PATH,
        initiator=world.app_origin,
        kind="fetch",
        headers=[("Authorization", f"Bearer {token}")],
        body=dict(CHANGE),
    )
    assert response is not None
    assert response.status == 200
    assert _csrf_verdicts(world, start) == []
