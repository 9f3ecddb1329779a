"""What the user asked for (lesson, mode, settings, extra actions) and the trace it gives.

Every change re-runs the simulator from the start with the same seed, so the app never
decides an outcome itself and the same inputs always give the same trace.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from authflow.app.session.player import Player
from authflow.simulator.config.modes import MODES

if TYPE_CHECKING:
    from authflow.simulator.trace.trace import Step, Trace


class RunController(QObject):
    """Rebuilds the run from the simulator whenever one of its inputs changes."""

    run_changed = Signal()
    error = Signal(str)

    def __init__(
        self,
        player: Player,
        scenario: str = "basics",
        mode: str = "session",
        seed: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.player = player
        self.scenario = scenario
        self.mode = mode
        # One seed per run of the app: re-simulating after an edit keeps every secret and
        # id the same, so only what the user changed changes.
        self.seed = random_seed() if seed is None else seed
        self.overrides: dict[str, str] = {}
        self.extra_steps: list[Step] = []
        self.trace: Trace | None = None

    def rebuild(self, index: int | None = None) -> Trace:
        from authflow import simulator

        trace = simulator.run_scenario(
            self.scenario, self.mode, self.overrides, self.seed, self.extra_steps
        )
        self.trace = trace
        self.player.set_trace(trace, index)
        self.run_changed.emit()
        return trace

    def set_mode(self, mode: str, index: int | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; choose from {', '.join(MODES)}")
        previous = self.mode
        self.mode = mode
        try:
            self.rebuild(index)
        except Exception:
            self.mode = previous  # keep the inputs in step with the trace still shown
            raise

    def set_scenario(self, name: str, index: int | None = None) -> None:
        previous = (self.scenario, list(self.extra_steps))
        self.scenario = name
        self.extra_steps.clear()
        try:
            self.rebuild(index)
        except Exception:
            self.scenario, self.extra_steps = previous
            raise

    def set_setting(self, key: str, value: str) -> None:
        self.set_settings({**self.overrides, key: value})

    def set_settings(self, overrides: Mapping[str, str]) -> None:
        previous = self.overrides
        self.overrides = dict(overrides)
        try:
            self.rebuild(self.player.index)
        except Exception:
            self.overrides = previous  # a refused value must not poison every later run
            raise

    def append_step(self, step: Step) -> None:
        """Add a user action after the lesson's; the view jumps to its first event."""
        before = len(self.trace.events) if self.trace is not None else 0
        self.extra_steps.append(step)
        try:
            self.rebuild(before)
        except Exception:
            self.extra_steps.pop()  # a step the simulator refuses must not poison later runs
            raise


def random_seed() -> int:
    import secrets

    return secrets.randbits(32)
