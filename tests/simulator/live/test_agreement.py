"""The live/simulated comparison names every difference that matters to the rules."""

from __future__ import annotations

from authflow.simulator import run_scenario
from authflow.simulator.live.agreement import compare_runs, reason_codes

FAST = {"scrypt_n": "1024"}


def test_a_run_agrees_with_itself() -> None:
    trace = run_scenario("csrf", "session", FAST, seed=1)
    assert compare_runs(trace, trace).differences == ()


def test_a_cookie_that_rides_along_in_one_run_only_is_named() -> None:
    lax = run_scenario("csrf", "session", FAST, seed=1)
    none = run_scenario("csrf", "session", {**FAST, "same_site": "None"}, seed=1)
    agreement = compare_runs(lax, none)
    texts = [d.text() for d in agreement.differences]
    assert any("Cookie header carried no cookie simulated, sid live" in t for t in texts)
    assert any("status 401 simulated, 200 live" in t for t in texts)
    assert all(d.step == 2 for d in agreement.differences if "POST /api/transfer" in d.what)
    marked = agreement.marked("live")
    assert any(none.events[i].kind == "request" for i in marked)
    assert any(none.events[i].kind == "response" for i in marked)


def test_a_different_cookie_jar_is_named() -> None:
    lax = run_scenario("basics", "session", FAST, seed=1)
    strict = run_scenario("basics", "session", {**FAST, "same_site": "Strict"}, seed=1)
    texts = [d.text() for d in compare_runs(lax, strict).differences]
    assert any(t.startswith("step 1: cookie jar after the step") for t in texts)


def test_chromium_lists_every_reason_and_one_shared_is_enough() -> None:
    assert reason_codes("SameSiteStrict (x); NotOnPath (y)") == {"SameSiteStrict", "NotOnPath"}
    assert reason_codes("Path /auth/refresh does not match /api/transfer") == {"NotOnPath"}
    assert reason_codes("SameSite=Lax: cross-site fetch (Lax by default)") == {
        "SameSiteUnspecifiedTreatedAsLax"
    }
