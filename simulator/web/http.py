"""HTTP requests and responses as values, rendered as raw HTTP/1.1 text and as curl."""

from __future__ import annotations

import functools
import json
import shlex
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any, NamedTuple
from urllib.parse import urlencode, urlsplit

Headers = tuple[tuple[str, str], ...]


FORM = "application/x-www-form-urlencoded"


def _body_text(body: Any, content_type: str | None = None) -> str:
    """The body as sent: a text as it is, a form's fields URL-encoded, else JSON."""
    if body is None:
        return ""
    if isinstance(body, str):
        return body
    form = content_type is not None and content_type.split(";")[0].strip().lower() == FORM
    if form and isinstance(body, dict):
        return urlencode({str(k): str(v) for k, v in body.items()})
    return json.dumps(body, separators=(",", ":"), sort_keys=False)


def get_header(
    headers: Sequence[tuple[str, str]] | Sequence[Sequence[str]], name: str
) -> str | None:
    """The first header of that name (case-insensitive), or None."""
    lname = name.lower()
    for h in headers:
        if h[0].lower() == lname:
            return h[1]
    return None


def get_all(headers: Sequence[tuple[str, str]], name: str) -> list[str]:
    lname = name.lower()
    return [v for n, v in headers if n.lower() == lname]


@functools.lru_cache(maxsize=1024)
def _split(url: str) -> tuple[str, str]:
    """(host, path with query) of a URL; cached, as every hop asks again."""
    parts = urlsplit(url)
    return parts.netloc, (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def path_of(url: str) -> str:
    """The path (with query) of a URL, as a request line shows it."""
    return _split(url)[1]


@functools.lru_cache(maxsize=64)
def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


class Request(NamedTuple):
    """An HTTP request as a value. A NamedTuple, as the engine builds one per hop and a
    frozen dataclass costs three times as much to construct."""

    method: str
    url: str
    headers: Headers = ()
    body: Any = None
    """A JSON-ready value, or None for no body."""

    @property
    def path(self) -> str:
        return _split(self.url)[1]

    @property
    def host(self) -> str:
        return _split(self.url)[0]

    def header(self, name: str) -> str | None:
        return get_header(self.headers, name)

    def body_text(self) -> str:
        return _body_text(self.body, self.header("Content-Type"))

    def body_bytes(self) -> bytes:
        return self.body_text().encode("utf-8")

    def wire_headers(self) -> Headers:
        """Headers as sent: Host first, Content-Length when there is a body."""
        hs: list[tuple[str, str]] = []
        if self.header("Host") is None:
            hs.append(("Host", self.host))
        hs.extend(self.headers)
        if self.body is not None and self.header("Content-Length") is None:
            hs.append(("Content-Length", str(len(self.body_bytes()))))
        return tuple(hs)

    def raw(self) -> str:
        lines = [f"{self.method} {self.path} HTTP/1.1"]
        lines += [f"{n}: {v}" for n, v in self.wire_headers()]
        return "\r\n".join(lines) + "\r\n\r\n" + self.body_text()

    def curl(self) -> str:
        """A curl command that sends the same method, URL, headers and body."""
        parts = ["curl", "-X", self.method, shlex.quote(self.url)]
        for n, v in self.headers:
            if n.lower() in ("host", "content-length"):
                continue
            parts += ["-H", shlex.quote(f"{n}: {v}")]
        if self.body is not None:
            parts += ["--data-raw", shlex.quote(self.body_text())]
        return " ".join(parts)


class Response(NamedTuple):
    """An HTTP response as a value (a NamedTuple, for the same reason as Request)."""

    status: int
    headers: Headers = ()
    body: Any = None
    reason: str = ""

    @property
    def phrase(self) -> str:
        return _phrase(self.status)

    def header(self, name: str) -> str | None:
        return get_header(self.headers, name)

    def set_cookies(self) -> list[str]:
        # get_all inlined: asked of every response, twice.
        return [v for n, v in self.headers if n.lower() == "set-cookie"]

    def body_text(self) -> str:
        return _body_text(self.body, self.header("Content-Type"))

    def wire_headers(self) -> Headers:
        """Headers as sent: Content-Length added when there is a body, so a reader knows
        where the message ends without waiting for the connection to close."""
        if self.body is None or self.header("Content-Length") is not None:
            return self.headers
        length = len(self.body_text().encode("utf-8"))
        return (*self.headers, ("Content-Length", str(length)))

    def raw(self) -> str:
        lines = [f"HTTP/1.1 {self.status} {self.phrase}"]
        lines += [f"{n}: {v}" for n, v in self.wire_headers()]
        return "\r\n".join(lines) + "\r\n\r\n" + self.body_text()


def raw_request(detail: dict[str, Any]) -> str:
    """Raw HTTP/1.1 text of a request event's detail (for the app's copy actions)."""
    return _request_of(detail).raw()


def curl_command(detail: dict[str, Any]) -> str:
    return _request_of(detail).curl()


def _request_of(detail: dict[str, Any]) -> Request:
    headers = tuple((str(n), str(v)) for n, v in detail.get("headers", ()))
    return Request(str(detail["method"]), str(detail["url"]), headers, detail.get("body"))
