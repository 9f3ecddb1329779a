"""Hypothesis profiles shared by every test directory, and the import hook that lets
mutation testing (benchmarks/mutation.py) test the mutated copy of the simulator."""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from hypothesis import settings

# CI decides whether a commit lands, so its examples are the same on every run: a new
# counterexample found by chance there would block work that changed nothing near it.
# Runs on a laptop keep drawing fresh examples, which is how such cases get found.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("AUTHFLOW_CI") == "1":
    settings.load_profile("ci")


class _MutantsAlias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Under mutmut, `authflow.simulator.X` is the module `simulator.X` of mutants/.

    mutmut copies simulator/ into mutants/, puts mutants/ first on sys.path and names
    each mutant after its file (`simulator.web.cookiejar.x_parse__mutmut_3`); its
    trampolines call a mutant only inside the module of that name. The code imports
    itself as `authflow.simulator...`, which the editable install maps onto the
    repository's unmutated folders, so without this every mutant would survive. This
    finder, first on sys.meta_path, answers each `authflow.simulator...` import with
    the same module object as `simulator...` (one copy, named as mutmut names it)."""

    PREFIX = "authflow.simulator"

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != self.PREFIX and not fullname.startswith(self.PREFIX + "."):
            return None
        return importlib.machinery.ModuleSpec(fullname, self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module = importlib.import_module(spec.name.removeprefix("authflow."))
        spec.loader_state = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        # Already run under its own name. The import system stamped the alias's spec on
        # it; give back the real one (importlib.resources reads files through it).
        module.__spec__ = module.__spec__.loader_state


if "MUTANT_UNDER_TEST" in os.environ and not any(
    isinstance(finder, _MutantsAlias) for finder in sys.meta_path
):
    sys.meta_path.insert(0, _MutantsAlias())


def pytest_sessionstart(session: object) -> None:
    """Every test session starts with memoised answers forgotten: the simulator's and
    the tests' own (traces cached per module with functools.cache).

    A plain run starts with them empty anyway. Mutation testing (benchmarks/mutation.py)
    forks each mutant's run from a process that already ran the suite unmutated: an
    answer remembered from then (parse_url, a lesson's trace ...) would hide the mutant."""
    tests = str(Path(__file__).resolve().parent)
    for name, module in list(sys.modules.items()):
        own = str(getattr(module, "__file__", None) or "").startswith(tests)
        if own or f"{name}.".startswith(("simulator.", "authflow.simulator.")):
            for value in list(vars(module).values()):
                clear = getattr(value, "cache_clear", None)
                if callable(clear):
                    clear()
