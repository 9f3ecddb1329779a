"""What the user does in a lesson: log in and out, use the app, wait, reload, restart,
or send a hand-edited request; each as an action spec for the catalogue."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from authflow.simulator.actions.spec import ActionSpec, fixed
from authflow.simulator.browser.page_script import PageScript
from authflow.simulator.trace.clock import format_duration, format_t
from authflow.simulator.trace.details import NoteDetail
from authflow.simulator.web.http import Request
from authflow.simulator.world.engine import World


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
            NoteDetail(why, extra={"lost": lost if not store.persistent else 0}),
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
        NoteDetail(later, extra={"clock": world.clock.t}),
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


SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "login",
        {"user": (str, "alice"), "password": (str, "wonderland"), "remember_me": (bool, False)},
        "Log in with a username and password.",
        _login,
        lambda a: f"User logs in as {a['user']}" + (" (remember me)" if a["remember_me"] else ""),
    ),
    ActionSpec(
        "profile",
        {},
        "View the profile page (GET /api/profile).",
        _profile,
        fixed("User opens the profile"),
    ),
    ActionSpec(
        "transfer",
        {"amount": (int, 100), "to": (str, "bob")},
        "Make a transfer (POST /api/transfer), a state-changing request.",
        _transfer,
        fixed("User makes a transfer"),
    ),
    ActionSpec("logout", {}, "Log out.", _logout, fixed("User logs out")),
    ActionSpec(
        "refresh",
        {},
        "Ask for a new access token with the refresh cookie.",
        _refresh,
        fixed("Page refreshes its token"),
        modes=("hybrid",),
    ),
    ActionSpec(
        "wait",
        {"seconds": (int, 60)},
        "Let simulated time pass.",
        _wait,
        lambda a: f"{format_duration(a['seconds'])} pass",
    ),
    ActionSpec(
        "reload",
        {},
        "Reload the page: its JavaScript memory is lost.",
        _reload,
        fixed("User reloads the page"),
    ),
    ActionSpec(
        "restart_browser",
        {},
        "Quit and reopen the browser: session cookies and page memory are lost.",
        _restart_browser,
        fixed("Browser restarts"),
    ),
    ActionSpec(
        "restart_server",
        {},
        "Restart the app servers: in-process memory is lost.",
        _restart_server,
        fixed("Servers restart"),
    ),
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
        _send,
        lambda a: f"Hand-edited {a['method']} {a['path']} from the {a['from']}",
    ),
)
"""The user's own actions, in the order lessons and the app list them."""
