"""The user actions a scenario step can ask for, and how each one is carried out."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from simulator.clock import format_duration, format_t
from simulator.engine import World
from simulator.http import Request
from simulator.modes import MODES
from simulator.page_script import PageScript


@dataclass(frozen=True, slots=True)
class ActionSpec:
    name: str
    args: Mapping[str, tuple[type, Any]]
    """argument -> (type, default)."""
    help: str
    modes: tuple[str, ...] = MODES
    """Modes in which the action means something (others still run it, harmlessly)."""


ACTIONS: dict[str, ActionSpec] = {
    a.name: a
    for a in (
        ActionSpec(
            "login",
            {"user": (str, "alice"), "password": (str, "wonderland"), "remember_me": (bool, False)},
            "Log in with a username and password.",
        ),
        ActionSpec("profile", {}, "View the profile page (GET /api/profile)."),
        ActionSpec(
            "transfer",
            {"amount": (int, 100), "to": (str, "bob")},
            "Make a transfer (POST /api/transfer), a state-changing request.",
        ),
        ActionSpec("logout", {}, "Log out."),
        ActionSpec(
            "refresh", {}, "Ask for a new access token with the refresh cookie.", ("hybrid",)
        ),
        ActionSpec("wait", {"seconds": (int, 60)}, "Let simulated time pass."),
        ActionSpec("reload", {}, "Reload the page: its JavaScript memory is lost."),
        ActionSpec(
            "restart_browser",
            {},
            "Quit and reopen the browser: session cookies and page memory are lost.",
        ),
        ActionSpec("restart_server", {}, "Restart the app servers: in-process memory is lost."),
        ActionSpec(
            "send",
            {
                "from": (str, "browser"),
                "method": (str, "GET"),
                "path": (str, "/api/profile"),
                "headers": (list, []),
                "body": (object, None),
            },
            "Send a hand-edited request exactly as written (edit and resend).",
        ),
    )
}


class ActionError(ValueError):
    pass


LABELS: dict[str, Callable[[Mapping[str, Any]], str]] = {}
"""action -> the label of its opening note, for actions registered from other modules."""
ARG_CHOICES: dict[tuple[str, str], tuple[str, ...]] = {}
"""(action, argument) -> the values it may take."""


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
        choices = ARG_CHOICES.get((action, key))
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
    if action == "login":
        return f"User logs in as {args['user']}" + (" (remember me)" if args["remember_me"] else "")
    if action == "wait":
        return f"{format_duration(args['seconds'])} pass"
    if action == "send":
        return f"Hand-edited {args['method']} {args['path']} from the {args['from']}"
    if action in LABELS:
        return LABELS[action](args)
    return {
        "profile": "User opens the profile",
        "transfer": "User makes a transfer",
        "logout": "User logs out",
        "refresh": "Page refreshes its token",
        "reload": "User reloads the page",
        "restart_browser": "Browser restarts",
        "restart_server": "Servers restart",
    }.get(action, action)


def _send(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    headers = tuple((str(h[0]), str(h[1])) for h in args["headers"] if len(h) == 2)
    url = world.app_origin + (
        args["path"] if str(args["path"]).startswith("/") else "/" + str(args["path"])
    )
    client = "attacker" if args["from"] == "attacker" else "browser"
    request = Request(str(args["method"]).upper() or "GET", url, headers, args["body"])
    context = {
        "initiator": None if client == "attacker" else world.app_origin,
        "kind": "fetch",
        "cross_site": client == "attacker",
    }
    world.deliver(
        request,
        client,
        context,
        why=(
            f"A hand-edited request is sent exactly as written, from the {client}; the server's "
            "real checks will judge it."
        ),
    )


def _restart_server(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    for store in world.stores:
        lost = len(store.snapshot())
        if not store.persistent:
            store.flush()
            why = (
                f"The server process restarts; its in-memory store is gone with it "
                f"({lost} key{'s' if lost != 1 else ''} lost)."
            )
        else:
            why = (
                "The server process restarts; the shared store is a separate service and "
                "keeps every key."
            )
        world.recorder.emit(
            "note",
            "server",
            store.name,
            f"{store.name}: restart",
            why,
            {"text": why, "lost": lost if not store.persistent else 0},
        )


def _restart_browser(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    world.browser.forget_memory("The browser closes: the page and its memory are gone.")
    world.browser.clear_session_cookies()
    page.load_page(
        "The user opens the app again: a top-level navigation that carries whatever "
        "cookies survived."
    )


def _wait(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    world.clock.advance(args["seconds"])
    # A note at the new time, so what follows is read against the clock as it now is.
    later = f"{format_duration(args['seconds'])} later"
    world.recorder.emit(
        "note",
        "browser",
        "browser",
        later,
        f"{later}: every expiry from here on is judged at {format_t(world.clock.t)}.",
        {"text": later, "clock": world.clock.t},
    )
    world.browser.expire_cookies()


def _login(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    remember = bool(args["remember_me"]) or world.config.flag("remember_me")
    page.login(args["user"], args["password"], remember)


def _profile(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    page.api("GET", "/api/profile")


def _transfer(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    page.api("POST", "/api/transfer", {"amount": args["amount"], "to": args["to"]})


def _logout(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    page.logout()


def _refresh(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    page.refresh()


def _reload(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    world.browser.forget_memory("Reloading throws away the page's JavaScript memory.")
    page.load_page("The browser reloads the app: a top-level navigation.")


Runner = Callable[[World, PageScript, Mapping[str, Any]], None]

RUNNERS: dict[str, Runner] = {
    "login": _login,
    "profile": _profile,
    "transfer": _transfer,
    "logout": _logout,
    "refresh": _refresh,
    "wait": _wait,
    "reload": _reload,
    "restart_browser": _restart_browser,
    "restart_server": _restart_server,
    "send": _send,
}


def _register() -> None:
    # Attacks and faults live in their own modules; they join the action table here.
    from simulator import attacks, faults

    for module in (attacks, faults):
        for name, args, help_text, modes in module.SPECS:
            ACTIONS[name] = ActionSpec(name, args, help_text, modes)
        RUNNERS.update(module.RUNNERS)
        LABELS.update(module.LABELS)
    ARG_CHOICES.update(attacks.CHOICES)


_register()
