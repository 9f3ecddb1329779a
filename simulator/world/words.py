"""What an exchange's arrows say: each request's and response's label and sentence.

The same request with the same credentials recurs all through a run (and the live
join words its observations the same way), so each distinct one is worded once.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from authflow.simulator.trace.details import Carry
from authflow.simulator.web.cookiejar import LeftOut
from authflow.simulator.web.http import Request, Response, path_of
from authflow.simulator.web.wire import Carried


@functools.lru_cache(maxsize=64)
def _status_label(status: int) -> str:
    return f"{status} {Response(status).phrase}".strip()


def request_words(
    request: Request, carries: Sequence[Carried], left_out: Sequence[LeftOut]
) -> tuple[str, str]:
    """The request's arrow label and its sentence."""
    return _request_words(
        request.method,
        request.url,
        carries if type(carries) is tuple else tuple(carries),
        left_out[0] if left_out else None,
    )


# A page sends the same request with the same credentials again and again.
@functools.lru_cache(maxsize=1024)
def _request_words(
    method: str, url: str, carries: tuple[Carried, ...], first_left_out: LeftOut | None
) -> tuple[str, str]:
    path = path_of(url)
    cookies = [c.name for c in carries if c.header == "Cookie"]
    bearer = any(c.header == "Authorization" for c in carries)
    parts = []
    if cookies:
        parts.append(
            f"the browser attaches the {', '.join(cookies)} cookie"
            f"{'s' if len(cookies) > 1 else ''} by itself because "
            f"{'they match' if len(cookies) > 1 else 'it matches'} this URL"
        )
    if bearer:
        parts.append("the page's script adds the token as Authorization: Bearer")
    if not parts:
        parts.append("no credential rides along")
    text = f"{method} {path}: " + "; ".join(parts)
    if first_left_out is not None:
        text += f"; {first_left_out.name} stays behind ({first_left_out.reason})"
    return f"{method} {path}", text[0].upper() + text[1:] + "."


def response_words(response: Response, set_cookies: Sequence[Carry]) -> tuple[str, str]:
    """The response's arrow label (its status) and its sentence."""
    body = response.body
    token, error = False, None
    if isinstance(body, dict):
        token = "access_token" in body
        if "error" in body:
            error = str(body["error"])
    cookies = tuple([(c.name, c.deletes) for c in set_cookies]) if set_cookies else ()
    return _response_words(response.status, token, error, cookies)


# Responses repeat as requests do: one label and sentence per distinct answer.
@functools.lru_cache(maxsize=1024)
def _response_words(
    status: int, token: bool, error: str | None, cookies: tuple[tuple[str, bool], ...]
) -> tuple[str, str]:
    label = _status_label(status)
    head = f"The server answers {label}"
    sets = [name for name, deletes in cookies if not deletes]
    clears = [name for name, deletes in cookies if deletes]
    extra = []
    if token:
        extra.append("with a signed token in the body")
    if sets:
        extra.append(f"with Set-Cookie {', '.join(sets)}")
    if clears:
        extra.append(f"telling the browser to delete {', '.join(clears)}")
    if error is not None:
        extra.append(f"({error})")
    return label, head + (" " + ", ".join(extra) if extra else "") + "."
