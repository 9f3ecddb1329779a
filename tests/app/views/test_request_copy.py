"""Copy as curl / raw HTTP: the request the inspectors show for the same event, as text
an HTTP parser and curl agree on, for every request of every lesson and mode."""

from __future__ import annotations

import shlex
from typing import Any

import factories
import h11
import pytest
from factories import run_once
from PySide6.QtGui import QGuiApplication

from authflow import simulator
from authflow.app.views import request_copy
from authflow.simulator.trace.exchanges import request_for

LESSONS = simulator.scenario_names()
MODES = ("session", "jwt", "hybrid")
RUNS = [(lesson, mode) for lesson in LESSONS for mode in MODES]


def test_the_answer_reaching_the_browser_copies_the_browsers_request() -> None:
    trace = factories.run("basics", "session", servers="2", store="shared")
    for i, event in enumerate(trace.events):
        if event.kind != "response":
            continue
        copied = request_copy.request_event(trace, i)
        assert copied is request_for(trace.events, i)
        assert copied is not None
        if event.dst == "browser":
            # Not the balancer's forwarded copy of it, which carries the same id.
            assert (copied.src, copied.dst) == ("browser", "lb")


def requests_of_every_lesson() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for lesson, mode in RUNS:
        for event in run_once(lesson, mode).events:
            if event.kind == "request":
                out.append((f"{lesson}-{mode}-{event.seq}", dict(event.detail)))
    return out


REQUESTS = requests_of_every_lesson()


@pytest.mark.parametrize("detail", [d for _, d in REQUESTS], ids=[i for i, _ in REQUESTS])
def test_raw_http_parses_and_curl_says_the_same(detail: dict[str, Any]) -> None:
    raw = request_copy.request_text_of(detail, "raw").encode("utf-8")
    conn = h11.Connection(h11.SERVER)
    conn.receive_data(raw)
    request = conn.next_event()
    assert isinstance(request, h11.Request)
    body = b""
    while True:
        part = conn.next_event()
        if isinstance(part, h11.Data):
            body += part.data
        else:
            assert isinstance(part, h11.EndOfMessage)
            break
    headers = [(n.decode(), v.decode()) for n, v in request.headers.raw_items()]
    assert request.method.decode() == detail["method"]

    argv = shlex.split(request_copy.request_text_of(detail, "curl"))
    assert argv[0] == "curl"
    method = (
        argv[argv.index("-X") + 1] if "-X" in argv else ("POST" if "--data-raw" in argv else "GET")
    )
    assert method == detail["method"]
    url = next(a for a in argv[1:] if a.startswith(("http://", "https://")))
    assert url == detail["url"]
    host = next(v for n, v in headers if n.lower() == "host")
    assert url.split("/")[2] == host
    assert url.endswith(request.target.decode())
    curl_headers = [tuple(argv[i + 1].split(": ", 1)) for i, a in enumerate(argv) if a == "-H"]
    sent = [(n, v) for n, v in headers if n.lower() not in ("host", "content-length")]
    assert curl_headers == sent
    curl_body = argv[argv.index("--data-raw") + 1].encode() if "--data-raw" in argv else b""
    assert curl_body == body


def test_copy_request_of_a_response_copies_its_request(qapp: object) -> None:
    trace = run_once(LESSONS[0], "session")
    index = next(i for i, e in enumerate(trace.events) if e.kind == "response")
    text = request_copy.copy_request(trace, index, "curl")
    assert QGuiApplication.clipboard().text() == text
    request = request_copy.request_event(trace, index)
    assert request is not None
    assert request.detail["request_id"] == trace.events[index].detail["request_id"]
    assert request.detail["url"] in text


def test_copy_with_no_request_says_so(qapp: object) -> None:
    trace = run_once(LESSONS[0], "session")
    first_request = next(i for i, e in enumerate(trace.events) if e.kind == "request")
    if first_request == 0:
        pytest.skip("lesson starts with a request")
    with pytest.raises(request_copy.NothingToCopy, match="no request"):
        request_copy.copy_request(trace, 0, "raw")
