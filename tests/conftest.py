"""Hypothesis profiles shared by every test directory."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hypothesis import settings

# CI decides whether a commit lands, so its examples are the same on every run: a new
# counterexample found by chance there would block work that changed nothing near it.
# Runs on a laptop keep drawing fresh examples, which is how such cases get found.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("AUTHFLOW_CI") == "1":
    settings.load_profile("ci")


def pytest_sessionstart(session: object) -> None:
    """Every test session starts with memoised answers forgotten: the simulator's and
    the tests' own (traces cached per module with functools.cache).

    A plain run starts with them empty anyway. Mutation testing (benchmarks/mutation.py)
    forks each mutant's run from a process that already ran the suite unmutated: an
    answer remembered from then (parse_url, a lesson's trace ...) would hide the mutant."""
    tests = str(Path(__file__).resolve().parent)
    for name, module in list(sys.modules.items()):
        own = str(getattr(module, "__file__", None) or "").startswith(tests)
        if own or name == "simulator" or name.startswith("simulator."):
            for value in list(vars(module).values()):
                clear = getattr(value, "cache_clear", None)
                if callable(clear):
                    clear()
