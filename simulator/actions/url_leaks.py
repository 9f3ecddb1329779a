"""A credential in a URL, and where the URL goes: the address bar and history, the
server's access log, and the Referer of every request the page makes to a third party
(as the page's Referrer-Policy allows)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from authflow.simulator.actions.spec import ActionSpec, fixed
from authflow.simulator.attacker.actor import ATTACKER_ORIGIN
from authflow.simulator.browser.page_script import TOKEN_KEY, PageScript
from authflow.simulator.trace.details import NoteDetail
from authflow.simulator.web.http import Request, Response
from authflow.simulator.web.referrer import effective_policy, referrer_for
from authflow.simulator.web.wire import request_record
from authflow.simulator.world.engine import World, response_record

PIXEL = f"{ATTACKER_ORIGIN}/pixel.gif"
"""The third-party resource the app's page embeds (an analytics pixel evil.example serves)."""
CREDENTIAL_PARAMS = ("sid", TOKEN_KEY)


def _credential_for_links(world: World, page: PageScript) -> tuple[str, str] | None:
    """What the app writes into its links: the session id (server-side URL rewriting,
    as ;jsessionid= did), or the access token the page holds (RFC 6750 section 2.3)."""
    if world.mode == "session":
        for row in world.browser.jar.rows():
            if row.name == "sid" and row.value:
                return "sid", row.value
        return None
    token = page.token()
    return None if token is None else (TOKEN_KEY, token)


def _pixel(world: World, referer: str | None, policy: str) -> dict[str, str]:
    """The page loads evil.example's pixel; evil.example logs the Referer. What of it
    is a credential."""
    b = world.browser
    headers = (("Referer", referer),) if referer else ()
    request = Request("GET", PIXEL, headers)
    world.recorder.tally.requests += 1
    rid = b.new_request_id()
    context = {"initiator": b.app_origin, "kind": "subresource", "cross_site": True}
    sent = (
        f"with Referer: {referer}" if referer else "with no Referer at all"
    ) + f" (Referrer-Policy {policy})"
    world.recorder.emit(
        "request",
        "browser",
        "attacker",
        f"GET {PIXEL}",
        f"The page embeds a third-party image, evil.example's analytics pixel; the browser "
        f"requests it {sent}.",
        request_record(request, rid, "browser", context, (), ()),
    )
    answer = Response(200, (("Content-Type", "image/gif"),), None)
    world.recorder.emit(
        "response",
        "attacker",
        "browser",
        "200 OK",
        "evil.example answers with a 1x1 image and writes the request, Referer included, "
        "to its log.",
        response_record(answer, rid, ()),
    )
    query = urlsplit(referer).query if referer else ""
    return {k: v for k, v in parse_qsl(query) if k in CREDENTIAL_PARAMS}


def _open_link(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    b = world.browser
    credential = None
    if world.config.flag("credential_in_url"):
        credential = _credential_for_links(world, page)
    path = "/" if credential is None else "/?" + urlencode([credential])
    b.forget_memory("Following a link is a top-level navigation: the old page's memory is gone.")
    response = page.load_page(
        "The user follows one of the app's own links: a top-level navigation to "
        + ("/, with nothing in its query." if credential is None else f"/?{credential[0]}=…."),
        path,
    )
    url = b.app_origin + path
    if b.page.url != url:
        b.page.url = url
        b.changed()
    in_url = "the credential in its query" if credential else "no credential in it"
    world.recorder.emit(
        "note",
        "browser",
        "browser",
        "history: " + (url if len(url) < 60 else url[:60] + "…"),
        f"The address bar and the browser's history (synced to the user's other devices) "
        f"keep the full URL, {in_url}.",
        NoteDetail("history", extra={"url": url}),
    )
    logger = world.first_hop()
    world.recorder.emit(
        "note",
        logger,
        logger,
        "access log: GET " + (path if len(path) < 50 else path[:50] + "…"),
        f"The {'load balancer' if logger == 'lb' else 'server'} writes the request line to "
        f"its access log, {in_url}: whoever reads the logs reads what the URL holds.",
        NoteDetail("access log", extra={"line": f"GET {path}"}),
    )
    policy = effective_policy(None if response is None else response.header("Referrer-Policy"))
    referer = referrer_for(url, PIXEL, policy)
    leaked = _pixel(world, referer, policy)
    world.attacker.take(leaked)
    world.attacker.attack_event(
        "referer_leak",
        "browser",
        "Referer leaked " + (", ".join(leaked) if leaked else "no credential"),
        (
            f"evil.example's log now holds {', '.join(leaked)}, read from the Referer: the "
            "credential was in the page's URL and the Referrer-Policy let the URL go."
            if leaked
            else "evil.example's log holds no credential: "
            + (
                "the Referrer-Policy kept the page's query out of the Referer."
                if credential
                else "the page's URL had none in it."
            )
        ),
        attempted=f"read credentials from the Referer of requests to {PIXEL}",
        stolen=leaked,
        success=bool(leaked),
        referer=referer,
        policy=policy,
        page_url=url,
    )


SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "open_link",
        {},
        "The user follows one of the app's links (with the credential in it when "
        "credential_in_url is on); the page embeds evil.example's analytics pixel, which "
        "gets the Referer its Referrer-Policy allows.",
        _open_link,
        fixed("User follows a link in the app"),
    ),
)
"""Actions about credentials in URLs."""
