"""`simulate`: play a list of steps through a fresh world and return the trace."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from authflow.simulator.actions.catalogue import ACTIONS, ActionError, check_args
from authflow.simulator.browser.page_script import PageScript
from authflow.simulator.config.entropy import seed_problem
from authflow.simulator.lessons.narration import narrate
from authflow.simulator.trace.clock import MAX_RUN_SECONDS
from authflow.simulator.trace.details import NoteDetail
from authflow.simulator.trace.trace import Step, Trace
from authflow.simulator.world.engine import SimulationError, World, make_trace

YEAR = 31_557_600
"""A Julian year in seconds, for messages."""


def simulate(
    steps: Sequence[Step],
    mode: str,
    settings: Mapping[str, Any] | None = None,
    seed: int | None = None,
    scenario: str = "custom",
    title: str = "",
) -> Trace:
    """Run `steps` in `mode` from a fresh world. Same inputs and seed give the same trace."""
    checked = []
    for i, step in enumerate(steps):
        try:
            checked.append(check_args(step.action, step.args))
        except ActionError as exc:
            raise SimulationError(f"step {i + 1}: {exc}") from None
    problem = seed_problem(seed)
    if problem is not None:
        raise SimulationError(problem)
    waited = sum(a["seconds"] for s, a in zip(steps, checked, strict=True) if s.action == "wait")
    if waited > MAX_RUN_SECONDS:
        raise SimulationError(
            f"the waits add up to {waited:,} seconds (about {waited // YEAR:,} years); a run "
            f"can last at most {MAX_RUN_SECONDS:,} seconds (about {MAX_RUN_SECONDS // YEAR:,} "
            "years), so that every date it shows stays before the year 10000"
        )
    world = World(mode, settings, seed)
    page = PageScript(world)
    starts: list[int] = []
    for i, (step, args) in enumerate(zip(steps, checked, strict=True)):
        world.recorder.step = i
        starts.append(len(world.recorder.events))
        spec = ACTIONS[step.action]
        text = spec.label(args)
        # The attacker's own actions open with a note on the attacker's lane.
        actor = spec.lane
        world.recorder.emit(
            "note",
            actor,
            actor,
            text,
            step.narration or text + ".",
            NoteDetail(text, step.action, args, step.narration),
        )
        spec.run(world, page, args)
    # The words are chosen once the whole step has run: they must match what it did.
    shown = narrate(steps, world.recorder.events, starts, mode, world.config.values)
    return make_trace(world, shown, scenario, title, seed)
