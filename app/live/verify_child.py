"""One live run of `authflow verify --all`, in a process of its own.

Qt WebEngine does not take dozens of Chromium runs in one process well: a run's
network callbacks can outlive its page and bring the whole process down (seen as a
segfault partway through `verify --all`). Each lesson and mode therefore runs here, in a
child process; the parent reads one JSON line and a crash costs only that row.

    python -m authflow.app.live.verify_child '["xss", "hybrid", {}, null]'
"""

from __future__ import annotations

import json
import sys


def main(argv: list[str]) -> int:
    from authflow import simulator
    from authflow.app.live.command import live_trace
    from authflow.simulator.live.agreement import compare_runs

    lesson, mode, overrides, seed = json.loads(argv[0])
    simulated = simulator.run_scenario(lesson, mode, overrides, seed)
    agreement = compare_runs(simulated, live_trace(lesson, mode, overrides, seed))
    explained = sum(1 for d in agreement.differences if d.explained)
    print(json.dumps({"differ": len(agreement.differences), "explained": explained}))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
