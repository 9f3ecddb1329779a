"""The player: owns the trace being shown, the current event index and playback."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

if TYPE_CHECKING:
    from authflow.simulator.trace.trace import Event, Trace


BASE_INTERVAL_MS = 1200
"""Time between events at 1x speed; animations scale their durations to fit inside it."""

SPEEDS: tuple[float, ...] = (0.25, 0.5, 1.0, 2.0, 4.0)


class Player(QObject):
    """Steps through a trace. Going back only shows an earlier event's recorded state."""

    trace_changed = Signal(object)
    step_changed = Signal(int)
    playing_changed = Signal(bool)
    speed_changed = Signal(float)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._trace: Trace | None = None
        self._index = -1
        self._speed = 1.0
        self._timer = QTimer(self)
        self._timer.setInterval(BASE_INTERVAL_MS)
        self._timer.timeout.connect(self._tick)

    @property
    def trace(self) -> Trace | None:
        return self._trace

    @property
    def index(self) -> int:
        return self._index

    @property
    def current_event(self) -> Event | None:
        # Not `event`: that would shadow QObject.event(), the virtual Qt dispatches to.
        if self._trace is None or not 0 <= self._index < len(self._trace.events):
            return None
        return self._trace.events[self._index]

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    def set_trace(self, trace: Trace, index: int | None = None) -> None:
        """Show a new trace at `index` (default: its last event, or -1 when empty)."""
        self._trace = trace
        last = len(trace.events) - 1
        self._index = last if index is None else max(-1, min(index, last))
        self.trace_changed.emit(trace)
        self.step_changed.emit(self._index)

    def jump(self, index: int) -> None:
        if self._trace is None:
            return
        index = max(0, min(index, len(self._trace.events) - 1))
        if index != self._index:
            self._index = index
            self.step_changed.emit(index)

    def step_forward(self) -> bool:
        if self._trace is None or self._index >= len(self._trace.events) - 1:
            self.pause()
            return False
        self._index += 1
        self.step_changed.emit(self._index)
        return True

    def step_back(self) -> bool:
        if self._trace is None or self._index <= 0:
            return False
        self._index -= 1
        self.step_changed.emit(self._index)
        return True

    def restart(self) -> None:
        self.pause()
        if self._trace is not None and self._trace.events:
            self._index = 0
            self.step_changed.emit(0)

    def play(self) -> None:
        if self._trace is None or not self._trace.events or self.playing:
            return
        if self._index >= len(self._trace.events) - 1:
            self._index = -1
            self.step_forward()
        self._timer.start()
        self.playing_changed.emit(True)

    def pause(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self.playing_changed.emit(False)

    def toggle(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play()

    def set_speed(self, speed: float) -> None:
        speed = max(SPEEDS[0], min(speed, SPEEDS[-1]))
        self._speed = speed
        self._timer.setInterval(round(BASE_INTERVAL_MS / speed))
        self.speed_changed.emit(speed)

    def _tick(self) -> None:
        self.step_forward()
