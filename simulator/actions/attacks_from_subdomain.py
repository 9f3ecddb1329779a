"""Attacks from a sibling subdomain the attacker controls: https://evil.app.example.

evil.app.example and app.example share the registrable domain app.example ("example" is
a public suffix), so they are one *site*: SameSite lets the victim's cookies ride on
requests from there, and a page there may set cookies with Domain=app.example that the
browser then sends to app.example too (cookie tossing). Only the cookie jar's rules
(prefixes, Domain, Path, Secure), the server's checks and CORS decide what happens.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from authflow.simulator.actions.attacker_network import (
    credential_headers,
    csrf_page,
    own_login,
    script_reads,
    send_from_machine,
)
from authflow.simulator.actions.spec import ActionSpec, fixed
from authflow.simulator.attacker.actor import ATTACKER_ACCOUNT, outcome, reasons
from authflow.simulator.browser.page_script import PageScript
from authflow.simulator.trace.details import Carry
from authflow.simulator.web.cookies_out import base_name, role_of_cookie
from authflow.simulator.web.http import Request, Response
from authflow.simulator.web.sites import domain_match
from authflow.simulator.web.wire import request_record
from authflow.simulator.world.engine import APP_HOST, World, response_record

SUBDOMAIN_HOST = "evil.app.example"
"""A host under the app's registrable domain (app.example) that the attacker controls: a
user-content host, a forgotten DNS entry taken over, a compromised marketing site."""


def subdomain_origin(world: World) -> str:
    """The attacker's subdomain, on the app's own scheme (same-site is schemeful)."""
    return f"{world.config.text('scheme')}://{SUBDOMAIN_HOST}"


def _visit(
    world: World, page_html: str | None, set_cookies: tuple[str, ...], why: str
) -> tuple[Carry, ...]:
    """The victim's browser opens evil.app.example (a top-level navigation); its answer
    may carry Set-Cookie lines, which the browser's jar judges like any other."""
    browser = world.browser
    url = subdomain_origin(world) + "/"
    rid = browser.new_request_id()
    world.recorder.tally.requests += 1
    context = {"initiator": None, "kind": "navigate", "cross_site": False}
    detail = request_record(Request("GET", url), rid, "browser", context, (), ())
    world.recorder.emit("request", "browser", "attacker", f"GET {url}", why, detail)
    headers: list[tuple[str, str]] = [("Content-Type", "text/html; charset=utf-8")]
    headers += [("Set-Cookie", line) for line in set_cookies]
    response = Response(200, tuple(headers), page_html)
    probe = browser.jar.copy()
    carries = []
    for line in set_cookies:
        result = browser.judge_set_cookie(probe, url, line, None, "navigate")
        name = result.name or line.split("=", 1)[0].strip()
        rejected = not result.stored and not result.deleted
        carries.append(
            Carry("Set-Cookie", name, role_of_cookie(name), rejected, result.reason, False)
        )
    answer = f"{SUBDOMAIN_HOST} answers with a page" + (
        " that sets a cookie." if set_cookies else "."
    )
    world.recorder.emit(
        "response",
        "attacker",
        "browser",
        f"200 {response.phrase}",
        answer,
        response_record(response, rid, tuple(carries)),
    )
    if set_cookies:
        browser.receive(url, response, None, "navigate", list(set_cookies))
    return tuple(carries)


def _toss_line(args: Mapping[str, Any], value: str) -> str:
    parts = [f"{args['name']}={value}"]
    if args["domain"]:
        parts.append(f"Domain={args['domain']}")
    parts.append(f"Path={args['path']}")
    if args["secure"]:
        parts.append("Secure")
    return "; ".join(parts)


