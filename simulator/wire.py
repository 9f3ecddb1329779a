"""What a request carries on the wire, as plain data for the trace."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from simulator.cookiejar import LeftOut
from simulator.cookies_out import parse_cookie_header, role_of_cookie
from simulator.http import Request


class Carried(NamedTuple):
    """One credential a request carries. The value is counted, never put in the trace's
    `carries` (the headers already show it)."""

    header: str
    """"Cookie", "Authorization" or "X-CSRF-Token"."""
    name: str
    role: str
    value: str


def request_carries(request: Request) -> list[Carried]:
    out: list[Carried] = []
    for name, value in request.headers:
        lname = name.lower()
        if lname == "cookie":
            for cname, cvalue in parse_cookie_header(value).items():
                out.append(Carried("Cookie", cname, role_of_cookie(cname), f"{cname}={cvalue}"))
        elif lname == "authorization":
            out.append(Carried("Authorization", value.split(" ")[0], "access", value))
        elif lname == "x-csrf-token":
            out.append(Carried("X-CSRF-Token", "csrf", "csrf", value))
    return out


def request_detail(
    request: Request,
    rid: int,
    client: str,
    context: Mapping[str, Any],
    carries: Sequence[Carried],
    left_out: Sequence[LeftOut],
) -> dict[str, Any]:
    return {
        "method": request.method,
        "url": request.url,
        "path": request.path,
        "headers": [list(h) for h in request.wire_headers()],
        "body": request.body,
        "request_id": rid,
        "origin_actor": client,
        "context": dict(context),
        "carries": [{"header": c.header, "name": c.name, "role": c.role} for c in carries],
        "left_out": [{"name": lo.name, "reason": lo.reason} for lo in left_out],
        "blocked": False,
    }
