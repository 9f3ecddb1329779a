"""JSON trace output per event: `authflow trace --format json` on a long run.

Simulates basics in JWT mode followed by "view profile" until the run holds
`--requests` requests, then times writing its JSON lines (to /dev/null, as a pipe
would take them) and prints microseconds per event and the memory the process holds
after writing (the old writer left every event holding its detail's record and
mapping). Compare two trees by running this script under each (the issue's target: at
least 3x faster per event than before).

    python benchmarks/trace_json.py [--requests 25000]
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import time

from authflow import simulator
from authflow.simulator.formats.text import to_json_lines
from authflow.simulator.trace.trace import Step, Trace


def rss_mb() -> float:
    """Resident memory now (Linux)."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def write(trace: Trace) -> None:
    with open(os.devnull, "w", encoding="utf-8") as out:
        for line in to_json_lines(trace):
            out.write(line)
            out.write("\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=25_000)
    args = parser.parse_args()
    trace = simulator.run_scenario(
        "basics", "jwt", None, 1, [Step("profile", {}, "")] * args.requests
    )
    n = len(trace.events)
    gc.collect()
    rss_before = rss_mb()
    began = time.perf_counter()
    write(trace)
    took = time.perf_counter() - began
    gc.collect()
    kept = rss_mb() - rss_before
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{n:,} events: {took:.2f} s, {took / n * 1e6:.1f} us per event; resident memory "
        f"{kept:+.0f} MB after writing (peak {peak:.0f} MB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
