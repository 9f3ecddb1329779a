"""Authflow's simulator: browser, server and store, with real cryptography. No Qt here.

It turns a list of user actions into a trace: an ordered list of events, each carrying
the state of every actor after it. See simulator/trace/trace.py for the format.

The names below are loaded on first use: the app imports small modules such as
`authflow.simulator.config.modes` before its window paints, and importing a submodule runs this file
first, so it must not pull in the engine and its cryptography.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from authflow.simulator.config.modes import MODES
    from authflow.simulator.config.settings import SETTINGS, SettingError
    from authflow.simulator.lessons.library import scenario_names
    from authflow.simulator.lessons.run import simulate
    from authflow.simulator.lessons.scenarios import (
        Scenario,
        ScenarioError,
        load_scenario,
        run_scenario,
    )
    from authflow.simulator.trace.trace import Event, State, Step, Trace
    from authflow.simulator.web.cookiejar import CookieJar
    from authflow.simulator.world.engine import SimulationError

_HOMES = {
    "MODES": "authflow.simulator.config.modes",
    "SETTINGS": "authflow.simulator.config.settings",
    "CookieJar": "authflow.simulator.web.cookiejar",
    "Event": "authflow.simulator.trace.trace",
    "Scenario": "authflow.simulator.lessons.scenarios",
    "ScenarioError": "authflow.simulator.lessons.scenarios",
    "SettingError": "authflow.simulator.config.settings",
    "SimulationError": "authflow.simulator.world.engine",
    "State": "authflow.simulator.trace.trace",
    "Step": "authflow.simulator.trace.trace",
    "Trace": "authflow.simulator.trace.trace",
    "load_scenario": "authflow.simulator.lessons.scenarios",
    "run_scenario": "authflow.simulator.lessons.scenarios",
    "scenario_names": "authflow.simulator.lessons.library",
    "simulate": "authflow.simulator.lessons.run",
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
