"""Every event's state is what the actors hold at that moment.

The engine shares an unchanged State between hops and rebuilds only the parts that
moved, keyed on change counters the actors bump. Here each event's state is compared
with one taken with every cache thrown away, after every hop of every lesson in every
mode: a change an actor forgets to report shows up as a stale snapshot.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from factories import FAST

from authflow import simulator
from authflow.simulator.trace.recorder import Recorder
from authflow.simulator.trace.trace import Counters, Event, State
from authflow.simulator.world.engine import World


def _uncached_state(world: World) -> State:
    world._state_key = ()
    world._stores_version = ()
    world._attacker_snap_version = -1
    world.browser._snap_version = -1
    world.users._snap_version = -1
    for store in world.stores:
        store._snapshot_key = (-1, -1.0)
    t = world.recorder.tally
    counters = Counters(
        t.requests,
        t.credential_bytes,
        t.cookie_bytes,
        t.authorization_bytes,
        t.store_reads,
        t.store_writes,
        t.signature_checks,
    )
    return world.snapshot(counters)


def _plain(state: State) -> dict[str, Any]:
    def deep(value: object) -> object:
        if isinstance(value, Mapping):
            return {k: deep(v) for k, v in value.items()}
        return value

    return {name: deep(value) for name, value in state._asdict().items()}


@pytest.fixture
def checked_hops(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    hops: list[int] = []
    emit = Recorder.emit

    def checking_emit(self: Recorder, *args: Any, **kwargs: Any) -> Event:
        event = emit(self, *args, **kwargs)
        world = self._snapshot.__self__  # type: ignore[attr-defined]
        assert isinstance(world, World)
        assert _plain(event.state) == _plain(_uncached_state(world)), (
            f"stale state after event {event.seq}: {event.kind} {event.label}"
        )
        hops.append(event.seq)
        return event

    monkeypatch.setattr(Recorder, "emit", checking_emit)
    return hops


@pytest.mark.parametrize("mode", simulator.MODES)
@pytest.mark.parametrize("lesson", simulator.scenario_names())
def test_every_hop_shows_the_state_of_that_moment(
    lesson: str, mode: str, checked_hops: list[int]
) -> None:
    trace = simulator.run_scenario(lesson, mode, FAST, seed=3)
    assert len(checked_hops) == len(trace.events) > 0


def test_a_change_nobody_reports_is_caught(checked_hops: list[int]) -> None:
    # The check itself: a cookie slipped into the jar behind the browser's back (no
    # changed()) leaves the next hop's shared state stale, and the test must say so.
    world = World("session", FAST, seed=1)
    world.recorder.emit("note", "browser", "browser", "start", "Start.")
    world.browser.jar.store("https://app.example/", "sneaky=1", now=0.0)
    with pytest.raises(AssertionError, match="stale state"):
        world.recorder.emit("note", "browser", "browser", "again", "Again.")
