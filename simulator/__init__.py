"""Authflow's simulator: browser, server and store, with real cryptography. No Qt here.

It turns a list of user actions into a trace: an ordered list of events, each carrying
the state of every actor after it. See simulator/trace.py for the format.
"""

from simulator.cookiejar import CookieJar
from simulator.engine import MODES, SimulationError
from simulator.run import simulate
from simulator.scenarios import Scenario, ScenarioError, load_scenario, run_scenario, scenario_names
from simulator.settings import SETTINGS, SettingError
from simulator.trace import Event, State, Step, Trace

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
