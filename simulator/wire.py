"""What a request carries on the wire, as plain data for the trace."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from simulator.cookiejar import LeftOut
from simulator.cookies_out import parse_cookie_header, role_of_cookie
from simulator.http import Request


def request_carries(request: Request) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for name, value in request.headers:
        lname = name.lower()
        if lname == "cookie":
            for cname, cvalue in parse_cookie_header(value).items():
                out.append(
                    {
                        "header": "Cookie",
                        "name": cname,
                        "role": role_of_cookie(cname),
                        "value": f"{cname}={cvalue}",
                    }
                )
        elif lname == "authorization":
            out.append(
                {
                    "header": "Authorization",
                    "name": value.split(" ")[0],
                    "role": "access",
                    "value": value,
                }
            )
        elif lname == "x-csrf-token":
            out.append({"header": "X-CSRF-Token", "name": "csrf", "role": "csrf", "value": value})
    return out


def request_detail(
    request: Request,
    rid: int,
    client: str,
    context: Mapping[str, Any],
    carries: list[dict[str, Any]],
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
        "carries": [{k: v for k, v in c.items() if k != "value"} for c in carries],
        "left_out": [{"name": lo.name, "reason": lo.reason} for lo in left_out],
        "blocked": False,
    }
