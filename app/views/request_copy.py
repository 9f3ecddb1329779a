"""Copy a request as a curl command or as raw HTTP/1.1, from the event log, the headers
inspector or the Export menu: the text is authflow.simulator.web.http's, and which request an
event belongs to is the shared matcher's (authflow.simulator.trace.exchanges)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from PySide6.QtGui import QGuiApplication

from authflow.app.views.inspectors.trace_lookup import plain

if TYPE_CHECKING:
    from authflow.simulator.trace.trace import Event, Trace

Form = Literal["curl", "raw"]


class NothingToCopy(ValueError):
    """No request at or before the event; the message is meant for the user."""


def request_event(trace: Trace | None, index: int) -> Event | None:
    """The request the event at `index` belongs to (authflow.simulator.trace.exchanges' rule)."""
    if trace is None or not trace.events:
        return None
    from authflow.simulator.trace.exchanges import request_for

    return request_for(trace.events, max(0, min(index, len(trace.events) - 1)))


def request_text_of(detail: Mapping[str, Any], form: Form) -> str:
    """A request event's detail as a curl command or raw HTTP/1.1 (authflow.simulator.web.http);
    a detail without a method or URL raises KeyError."""
    from authflow.simulator.web import http

    whole = plain(detail)
    return http.curl_command(whole) if form == "curl" else http.raw_request(whole)


def request_text(trace: Trace | None, index: int, form: Form) -> str:
    event = request_event(trace, index)
    if event is None:
        raise NothingToCopy("There is no request at or before this step to copy.")
    return request_text_of(event.detail, form)


def copy_request(trace: Trace | None, index: int, form: Form) -> str:
    """Put the request of step `index` on the clipboard as curl or raw HTTP; returns it."""
    text = request_text(trace, index, form)
    QGuiApplication.clipboard().setText(text)
    return text
