"""HAR 1.2 of every lesson and mode, read back by a real HAR reader (mitmproxy's import)."""

from __future__ import annotations

import io
import json
from datetime import datetime
from typing import Any

import pytest
from factories import run_once
from mitmproxy.io import FlowReader

from authflow import simulator
from authflow.simulator.formats.har import client_requests, to_har, to_har_text
from authflow.simulator.web.http import get_header

RUNS = [(lesson, mode) for lesson in simulator.scenario_names() for mode in simulator.MODES]


def read_with_mitmproxy(text: str) -> list[Any]:
    return list(FlowReader(io.BytesIO(text.encode("utf-8"))).stream())


def seconds(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


@pytest.mark.parametrize(("lesson", "mode"), RUNS)
def test_mitmproxy_reads_every_request_and_its_answer(lesson: str, mode: str) -> None:
    trace = run_once(lesson, mode)
    # Counted here without the module's own filter: what the browser or attacker sent.
    requests = [
        e for e in trace.events if e.kind == "request" and e.src in ("browser", "attacker", "phone")
    ]
    flows = read_with_mitmproxy(to_har_text(trace))
    assert len(flows) == len(requests)
    sent = [f for f in flows if f.response.status_code != 0]
    assert len(sent) == trace.events[-1].state.counters.requests
    refused = [e for e in requests if e.detail.get("blocked")]
    assert len(flows) - len(sent) == len(refused)
    for flow, event in zip(flows, requests, strict=True):
        assert (flow.request.method, flow.request.url) == (
            event.detail["method"],
            event.detail["url"],
        )
        assert flow.request.headers.get("Cookie") == get_header(event.detail["headers"], "Cookie")


@pytest.mark.parametrize(("lesson", "mode"), RUNS)
def test_answers_match_the_trace(lesson: str, mode: str) -> None:
    trace = run_once(lesson, mode)
    flows = read_with_mitmproxy(to_har_text(trace))
    answers = [
        e
        for e in trace.events
        if e.kind == "response" and e.dst in ("browser", "attacker", "phone")
    ]
    got = [f for f in flows if f.response.status_code != 0]
    assert [f.response.status_code for f in got] == [e.detail["status"] for e in answers]
    for flow, answer in zip(got, answers, strict=True):
        lines = [v for n, v in answer.detail["headers"] if n == "Set-Cookie"]
        assert flow.response.headers.get_all("Set-Cookie") == lines
        length = get_header(answer.detail["headers"], "Content-Length")
        assert len(flow.response.content) == int(length or 0)


@pytest.mark.parametrize(("lesson", "mode"), RUNS)
def test_structure_is_har_1_2(lesson: str, mode: str) -> None:
    trace = run_once(lesson, mode)
    log = json.loads(to_har_text(trace))["log"]
    assert log["version"] == "1.2"
    assert log["creator"]["name"] == "Authflow"
    pages = {p["id"] for p in log["pages"]}
    requests = list(client_requests(trace))
    for entry, event in zip(log["entries"], requests, strict=True):
        assert entry["pageref"] in pages
        # Timings on the simulated clock: t = 0 is the trace's start_epoch.
        assert seconds(entry["startedDateTime"]) == pytest.approx(trace.start_epoch + event.t)
        phases = [entry["timings"][k] for k in ("send", "wait", "receive")]
        assert min(phases) >= 0
        assert entry["time"] == pytest.approx(sum(phases))
        for part in ("request", "response"):
            for field in ("httpVersion", "cookies", "headers", "headersSize", "bodySize"):
                assert field in entry[part], (part, field)
        assert {"size", "mimeType"} <= set(entry["response"]["content"])
        assert entry["cache"] == {}


def test_cookies_are_listed_with_their_attributes() -> None:
    log = to_har(run_once("basics", "session"))["log"]
    login, profile = log["entries"][0], log["entries"][1]
    (sid,) = login["response"]["cookies"]
    assert (sid["name"], sid["httpOnly"], sid["secure"], sid["sameSite"]) == (
        "sid",
        True,
        True,
        "Lax",
    )
    assert profile["request"]["cookies"] == [{"name": "sid", "value": sid["value"]}]
    logout = log["entries"][2]
    (deleted,) = logout["response"]["cookies"]
    assert seconds(deleted["expires"]) <= seconds(logout["startedDateTime"])


def test_a_request_the_browser_refused_is_an_error_entry() -> None:
    trace = run_once("cross-site-fetch", "jwt")
    entries = to_har(trace)["log"]["entries"]
    blocked = [e for e in entries if e["response"]["status"] == 0]
    assert len(blocked) == 1
    assert blocked[0]["response"]["_error"].startswith("CORS: ")
    assert blocked[0]["request"]["headers"][0] == {"name": "Host", "value": "app.example"}


def test_waits_show_on_the_clock() -> None:
    entries = to_har(run_once("expiry", "jwt"))["log"]["entries"]
    starts = [seconds(e["startedDateTime"]) for e in entries]
    assert starts == sorted(starts)
    assert starts[-1] - starts[0] >= 15 * 60


def test_authflow_trace_prints_the_har(capsys: pytest.CaptureFixture[str]) -> None:
    from authflow.app.cli import main

    main(
        [
            "trace",
            "basics",
            "--mode",
            "jwt",
            "--format",
            "har",
            "--seed",
            "1",
            "--set",
            "scrypt_n=1024",
        ]
    )
    flows = read_with_mitmproxy(capsys.readouterr().out)
    assert [f.request.path for f in flows] == [
        "/auth/login",
        "/api/profile",
        "/auth/logout",
        "/api/profile",
    ]
