"""What a request carries on the wire, as plain data for the trace."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from authflow.simulator.trace.details import Carry, LeftOutRef, RequestContext, RequestDetail
from authflow.simulator.web.cookiejar import LeftOut
from authflow.simulator.web.cookies_out import role_of_cookie
from authflow.simulator.web.http import Headers, Request


class Carried(NamedTuple):
    """One credential a request carries. The value is counted, never put in the trace's
    `carries` (the headers already show it)."""

    header: str
    """"Cookie", "Authorization" or "X-CSRF-Token"."""
    name: str
    role: str
    value: str


class Wire(NamedTuple):
    """The credentials a request carries, and their sizes for the counters."""

    carries: tuple[Carried, ...]
    credential_bytes: int
    cookie_bytes: int
    authorization_bytes: int


def request_carries(request: Request) -> tuple[Carried, ...]:
    return on_the_wire(request.headers).carries


# A page sends the same headers on request after request: read them once.
@functools.lru_cache(maxsize=256)
def on_the_wire(headers: Headers) -> Wire:
    out: list[Carried] = []
    for name, value in headers:
        lname = name.lower()
        if lname == "cookie":
            # Every pair on the wire, a name sent twice included (a cookie tossed from a
            # subdomain beside the app's own): the server may read only the first, but
            # both travel.
            for part in value.split(";"):
                cname, sep, _ = part.strip().partition("=")
                if sep and cname:
                    out.append(Carried("Cookie", cname, role_of_cookie(cname), part.strip()))
        elif lname == "authorization":
            out.append(Carried("Authorization", value.split(" ")[0], "access", value))
        elif lname == "x-csrf-token":
            out.append(Carried("X-CSRF-Token", "csrf", "csrf", value))
    sizes = {"Cookie": 0, "Authorization": 0, "X-CSRF-Token": 0}
    for c in out:
        sizes[c.header] += len(c.value)
    return Wire(tuple(out), sum(sizes.values()), sizes["Cookie"], sizes["Authorization"])


def request_record(
    request: Request,
    rid: int,
    client: str,
    context: Mapping[str, Any],
    carries: Sequence[Carried],
    left_out: Sequence[LeftOut],
    block_reason: str | None = None,
) -> RequestDetail:
    """The trace's record of a request: `block_reason` when the browser never sent it."""
    return RequestDetail(
        request.method,
        request.url,
        request.path,
        request.wire_headers(),
        request.body,
        rid,
        client,
        RequestContext.of(context),
        tuple(Carry(c.header, c.name, c.role) for c in carries),
        tuple(LeftOutRef(lo.name, lo.reason) for lo in left_out),
        block_reason is not None,
        block_reason,
    )
