"""The action catalogue: every action a lesson step can ask for, and checking its arguments.

Each module that adds actions lists its specs; they are put together here, in one
place, in the order lessons and the app list them. Nothing registers itself on import.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from authflow.simulator.actions import (
    attacks_from_machine,
    attacks_in_page,
    faults,
    key_ops,
    token_attacks,
    user,
)
from authflow.simulator.actions.attacks_from_subdomain import SPECS as SUBDOMAIN_SPECS
from authflow.simulator.actions.login_csrf import SPECS as LOGIN_CSRF_SPECS
from authflow.simulator.actions.spec import ActionSpec
from authflow.simulator.actions.tabs_and_devices import SPECS as TABS_AND_DEVICES_SPECS
from authflow.simulator.actions.url_leaks import SPECS as URL_LEAKS_SPECS

CATALOGUE: tuple[ActionSpec, ...] = (
    *user.SPECS,
    *attacks_in_page.SPECS,
    *attacks_from_machine.SPECS,
    *faults.SPECS,
    *SUBDOMAIN_SPECS,
    *LOGIN_CSRF_SPECS,
    *key_ops.SPECS,
    *token_attacks.SPECS,
    *TABS_AND_DEVICES_SPECS,
    *URL_LEAKS_SPECS,
)
ACTIONS: Mapping[str, ActionSpec] = {spec.name: spec for spec in CATALOGUE}
"""name -> spec, for every action."""


class ActionError(ValueError):
    """A step's action or arguments that the catalogue does not accept; says why."""


_KIND_WORDS: dict[type, str] = {
    int: "a whole number",
    float: "a number",
    str: "text",
    bool: "true or false",
    list: "a list",
    dict: "an object",
}
"""What each argument type is called in a message: a student typed JSON, not Python."""


def _value_words(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"the text {value!r:.60}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"{value!r:.60}"


def check_args(action: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """The step's arguments with defaults filled in; ActionError names what is wrong."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise ActionError(f"unknown action {action!r}; valid actions: {', '.join(ACTIONS)}")
    out: dict[str, Any] = {}
    for key in args:
        if key not in spec.args:
            raise ActionError(
                f"action {action!r} has no argument {key!r}; it takes "
                f"{', '.join(spec.args) or 'none'}"
            )
    for key, (kind, default) in spec.args.items():
        value = args.get(key, default)
        if (kind is not object and not isinstance(value, kind)) or (
            kind is int and isinstance(value, bool)
        ):
            raise ActionError(
                f"action {action!r}: {key} must be {_KIND_WORDS.get(kind, kind.__name__)}, "
                f"got {_value_words(value)}"
            )
        choices = spec.choices.get(key)
        if choices is not None and value not in choices:
            raise ActionError(
                f"action {action!r}: {key} must be one of {'|'.join(choices)}, got {value!r}"
            )
        out[key] = value
    _check_values(action, out)
    return out


MAX_WAIT_SECONDS = 100 * 366 * 86400
"""A century: longer waits say nothing more and would overflow the clock's float."""


def _check_values(action: str, args: Mapping[str, Any]) -> None:
    """What the types alone allow but the run could not use (hand-written lessons,
    workspace files): say so here rather than fail halfway through the run."""
    seconds = args.get("seconds", 0)
    if action == "wait" and not 0 <= seconds <= MAX_WAIT_SECONDS:
        got = "more" if seconds > 0 else str(seconds) if seconds > -(10**40) else "less"
        raise ActionError(
            f"action 'wait': seconds must be from 0 to {MAX_WAIT_SECONDS} (the clock only "
            f"moves forward), got {got}"
        )
    if action != "send":
        return
    for header in args["headers"]:
        if not (
            isinstance(header, list | tuple)
            and len(header) == 2
            and all(isinstance(part, str) for part in header)
        ):
            raise ActionError(
                "action 'send': headers must be a list of [name, value] pairs of text, "
                f"got {header!r:.60}"
            )
    body = args["body"]
    if body is not None:
        try:
            ok = isinstance(body, dict) and isinstance(json.dumps(body), str)
        except (TypeError, ValueError, RecursionError):
            ok = False
        if not ok:
            raise ActionError(
                f"action 'send': body must be a JSON object or none, got {body!r:.60}"
            )


def describe(action: str, args: Mapping[str, Any]) -> str:
    """The label of the note that opens a step: what the user does."""
    spec = ACTIONS.get(action)
    return action if spec is None else spec.label(args)
