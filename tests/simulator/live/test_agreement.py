"""The live/simulated comparison names every difference that matters to the rules."""

from __future__ import annotations

from factories import run

from authflow.simulator.live.agreement import compare_runs, reason_codes


def test_a_run_agrees_with_itself() -> None:
    trace = run("csrf", "session")
    assert compare_runs(trace, trace).differences == ()


def test_a_cookie_that_rides_along_in_one_run_only_is_named() -> None:
    lax = run("csrf", "session")
    none = run("csrf", "session", same_site="None")
    agreement = compare_runs(lax, none)
    texts = [d.text() for d in agreement.differences]
    assert any("Cookie header carried no cookie simulated, sid live" in t for t in texts)
    assert any("status 401 simulated, 200 live" in t for t in texts)
    assert all(d.step == 2 for d in agreement.differences if "POST /api/transfer" in d.what)
    marked = agreement.marked("live")
    assert any(none.events[i].kind == "request" for i in marked)
    assert any(none.events[i].kind == "response" for i in marked)


def test_a_different_cookie_jar_is_named() -> None:
    lax = run("basics", "session")
    strict = run("basics", "session", same_site="Strict")
    texts = [d.text() for d in compare_runs(lax, strict).differences]
    assert any(t.startswith("step 1: cookie jar after the step") for t in texts)


def test_chromium_lists_every_reason_and_one_shared_is_enough() -> None:
    assert reason_codes("SameSiteStrict (x); NotOnPath (y)") == {"SameSiteStrict", "NotOnPath"}
    assert reason_codes("Path /auth/refresh does not match /api/transfer") == {"NotOnPath"}
    assert reason_codes("SameSite=Lax: cross-site fetch (Lax by default)") == {
        "SameSiteUnspecifiedTreatedAsLax"
    }
