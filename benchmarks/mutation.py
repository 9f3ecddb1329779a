"""Mutation score of the rule modules: how many planted bugs the simulator tests catch.

Runs mutmut (configured in pyproject.toml, `[tool.mutmut]`) one rule module at a time,
with one worker, then prints per module the mutants killed, survived, timed out and
never reached by a test, the score, and every surviving mutant. For each mutant mutmut
runs only the simulator tests that reach the mutated function (it records which tests
call which function once, in mutants/mutmut-stats.json), fastest first, stopping at
the first failure. Never part of CI: a full run takes about an hour on two idle cores
(2026-12: 36 min for the ten smaller modules, 22 min for the attacks' 1,591 mutants,
then all in one attacks.py), several hours under `nice` on a machine others are busy
on; `--survivors` afterwards takes minutes. On a shared machine, give way:

    nice -n 19 python benchmarks/mutation.py         # every rule module
    nice -n 19 python benchmarks/mutation.py cookiejar server.jwt_tokens
    nice -n 19 python benchmarks/mutation.py --survivors   # only what was not killed
    python benchmarks/mutation.py --report --diff    # last results, with each diff

The code imports itself as `authflow.simulator...`; under mutmut tests/conftest.py
answers those imports with mutmut's copy in mutants/ (see `_MutantsAlias` there), so
the mutated code is what the tests run.

A survivor is either a missing test (write one that fails on it) or an equivalent
mutant (no behaviour can tell it apart); the note of issue 20 lists the latter.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import subprocess
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTMUT = Path(sys.executable).with_name("mutmut")
KILLED = {1, 3, 37}
"""Exit codes mutmut records for a mutant a test (or the type checker) caught."""
TIMEOUT = {24, -24, 36, 152, 255}
NO_TESTS = {5, 33}
SURVIVED = {0}
CAUGHT = ("killed", "timeout")


def rule_modules() -> list[str]:
    """The modules pyproject.toml's `only_mutate` names, in file order, dotted from
    simulator/ (`web.cookiejar`)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]
    patterns: list[str] = config["only_mutate"]
    files = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "simulator").rglob("*.py"))
    return [
        f.removeprefix("simulator/").removesuffix(".py").replace("/", ".")
        for f in files
        if any(fnmatch.fnmatch(f, p) for p in patterns)
    ]


def chosen(names: list[str]) -> list[str]:
    """The rule modules the command line names, by dotted name or by file name alone
    (`cookiejar` for `web.cookiejar`); all of them when it names none."""
    modules = rule_modules()
    if not names:
        return modules
    picked = [m for m in modules if m in names or m.rpartition(".")[2] in names]
    unknown = set(names) - {n for m in picked for n in (m, m.rpartition(".")[2])}
    if unknown:
        sys.exit(f"not a rule module: {', '.join(sorted(unknown))} (see [tool.mutmut])")
    return picked


def run_module(module: str, survivors_only: bool) -> float:
    """Run the mutants of one module (all, or those not killed last time); the seconds
    it took."""
    if survivors_only:
        names = [n for n, code in results(module).items() if status(code) not in CAUGHT]
        if not names:
            return 0.0
    else:
        names = [f"simulator.{module}.*"]
    start = time.perf_counter()
    subprocess.run(
        [str(MUTMUT), "run", "--max-children", "1", *names],
        cwd=ROOT,
        check=False,
        stdout=subprocess.DEVNULL,
        # Hypothesis draws the same examples every time (tests/conftest.py): a mutant is
        # killed or not for good, not by the luck of one run.
        env={**os.environ, "AUTHFLOW_CI": "1"},
    )
    return time.perf_counter() - start


def results(module: str) -> dict[str, int | None]:
    meta = ROOT / "mutants" / "simulator" / f"{module.replace('.', '/')}.py.meta"
    if not meta.exists():
        return {}
    codes: dict[str, int | None] = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
    return codes


def status(code: int | None) -> str:
    if code in KILLED:
        return "killed"
    if code in TIMEOUT:
        return "timeout"
    if code in NO_TESTS:
        return "no tests"
    if code in SURVIVED:
        return "survived"
    return "not run" if code is None else f"other ({code})"


def show(mutant: str) -> str:
    out = subprocess.run(
        [str(MUTMUT), "show", mutant], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return out.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="rule modules to run (default: all)")
    parser.add_argument("--report", action="store_true", help="only print the last results")
    parser.add_argument(
        "--survivors", action="store_true", help="run only the mutants not killed last time"
    )
    parser.add_argument("--diff", action="store_true", help="print each survivor's diff")
    args = parser.parse_args()
    modules = chosen(args.modules)
    seconds: dict[str, float] = {}
    if not args.report:
        for module in modules:
            print(f"mutating simulator.{module} ...", flush=True)
            seconds[module] = run_module(module, args.survivors)
    print()
    print(
        f"{'module':<32} {'mutants':>7} {'killed':>7} {'survived':>8} {'timeout':>7} "
        f"{'no tests':>8} {'score':>6} {'time':>7}"
    )
    totals: Counter[str] = Counter()
    survivors: list[str] = []
    for module in modules:
        by_status = Counter(status(code) for code in results(module).values())
        survivors += sorted(
            name
            for name, code in results(module).items()
            if status(code) not in (*CAUGHT, "not run")
        )
        totals.update(by_status)
        print(_row(module, by_status, seconds.get(module)))
    print(_row("total", totals, sum(seconds.values()) if seconds else None))
    print()
    print(f"{len(survivors)} mutants not killed:")
    for name in survivors:
        print(f"  {name}")
        if args.diff:
            print("    " + show(name).replace("\n", "\n    "))


def _row(name: str, counts: Counter[str], seconds: float | None) -> str:
    caught = counts["killed"] + counts["timeout"]
    total = sum(counts.values())
    # Mutants no test reaches count against the score: nothing would catch them either.
    judged = total - counts["not run"]
    score = f"{100 * caught / judged:.1f}%" if judged else "-"
    took = f"{seconds / 60:.1f}m" if seconds is not None else ""
    return (
        f"{name:<32} {total:>7} {counts['killed']:>7} {counts['survived']:>8} "
        f"{counts['timeout']:>7} {counts['no tests']:>8} {score:>6} {took:>7}"
    )


if __name__ == "__main__":
    main()
