"""One live run of a lesson: the loopback server, the real browser, the join.

`run_lesson_live` is what the command line, the window and the tests call; it needs a
QApplication (made with Qt.AA_ShareOpenGLContexts) and returns a Trace whose engine is
"live". `on_trace` is called after every step with the trace so far; `extra_steps` are
the user's own actions after the lesson's.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Mapping, Sequence

from authflow.app.live.engine import WebEngineBrowser
from authflow.simulator.lessons.scenarios import plan_run
from authflow.simulator.live.join import join
from authflow.simulator.live.runner import LiveRun, run_live
from authflow.simulator.live.server import LiveServer
from authflow.simulator.trace.trace import Step, Trace


def run_lesson_live(
    scenario: str,
    mode: str,
    overrides: Mapping[str, str] | None = None,
    seed: int | None = None,
    on_trace: Callable[[Trace], object] | None = None,
    extra_steps: Sequence[Step] = (),
) -> Trace:
    plan = plan_run(scenario, mode, overrides, extra_steps)
    lesson = plan.scenario
    order = itertools.count()
    wall_start = time.time()
    with LiveServer(mode, plan.settings, seed, order) as server:
        server.page_config = {
            "mode": mode,
            "token_storage": server.world.config.text("token_storage"),
        }
        browser = WebEngineBrowser(order)
        try:

            def joined(run: LiveRun) -> Trace:
                return join(
                    run,
                    browser.cdp,
                    browser.cookie_signals,
                    wall_start=wall_start,
                    scenario=lesson.name,
                    title=lesson.title,
                    seed=seed,
                )

            def step_done(run: LiveRun) -> None:
                if on_trace is not None:
                    on_trace(joined(run))

            run = run_live(plan.steps, server, browser, step_done)
            return joined(run)
        finally:
            browser.close()
