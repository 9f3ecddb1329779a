"""Responses as they go on the wire: every body has a Content-Length an HTTP parser agrees with."""

from __future__ import annotations

from typing import Any

import h11
import pytest
from factories import run_once

from authflow import simulator
from authflow.simulator.web.http import Response, get_header, raw_request

RUNS = [(lesson, mode) for lesson in simulator.scenario_names() for mode in simulator.MODES]


def parse_response(raw: bytes, method: bytes = b"GET") -> tuple[h11.Response, bytes]:
    """What h11 reads from `raw` as the answer to a `method` request."""
    conn = h11.Connection(h11.CLIENT)
    conn.send(h11.Request(method=method, target="/", headers=[("Host", "app.example")]))
    conn.send(h11.EndOfMessage())
    conn.receive_data(raw)
    head = conn.next_event()
    assert isinstance(head, h11.Response)
    body = b""
    while True:
        part = conn.next_event()
        if isinstance(part, h11.Data):
            body += part.data
            continue
        # NEED_DATA here would mean the reader waits for the connection to close.
        assert isinstance(part, h11.EndOfMessage), part
        return head, body


def response_of(detail: Any) -> Response:
    headers = tuple((str(n), str(v)) for n, v in detail["headers"])
    return Response(int(detail["status"]), headers, detail["body"])


@pytest.mark.parametrize(("lesson", "mode"), RUNS)
def test_every_response_body_has_its_length(lesson: str, mode: str) -> None:
    for event in run_once(lesson, mode).events:
        if event.kind != "response":
            continue
        response = response_of(event.detail)
        length = get_header(event.detail["headers"], "Content-Length")
        if event.detail["body"] is None:
            assert length is None
            continue
        body = response.body_text().encode("utf-8")
        assert length == str(len(body)), event.label
        head, parsed = parse_response(response.raw().encode("utf-8"))
        assert (head.status_code, parsed) == (event.detail["status"], body)


def test_evil_example_serves_its_csrf_page_with_a_length() -> None:
    trace = run_once("csrf", "session")
    page = next(e for e in trace.events if e.kind == "response" and e.src == "attacker")
    headers = dict(page.detail["headers"])
    assert headers["Content-Type"].startswith("text/html")
    assert 'action="https://app.example/api/transfer"' in page.detail["body"]
    assert headers["Content-Length"] == str(len(page.detail["body"].encode("utf-8")))


def test_a_form_post_sends_url_encoded_fields() -> None:
    trace = run_once("csrf", "session")
    post = next(e for e in trace.events if e.kind == "request" and e.label == "POST /api/transfer")
    raw = raw_request(dict(post.detail))
    assert raw.endswith("\r\n\r\namount=1000&to=mallory")
