"""A run as HAR 1.2, the HTTP Archive that browser DevTools, mitmproxy and HAR viewers read.

One entry per request a client (the browser or the attacker's machine) sent, with its
answer: headers, cookies, bodies and timings, all on the simulated clock (t = 0 is the
trace's `start_epoch`). A request the browser refused to send (CORS, mixed content) has
no answer: it gets status 0 and an `_error`, as Chrome's own HAR export does. A hop the
load balancer forwards is the same request and is not counted again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from authflow.simulator.trace.details import as_request, as_response
from authflow.simulator.trace.exchanges import answers
from authflow.simulator.trace.trace import Event, Trace
from authflow.simulator.web.cookies_out import parse_cookie_header
from authflow.simulator.web.http import Request, Response, get_header
from authflow.simulator.web.setcookie import SetCookieRejected, parse_set_cookie

HAR_VERSION = "1.2"
CLIENTS = frozenset({"browser", "attacker", "phone"})
"""Actors whose requests are entries: the ones that start a request."""


def client_requests(trace: Trace) -> Iterator[Event]:
    """Every request a client sent, in order; a forwarded hop is not a second request."""
    for _i, event in _client_requests(trace):
        yield event


def _client_requests(trace: Trace) -> Iterator[tuple[int, Event]]:
    for i, event in enumerate(trace.events):
        # A forwarded hop is the same request again.
        if event.kind == "request" and event.src in CLIENTS and not _forwarded(event):
            yield i, event


def _forwarded(event: Event) -> bool:
    return as_request(event).forwarded_to is not None


def _when(trace: Trace, t: float) -> str:
    moment = datetime.fromtimestamp(trace.start_epoch + t, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _headers(pairs: Sequence[Sequence[str]]) -> list[dict[str, str]]:
    return [{"name": str(n), "value": str(v)} for n, v in pairs]


def _head_size(first_line: str, pairs: Sequence[Sequence[str]]) -> int:
    """Bytes of the start line and headers, up to and including the blank line."""
    lines = [first_line, *(f"{n}: {v}" for n, v in pairs)]
    return len(("\r\n".join(lines) + "\r\n\r\n").encode("utf-8"))


def _mime(pairs: Sequence[Sequence[str]], default: str) -> str:
    value = get_header([(str(n), str(v)) for n, v in pairs], "Content-Type")
    return value or default


def _request(event: Event) -> dict[str, Any]:
    d = as_request(event)
    pairs = d.headers
    request = Request(d.method, d.url, pairs, d.body)
    body = request.body_text().encode("utf-8") if request.body is not None else b""
    cookies = parse_cookie_header(request.header("Cookie"))
    out: dict[str, Any] = {
        "method": request.method,
        "url": request.url,
        "httpVersion": "HTTP/1.1",
        "cookies": [{"name": k, "value": v} for k, v in cookies.items()],
        "headers": _headers(pairs),
        "queryString": [{"name": k, "value": v} for k, v in parse_qsl(urlsplit(request.url).query)],
        "headersSize": _head_size(f"{request.method} {request.path} HTTP/1.1", pairs),
        "bodySize": len(body),
    }
    if request.body is not None:
        out["postData"] = {
            "mimeType": _mime(pairs, "application/json"),
            "text": body.decode("utf-8"),
        }
    return out


def _cookie(line: str, received: float) -> dict[str, Any] | None:
    try:
        parsed = parse_set_cookie(line)
    except SetCookieRejected:
        return None
    cookie: dict[str, Any] = {"name": parsed.name, "value": parsed.value}
    if parsed.path is not None:
        cookie["path"] = parsed.path
    if parsed.domain:
        cookie["domain"] = parsed.domain
    # Max-Age wins over Expires (RFC 6265bis 5.6.2) and counts from when it arrived.
    expires = received + parsed.max_age if parsed.max_age is not None else parsed.expires
    if expires is not None:
        moment = datetime.fromtimestamp(max(0.0, expires), UTC)
        cookie["expires"] = moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    cookie["httpOnly"] = parsed.http_only
    cookie["secure"] = parsed.secure
    if parsed.same_site is not None:
        cookie["sameSite"] = parsed.same_site
    return cookie


def _response(trace: Trace, event: Event) -> dict[str, Any]:
    d = as_response(event)
    pairs = d.headers
    response = Response(d.status, pairs, d.body, d.reason)
    text = response.body_text() if response.body is not None else ""
    size = len(text.encode("utf-8"))
    received = trace.start_epoch + event.t
    cookies = [_cookie(line, received) for line in response.set_cookies()]
    content: dict[str, Any] = {"size": size, "mimeType": _mime(pairs, "x-unknown")}
    if response.body is not None:
        content["text"] = text
    status_text = d.reason or response.phrase
    return {
        "status": response.status,
        "statusText": status_text,
        "httpVersion": "HTTP/1.1",
        "cookies": [c for c in cookies if c is not None],
        "headers": _headers(pairs),
        "content": content,
        "redirectURL": response.header("Location") or "",
        "headersSize": _head_size(f"HTTP/1.1 {response.status} {status_text}", pairs),
        "bodySize": size,
    }


def _no_response(reason: str) -> dict[str, Any]:
    return {
        "status": 0,
        "statusText": "",
        "httpVersion": "",
        "cookies": [],
        "headers": [],
        "content": {"size": 0, "mimeType": "x-unknown"},
        "redirectURL": "",
        "headersSize": -1,
        "bodySize": -1,
        "_error": reason,
    }


def _entry(trace: Trace, request: Event, answer: Event | None) -> dict[str, Any]:
    wait = max(0.0, (answer.t - request.t) * 1000.0) if answer is not None else 0.0
    if answer is not None:
        response = _response(trace, answer)
    else:
        reason = as_request(request).block_reason or "the browser did not send it"
        response = _no_response(reason)
    return {
        "pageref": f"step_{request.step + 1}",
        "startedDateTime": _when(trace, request.t),
        "time": wait,
        "request": _request(request),
        "response": response,
        "cache": {},
        "timings": {
            "blocked": -1,
            "dns": -1,
            "connect": -1,
            "ssl": -1,
            "send": 0,
            "wait": wait,
            "receive": 0,
        },
        "comment": request.explain,
        "_authflow": {"event": request.seq + 1, "client": request.src},
    }


def _pages(trace: Trace, used: set[int]) -> list[dict[str, Any]]:
    pages = []
    for step in sorted(used):
        first = next(e for e in trace.events if e.step == step)
        title = trace.steps[step].action if step < len(trace.steps) else f"step {step + 1}"
        if first.kind == "note" and first.label:
            title = first.label
        pages.append(
            {
                "startedDateTime": _when(trace, first.t),
                "id": f"step_{step + 1}",
                "title": f"{step + 1}. {title}",
                "pageTimings": {"onContentLoad": -1, "onLoad": -1},
            }
        )
    return pages


def to_har(trace: Trace, creator_version: str = "") -> dict[str, Any]:
    """The HAR 1.2 document of `trace` (a JSON-ready dict)."""
    answered = answers(trace.events)
    entries = [_entry(trace, e, answered.get(i)) for i, e in _client_requests(trace)]
    steps = {int(e["pageref"].removeprefix("step_")) - 1 for e in entries}
    return {
        "log": {
            "version": HAR_VERSION,
            "creator": {"name": "Authflow", "version": creator_version or "0"},
            "pages": _pages(trace, steps),
            "entries": entries,
            "comment": f"{trace.title or trace.scenario} in {trace.mode} mode, "
            f"simulated (seed {trace.seed})",
        }
    }


def to_har_text(trace: Trace, creator_version: str = "") -> str:
    return json.dumps(to_har(trace, creator_version), ensure_ascii=False, indent=1) + "\n"
