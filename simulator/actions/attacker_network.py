"""How the attacker reaches the network: evil.example answering the victim's browser,
and requests typed on the attacker's own machine, where no browser rule applies."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from authflow.simulator.attacker.actor import ATTACKER_ACCOUNT
from authflow.simulator.browser.page_script import TOKEN_KEY
from authflow.simulator.trace.details import VerdictDetail
from authflow.simulator.web.cookies_out import base_name
from authflow.simulator.web.cors import preflight_allows
from authflow.simulator.web.http import Request, Response
from authflow.simulator.web.wire import request_record
from authflow.simulator.world.engine import World, response_record


def offsite_exchange(
    world: World,
    method: str,
    url: str,
    body: Any,
    status: int,
    why: str,
    answer: str,
    page: str | None = None,
) -> None:
    """A request from the victim's browser to evil.example and its answer (no app server);
    `page` is the HTML evil.example answers with, if any."""
    rid = world.browser.new_request_id()
    world.recorder.tally.requests += 1
    hs: tuple[tuple[str, str], ...] = ()
    if body is not None:
        hs = (("Content-Type", "text/plain"),)
    request = Request(method, url, hs, body)
    context = {
        "initiator": world.app_origin if method == "POST" else None,
        "kind": "fetch" if method == "POST" else "navigate",
        "cross_site": method == "POST",
    }
    detail = request_record(request, rid, "browser", context, (), ())
    world.recorder.emit("request", "browser", "attacker", f"{method} {url}", why, detail)
    html = (("Content-Type", "text/html; charset=utf-8"),) if page is not None else ()
    response = Response(status, html, page)
    world.recorder.emit(
        "response",
        "attacker",
        "browser",
        f"{status} {response.phrase}".strip(),
        answer,
        response_record(response, rid, ()),
    )


def script_reads(world: World, response: Response, origin: str, site: str) -> tuple[bool, str, Any]:
    """Whether the browser lets script from `origin` (shown as `site`) read a credentialed
    cross-origin answer: (readable, why, the body it reads). A hidden answer is recorded as
    the browser's CORS verdict."""
    readable, why = preflight_allows(response.headers, origin, with_credentials=True)
    if readable:
        return True, why, response.body
    world.recorder.emit(
        "verdict",
        "browser",
        "browser",
        "✗ CORS: answer hidden",
        f"The request reached the server, but the browser hides the answer from "
        f"{site}'s script: {why}.",
        VerdictDetail(False, "cors", why, None),
    )
    return False, why, None


def csrf_page(action: str, fields: Mapping[str, Any]) -> str:
    """evil.example's page: a hidden form that posts itself to `action` on load."""
    inputs = "".join(
        f'<input type="hidden" name="{escape(str(k))}" value="{escape(str(v))}">'
        for k, v in fields.items()
    )
    return (
        "<!doctype html><title>You have won a prize</title>"
        f'<form method="POST" action="{escape(action)}">{inputs}</form>'
        "<script>document.forms[0].submit()</script>"
    )


def send_from_machine(
    world: World, method: str, path: str, headers: Sequence[tuple[str, str]], body: Any, why: str
) -> Response:
    """A request typed by the attacker on their own machine: no browser rules apply."""
    hs = list(headers)
    if body is not None:
        hs.insert(0, ("Content-Type", "application/json"))
    request = Request(method, world.app_origin + path, tuple(hs), body)
    return world.deliver(
        request, "attacker", {"initiator": None, "kind": "fetch", "cross_site": True}, why=why
    )


def token_rides_in_cookie(world: World) -> bool:
    return world.mode == "jwt" and world.config.text("token_storage") == "cookie"


def credential_headers(world: World, creds: Mapping[str, str]) -> list[tuple[str, str]]:
    """How a held credential is put on a request to the API, as the app itself sends it."""
    cookies: list[str] = []
    headers: list[tuple[str, str]] = []
    if "sid" in creds:
        cookies.append(f"{world.servers[0].auth.cookie_name('sid')}={creds['sid']}")
    token = creds.get(TOKEN_KEY)
    if token is not None:
        if token_rides_in_cookie(world):
            cookies.append(f"{world.servers[0].auth.cookie_name(TOKEN_KEY)}={token}")
        else:
            headers.append(("Authorization", f"Bearer {token}"))
    if cookies:
        headers.append(("Cookie", "; ".join(cookies)))
    return headers


def _cookie_values(response: Response) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in response.set_cookies():
        name, _, rest = line.partition("=")
        value = rest.split(";", 1)[0].strip()
        if value and "Max-Age=0" not in line:
            # By what it is (sid, access_token, refresh), whatever prefix the app gives it.
            out[base_name(name.strip())] = value
    return out


def credentials_of(response: Response) -> dict[str, str]:
    """The credentials a response hands out: cookie values and a token in the body."""
    found = _cookie_values(response)
    if isinstance(response.body, dict) and isinstance(response.body.get(TOKEN_KEY), str):
        found[TOKEN_KEY] = response.body[TOKEN_KEY]
    return found


def own_login(world: World) -> dict[str, str]:
    """The attacker logs in to their own ordinary account, from their own machine."""
    user, password = ATTACKER_ACCOUNT
    response = send_from_machine(
        world,
        "POST",
        "/auth/login",
        (),
        {"username": user, "password": password},
        why=f"The attacker logs in to an ordinary account they own ({user}) from their own "
        "machine, to get a genuine credential to work on.",
    )
    return credentials_of(response) if response.status == 200 else {}
