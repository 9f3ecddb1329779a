"""The attacker actor: what they hold after each attack, and the one event that says
what an attack tried, where it landed and how it ended."""

from __future__ import annotations

from factories import simulate

from authflow.simulator.trace.trace import Event, Trace


def attacks(trace: Trace) -> list[Event]:
    return [e for e in trace.events if e.kind == "attack"]


def test_each_attack_is_judged_by_the_server_the_balancer_chose() -> None:
    steps = [("login", {}), ("steal", {}), ("replay", {}), ("replay", {})]
    trace = simulate(steps, "session", servers="2", store="shared")
    for event in attacks(trace)[1:]:
        (verdict,) = [e for e in trace.events if e.kind == "verdict" and e.step == event.step]
        assert event.dst == verdict.src
        assert verdict.src.startswith("server-")
    assert {e.dst for e in attacks(trace)[1:]} == {"server-1", "server-2"}


def test_a_request_the_browser_never_sends_is_told_as_never_sent() -> None:
    step = {"method": "POST", "authorization": True}
    trace = simulate([("login", {}), ("cross_site_fetch", step)], "jwt")
    (event,) = attacks(trace)
    assert event.label == "Cross-site fetch: never sent"
    assert (event.detail["sent"], event.detail["status"]) == (False, None)
    assert event.detail["reasons"] == [
        "cors: the response has no Access-Control-Allow-Origin header"
    ]
    assert (
        event.explain == "The browser never sent the request: the CORS preflight was not allowed."
    )


def test_what_the_attacker_holds_grows_and_is_never_forgotten() -> None:
    steps = [("login", {}), ("steal", {}), ("forge_none", {}), ("logout", {}), ("steal", {})]
    trace = simulate(steps, "session")
    stolen = attacks(trace)[0].detail["stolen"]
    assert set(stolen) == {"sid"}
    for event in trace.events:
        if event.step >= 1 and event.kind != "note":
            assert event.state.attacker == stolen, event
    # After logout there is nothing left to steal; what was taken before stays held.
    assert attacks(trace)[-1].detail["stolen"] == {}
