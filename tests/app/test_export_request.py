"""Copy as curl / raw HTTP copies the request the inspectors show for the same event."""

from __future__ import annotations

import factories

from app import export
from simulator.trace.exchanges import request_for


def test_the_answer_reaching_the_browser_copies_the_browsers_request() -> None:
    trace = factories.run("basics", "session", servers="2", store="shared")
    for i, event in enumerate(trace.events):
        if event.kind != "response":
            continue
        copied = export.request_event(trace, i)
        assert copied is request_for(trace.events, i)
        assert copied is not None
        if event.dst == "browser":
            # Not the balancer's forwarded copy of it, which carries the same id.
            assert (copied.src, copied.dst) == ("browser", "lb")
