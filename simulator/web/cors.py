"""The server's CORS policy and the browser's CORS checks (Fetch standard, simplified).

A cross-origin `fetch` that is not "simple" (a custom header such as Authorization, or a
JSON content type) is preceded by an OPTIONS preflight; unless the server's answer allows
the origin, method and headers, the browser never sends the real request. A simple
request is sent either way; CORS only decides whether the script may read the answer.
"""

from __future__ import annotations

from collections.abc import Sequence

from authflow.simulator.web.http import Request, get_header

SIMPLE_HEADERS = frozenset({"accept", "accept-language", "content-language", "content-type"})
SIMPLE_CONTENT_TYPES = frozenset(
    {"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"}
)


def needs_preflight(method: str, headers: Sequence[tuple[str, str]]) -> list[str]:
    """Why a cross-origin fetch needs a preflight ([] when it is a simple request)."""
    why: list[str] = []
    if method not in ("GET", "HEAD", "POST"):
        why.append(f"method {method}")
    for name, value in headers:
        lname = name.lower()
        if lname in ("host", "cookie", "origin", "content-length"):
            continue  # set by the browser itself, not by the script
        if lname not in SIMPLE_HEADERS:
            why.append(f"header {name}")
        elif lname == "content-type" and value.split(";")[0].strip() not in SIMPLE_CONTENT_TYPES:
            why.append(f"Content-Type {value}")
    return why


class CorsPolicy:
    def __init__(self, policy: str, app_origin: str) -> None:
        self.policy = policy
        self.app_origin = app_origin

    def allows(self, origin: str) -> bool:
        if origin == self.app_origin:
            return True
        if self.policy == "null-allowed":
            # An allowlist with "null" in it (meant for local files): every sandboxed
            # iframe and data: URL on any site sends Origin: null too.
            return origin == "null"
        return self.policy in ("any-with-credentials", "wildcard-with-credentials")

    def response_headers(self, request: Request) -> list[tuple[str, str]]:
        origin = request.header("Origin")
        if not origin or origin == self.app_origin or not self.allows(origin):
            return []
        allowed = "*" if self.policy == "wildcard-with-credentials" else origin
        headers = [
            ("Access-Control-Allow-Origin", allowed),
            ("Access-Control-Allow-Credentials", "true"),
            ("Vary", "Origin"),
        ]
        if request.method == "OPTIONS":
            asked = request.header("Access-Control-Request-Headers") or ""
            headers += [
                ("Access-Control-Allow-Methods", "GET, POST"),
                ("Access-Control-Allow-Headers", asked or "Content-Type"),
            ]
        return headers


def preflight_allows(
    response_headers: Sequence[tuple[str, str]], origin: str, with_credentials: bool
) -> tuple[bool, str]:
    allow = get_header(response_headers, "Access-Control-Allow-Origin")
    if allow is None:
        return False, "the response has no Access-Control-Allow-Origin header"
    if allow == "*" and with_credentials:
        # Fetch standard, CORS check: with credentials the origin must be named exactly.
        return False, (
            "Access-Control-Allow-Origin is the wildcard *, which a request with credentials "
            "may not use"
        )
    if allow != origin and allow != "*":
        return False, f"Access-Control-Allow-Origin is {allow}, not {origin}"
    if (
        with_credentials
        and get_header(response_headers, "Access-Control-Allow-Credentials") != "true"
    ):
        return False, "credentials were not allowed (no Access-Control-Allow-Credentials: true)"
    return True, f"the server allows {origin}"