def toss_cookie(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    name = str(args["name"])
    value = str(args["value"])
    source = "the text " + repr(value)
    if args["own_session"]:
        # A genuine credential of the attacker's own account, so the server accepts it;
        # logged in once, then kept (as "own sid") for the next cookie they toss.
        own_key = f"own {base_name(name)}"
        found = world.attacker.loot.get(own_key)
        if found is None:
            found = own_login(world).get(base_name(name))
            if found is not None:
                world.attacker.take({own_key: found})
        if found is not None:
            value, source = found, f"the attacker's own genuine session (as {ATTACKER_ACCOUNT[0]})"
    line = _toss_line(args, value)
    domain, path = str(args["domain"]).lower().lstrip("."), str(args["path"])
    # A cookie with the same name, Domain and Path (and not host-only) is the one a
    # stored toss would overwrite (RFC 6265bis 5.7 step 22).
    before = {
        r.value
        for r in world.browser.jar.rows(world.clock.t)
        if (r.name, r.domain, r.path, r.host_only) == (name, domain, path, False)
    }
    (carry,) = _visit(
        world,
        "<!doctype html><title>Free themes</title>",
        (line,),
        f"The victim follows a link to {SUBDOMAIN_HOST}, a host the attacker controls under "
        "app.example; its answer sets a cookie.",
    )
    stored = (
        None
        if carry.rejected
        else next(
            (r for r in reversed(world.browser.jar.rows()) if (r.name, r.value) == (name, value)),
            None,
        )
    )
    # Whether app.example receives it: the jar's own domain rule, not the action's say-so.
    reaches = stored is not None and (
        stored.domain == APP_HOST if stored.host_only else domain_match(APP_HOST, stored.domain)
    )
    planted = {f"planted {base_name(name)}": value} if reaches else {}
    # The attacker keeps a copy of what they planted (a login that keeps the id makes it
    # the victim's); held apart from anything stolen.
    world.attacker.take(planted)
    reason = carry.reason if carry.rejected else ""
    overwrote = reaches and bool(before - {value})
    if reaches:
        assert stored is not None
        explain = (
            f"The browser keeps {name} for Domain={stored.domain}, Path={stored.path}: it goes "
            "to app.example with every matching request"
            + (
                f", and it replaced the {name} that had the same Domain and Path."
                if overwrote
                else f", beside any other {name} in the jar."
            )
        )
    elif stored is not None:
        explain = f"{name} is host-only for {SUBDOMAIN_HOST}: app.example never receives it."
    else:
        explain = f"The browser refused the cookie: {reason}."
    world.attacker.attack_event(
        "toss_cookie",
        "browser",
        f"Cookie tossing: {name} " + ("planted" if reaches else "not planted"),
        explain,
        attempted=f"from {SUBDOMAIN_HOST}, Set-Cookie: {line} (value: {source})",
        stolen={},
        success=reaches,
        set_cookie=line,
        stored=stored is not None,
        reaches_app=reaches,
        planted=value if reaches else None,
        overwrote=overwrote,
        reason=reason,
    )


def replay_planted(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    planted = world.attacker.loot.get("planted sid")
    creds = {"sid": planted} if planted else {}
    start = len(world.recorder.events)
    response = send_from_machine(
        world,
        "GET",
        "/api/profile",
        credential_headers(world, creds),
        None,
        why="From their own machine the attacker sends the session id they planted in the "
        "victim's browser, to see whose session it is now.",
    )
    verdicts = world.attacker.verdicts_since(start)
    user = next((v.user for v in reversed(verdicts) if v.ok and v.user), None)
    own = ATTACKER_ACCOUNT[0]
    # Fixation pays off only if the id now names someone else's login.
    ok = response.status == 200 and user is not None and user != own
    if ok:
        explain = f"The server took the planted id as {user}'s session ({outcome(response)})."
    elif response.status == 200:
        explain = (
            f"The id still names only the attacker's own login ({user}): nothing of the "
            "victim's was gained."
        )
    else:
        why = f": {verdicts[-1].reason}" if verdicts else ""
        explain = f"The server refused the planted id ({outcome(response)}{why})."
    world.attacker.attack_event(
        "replay_planted",
        world.attacker.server_since(start, world.servers[0].name),
        f"Planted session id → {outcome(response)}" + (f" as {user}" if user else ""),
        explain,
        attempted="GET /api/profile from the attacker's machine with the session id the "
        "attacker planted" + ("" if planted else " (none was planted)"),
        stolen={},
        success=ok,
        status=response.status,
        user=user,
        reasons=reasons(verdicts),
    )


def subdomain_csrf(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    body = {"amount": args["amount"], "to": args["to"]}
    origin = subdomain_origin(world)
    _visit(
        world,
        csrf_page(world.app_origin + "/api/transfer", body),
        (),
        f"The victim, logged in to app.example, opens a page on {SUBDOMAIN_HOST}.",
    )
    start = len(world.recorder.events)
    response = world.browser.send(
        "POST",
        world.app_origin + "/api/transfer",
        initiator=origin,
        kind="form",
        headers=[("Content-Type", "application/x-www-form-urlencoded")],
        body=body,
        why=f"{SUBDOMAIN_HOST}'s form posts to app.example/api/transfer. The two hosts are "
        "the same site (app.example), so SameSite treats this POST as a same-site request.",
    )
    verdicts = world.attacker.verdicts_since(start)
    ok = response is not None and response.status == 200
    world.attacker.attack_event(
        "subdomain_csrf",
        "browser",
        f"Same-site forged transfer → {outcome(response)}",
        f"The forged transfer from {SUBDOMAIN_HOST} "
        + (f"went through ({outcome(response)})." if ok else f"was refused ({outcome(response)})."),
        attempted=f"same-site form POST {world.app_origin}/api/transfer {body} from {origin}",
        stolen={},
        success=ok,
        status=None if response is None else response.status,
        reasons=reasons(verdicts),
    )


def subdomain_fetch(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    origin = subdomain_origin(world)
    path = str(args["path"])
    path = path if path.startswith("/") else "/" + path
    start = len(world.recorder.events)
    response = world.browser.send(
        "GET",
        world.app_origin + path,
        initiator=origin,
        kind="fetch",
        why=f"Script on {SUBDOMAIN_HOST} calls fetch(app.example{path}, "
        "{credentials: 'include'}): same-site, so SameSite lets the cookies ride; a "
        "different origin, so CORS decides whether the script may read the answer.",
    )
    verdicts = world.attacker.verdicts_since(start)
    readable, why = False, "the browser never sent it"
    read: Any = None
    if response is not None:
        readable, why, read = script_reads(world, response, origin, SUBDOMAIN_HOST)
    status = None if response is None else response.status
    ok = status == 200 and readable
    world.attacker.attack_event(
        "subdomain_fetch",
        "browser",
        f"Same-site fetch of {path}: {outcome(response)}"
        + (", read" if ok else ", not read" if status == 200 else ""),
        f"The server answered {outcome(response)}"
        + (
            f" and CORS let {SUBDOMAIN_HOST}'s script read it."
            if ok
            else f"; the script could not use it ({why})."
        ),
        attempted=f"GET {world.app_origin}{path} from {origin} with credentials",
        stolen={},
        success=ok,
        status=status,
        readable=readable,
        read=read,
        reasons=reasons(verdicts),
    )


SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "toss_cookie",
        {
            "name": (str, "sid"),
            "value": (str, "attacker"),
            "own_session": (bool, True),
            "domain": (str, "app.example"),
            "path": (str, "/"),
            "secure": (bool, True),
        },
        "The victim opens evil.app.example, whose answer sets a cookie (Domain, Path, "
        "Secure as given; with own_session the value is the attacker's own genuine one).",
        toss_cookie,
        lambda a: f"User visits evil.app.example (it sets a {a['name']} cookie)",
        lane="attacker",
    ),
    ActionSpec(
        "replay_planted",
        {},
        "The attacker sends the session id they planted, from their own machine.",
        replay_planted,
        fixed("Attacker uses the session id they planted"),
        lane="attacker",
    ),
    ActionSpec(
        "subdomain_csrf",
        {"amount": (int, 1000), "to": (str, "mallory")},
        "The victim visits evil.app.example, whose form auto-submits POST /api/transfer "
        "(same-site).",
        subdomain_csrf,
        fixed("User visits evil.app.example (same-site form)"),
        lane="attacker",
    ),
    ActionSpec(
        "subdomain_fetch",
        {"path": (str, "/api/profile")},
        "Script on evil.app.example fetches the app's API with credentials (same-site).",
        subdomain_fetch,
        lambda a: f"evil.app.example's script calls {a['path']}",
        lane="attacker",
    ),
)
