"""simulator/analysis/compare.py: step outcomes, which steps differ, and the shared timeline."""

from __future__ import annotations

import pytest
from factories import FAST

from authflow import simulator
from authflow.simulator.analysis import compare
from authflow.simulator.trace.trace import Step, Trace

LOGIN = Step("login", {"user": "alice", "password": "wonderland"}, "")


def csrf_runs(same_site: str) -> Trace:
    """The csrf lesson in session mode, or its steps when the lesson is not there."""
    settings = {**FAST, "same_site": same_site, "secure": "true"}
    if "csrf" in simulator.scenario_names():
        return simulator.run_scenario("csrf", "session", settings, seed=1)
    from authflow.simulator.actions.catalogue import ACTIONS

    if "csrf" not in ACTIONS:
        pytest.skip("no csrf attack action in the simulator yet")
    return simulator.simulate([LOGIN, Step("csrf", {}, "")], "session", settings, seed=1)


def basics(mode: str) -> Trace:
    return simulator.run_scenario("basics", mode, FAST, seed=1)


def test_same_run_has_no_differences() -> None:
    a, b = basics("session"), basics("session")
    result = compare.compare((a, b))
    assert result.changed_steps == ()
    assert result.traffic_steps == ()
    assert compare.describe_change(a, b) == "No step's outcome changed."


def test_step_outcomes_read_the_answers_and_who_is_signed_in() -> None:
    outcomes = compare.step_outcomes(basics("session"))
    assert [o.action for o in outcomes] == ["login", "profile", "logout", "profile"]
    assert [o.final_status for o in outcomes] == [200, 200, 200, 401]
    assert [o.signed_in_as for o in outcomes] == ["alice", "alice", None, None]
    assert outcomes[1].verdicts[0].check == "session"
    assert outcomes[1].verdicts[0].ok
    assert outcomes[3].text() == "GET /api/profile → 401"


def test_samesite_none_turns_the_csrf_transfer_from_refused_to_accepted() -> None:
    lax, none = csrf_runs("Lax"), csrf_runs("None")
    result = compare.compare((lax, none))
    step = len(lax.steps) - 1
    assert lax.steps[step].action == "csrf"
    assert result.changed_steps == (step,)
    before, after = result.steps[step].outcomes
    assert before is not None
    assert after is not None
    assert before.replies[-1].request == "POST /api/transfer"
    assert (before.final_status, after.final_status) == (401, 200)
    assert [(a.attack, a.success) for a in before.attacks] == [("csrf", False)]
    assert [(a.attack, a.success) for a in after.attacks] == [("csrf", True)]
    text = compare.describe_change(lax, none)
    assert text == (
        f"Step {step + 1} (csrf) changed: POST /api/transfer 401 → 200; "
        "csrf attack failed → worked."
    )


def test_modes_differ_in_traffic_not_outcome_on_basics() -> None:
    runs = [basics(m) for m in ("session", "jwt", "hybrid")]
    result = compare.compare(runs)
    assert result.changed_steps == ()
    # Hybrid's last step also tries a refresh; the session's profile is a store lookup.
    assert 3 in result.traffic_steps


def test_a_missing_step_differs() -> None:
    long = basics("session")
    short = simulator.simulate(long.steps[:2], "session", FAST, seed=1)
    result = compare.compare((long, short))
    assert result.changed_steps == (2, 3)
    assert result.steps[3].outcomes[1] is None
    assert "removed" in compare.describe_change(long, short)


def test_timeline_lines_runs_up_by_step_and_position() -> None:
    runs = [basics(m) for m in ("session", "jwt", "hybrid")]
    line = compare.timeline(runs)
    widths = {}
    for step, k in line.positions:
        widths[step] = max(widths.get(step, 0), k + 1)
    for step, width in widths.items():
        assert width == max(len(r.events_of_step(step)) for r in runs)
    for run, trace in enumerate(runs):
        row = line.indexes[run]
        assert row == tuple(sorted(row)), "a run never goes back while the timeline moves on"
        assert set(row) == set(range(len(trace.events))), "every event is shown somewhere"
        for p, (step, _k) in enumerate(line.positions):
            assert trace.events[row[p]].step == step
        assert line.index_for(run, -1) == -1
        assert line.index_for(run, len(line) + 5) == len(trace.events) - 1
        for index in range(len(trace.events)):
            assert line.index_for(run, line.position_of(run, index)) == index


def test_timeline_holds_a_run_without_events_in_a_step() -> None:
    # A wait with nothing expiring produces only its note; still, every run shows
    # its latest event at every position.
    steps = [LOGIN, Step("wait", {"seconds": 5}, ""), Step("profile", {}, "")]
    a = simulator.simulate(steps, "session", FAST, seed=1)
    b = simulator.simulate(steps, "jwt", FAST, seed=1)
    line = compare.timeline((a, b))
    assert line.first_of_step(1) > 0
    assert line.step_at(line.first_of_step(2)) == 2
    assert line.step_at(-1) is None
