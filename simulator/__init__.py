"""Authflow's simulator: browser, server and store, with real cryptography. No Qt here.

It turns a list of user actions into a trace: an ordered list of events, each carrying
the state of every actor after it. See simulator/trace/trace.py for the format.

The names below are loaded on first use: the app imports small modules such as
`simulator.config.modes` before its window paints, and importing a submodule runs this file
first, so it must not pull in the engine and its cryptography.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.config.modes import MODES
    from simulator.config.settings import SETTINGS, SettingError
    from simulator.lessons.run import simulate
    from simulator.lessons.scenarios import (
        Scenario,
        ScenarioError,
        load_scenario,
        run_scenario,
        scenario_names,
    )
    from simulator.trace.trace import Event, State, Step, Trace
    from simulator.web.cookiejar import CookieJar
    from simulator.world.engine import SimulationError

_HOMES = {
    "MODES": "simulator.config.modes",
    "SETTINGS": "simulator.config.settings",
    "CookieJar": "simulator.web.cookiejar",
    "Event": "simulator.trace.trace",
    "Scenario": "simulator.lessons.scenarios",
    "ScenarioError": "simulator.lessons.scenarios",
    "SettingError": "simulator.config.settings",
    "SimulationError": "simulator.world.engine",
    "State": "simulator.trace.trace",
    "Step": "simulator.trace.trace",
    "Trace": "simulator.trace.trace",
    "load_scenario": "simulator.lessons.scenarios",
    "run_scenario": "simulator.lessons.scenarios",
    "scenario_names": "simulator.lessons.scenarios",
    "simulate": "simulator.lessons.run",
}
"""Public name -> the module that defines it."""

__all__ = [
    "MODES",
    "SETTINGS",
    "CookieJar",
    "Event",
    "Scenario",
    "ScenarioError",
    "SettingError",
    "SimulationError",
    "State",
    "Step",
    "Trace",
    "load_scenario",
    "run_scenario",
    "scenario_names",
    "simulate",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'simulator' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # later reads skip this function
    return value
