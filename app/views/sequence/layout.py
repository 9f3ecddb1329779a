"""Where everything of the diagram goes: actor columns, row tops, badge texts.

Computed once per trace in one pass over the events (no Qt items are created), so a
100,000-event trace lays out in a fraction of a second; painting then asks the layout
which rows a rectangle shows (`rows_in`) by bisection.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING

from PySide6.QtGui import QFontMetricsF

from authflow.app.views.eventlog_model import credential_text
from authflow.app.views.sequence.theme import DiagramTheme
from authflow.simulator.trace.details import (
    Marks,
    RequestDetail,
    as_attack,
    as_cookie,
    as_request,
    as_store,
    as_verdict,
    carries,
    marks_of,
)

if TYPE_CHECKING:
    from authflow.simulator.trace.trace import Event, Trace

MARGIN = 24.0
GUTTER = 104.0
"""Left column holding each event's number and simulated time."""
TITLE_H = 34.0
HEADER_H = 40.0
HEADER_GAP = 14.0
LEGEND_H = 46.0
MIN_COLUMN = 190.0
MAX_COLUMN = 360.0

ARROW_ROW = 40.0
"""Label above, arrow below."""
BADGE_ROW = 24.0
"""Extra height when an arrow carries credential badges."""
NOTE_ROW = 34.0

ARROW_KINDS = frozenset({"request", "response", "store", "attack"})
_MEASURE_LIMIT = 4000
"""At most this many distinct labels are measured to size the columns."""

LineStyle = str
""""none", "cookie", "bearer" or "refresh": what an arrow carries, drawn as a dash pattern."""
LINE_STYLES: tuple[LineStyle, ...] = ("none", "cookie", "bearer", "refresh")


def is_arrow(event: Event) -> bool:
    return event.kind in ARROW_KINDS and event.src != event.dst


def line_style(event: Event) -> LineStyle:
    """The strongest credential the event carries: refresh > bearer > cookie > none."""
    best = "none"
    rank = {"none": 0, "cookie": 1, "bearer": 2, "refresh": 3}
    for carry in carries(event):
        if carry.rejected or carry.deletes:
            continue
        role, header = carry.role, carry.header
        if role == "refresh":
            style = "refresh"
        elif header == "Authorization":
            style = "bearer"
        elif header in ("Cookie", "Set-Cookie") and role in ("session", "access", "other"):
            style = "cookie"
        else:
            continue
        if rank[style] > rank[best]:
            best = style
    return best


@dataclass(frozen=True, slots=True)
class Badge:
    text: str
    role: str
    """Palette role of its outline: cookie, bearer, refresh, blocked, muted, ok, attack."""
    crossed: bool = False
    """Drawn struck through with a dashed outline (left out, rejected, blocked)."""


def badges(event: Event) -> tuple[Badge, ...]:
    """The credential badges under an arrow: what it carries and what was left out."""
    out: list[Badge] = []
    for carry in carries(event):
        if carry.rejected:
            reason = carry.reason or "rejected"
            out.append(Badge(f"{carry.header} {carry.name} ✗ {reason}", "blocked", True))
            continue
        out.append(Badge(credential_text(carry), _badge_role(carry.role, carry.header)))
    if event.kind == "request":
        request = as_request(event)
        for left in request.left_out:
            reason = short_reason(left.reason)
            text = f"✗ {left.name}" + (f" ({reason})" if reason else "")
            out.append(Badge(text, "blocked", True))
        initiator = _cross_site_initiator(request)
        if initiator:
            out.append(Badge(f"cross-site from {initiator}", "attack"))
        if request.blocked:
            out.append(Badge(f"⊘ {request.block_reason or 'blocked'}", "blocked", True))
    if event.kind == "attack":
        ok = as_attack(event).success
        out.append(Badge("attack succeeded" if ok else "attack failed", "attack", not ok))
    return tuple(out)


def _cross_site_initiator(request: RequestDetail) -> str:
    """The other site that made the victim's browser send this request, or ""
    (same-site, or sent from the attacker's own machine, where "site" means nothing)."""
    return Marks.of(request).cross_site_initiator


def short_reason(reason: str) -> str:
    """The rule a reason names, for a badge: "Path /a does not match /b" -> "Path"."""
    return reason.split(":")[0].split(" ")[0].strip(" .,;")


def _badge_role(role: str, header: str) -> str:
    if role == "refresh":
        return "refresh"
    if header == "Authorization":
        return "bearer"
    if header in ("Cookie", "Set-Cookie"):
        return "cookie"
    return "muted"


def arrow_label(event: Event) -> str:
    label = event.label
    if event.kind == "store":
        hit = as_store(event).hit
        if hit is not None:
            label += " · hit" if hit else " · miss"
    return label


def note_text(event: Event) -> str:
    """The short note a non-arrow event shows on its lifeline."""
    label = event.label
    verdict = as_verdict(event) if event.kind == "verdict" else None
    if verdict is not None and not verdict.ok and verdict.reason:
        label = f"{label}: {verdict.reason}"
    if label[:1] in _MARKS:
        return label
    if verdict is not None:
        return f"{'✓' if verdict.ok else '✗'} {label}"
    if event.kind == "attack":
        return f"⚠ {label}"
    if event.kind == "cookie" and as_cookie(event).action == "rejected":
        return f"✗ {label}"
    return label


_MARKS = frozenset("✓✗⚠⊘")


class SequenceLayout:
    """Geometry of one trace's diagram in scene coordinates at 1x."""

    def __init__(self, trace: Trace | None, theme: DiagramTheme, title: bool = True) -> None:
        self.trace = trace
        self.events: tuple[Event, ...] = trace.events if trace is not None else ()
        self.title = _title_of(trace) if title and trace is not None else ""
        self.actors = _actors_of(trace)
        label_fm = QFontMetricsF(theme.label_font)
        small_fm = QFontMetricsF(theme.small_font)
        self.column = self._column_width(label_fm, small_fm)
        self.left = MARGIN + GUTTER
        self.x_of = {a: self.left + (i + 0.5) * self.column for i, a in enumerate(self.actors)}
        self.width = self.left + self.column * max(1, len(self.actors)) + MARGIN
        self.header_top = MARGIN + (TITLE_H if self.title else 0.0)
        self.rows_top = self.header_top + HEADER_H + HEADER_GAP
        heights = [_row_height(e) for e in self.events]
        self.tops: list[float] = list(accumulate(heights, initial=self.rows_top))
        self.rows_bottom = self.tops[-1]
        self.styles_used = self._styles_used()
        self.any_blocked = any(
            e.kind == "request" and as_request(e).blocked for e in self.events[:_MEASURE_LIMIT]
        )
        self.height = self.rows_bottom + 12.0 + LEGEND_H + MARGIN

    def __len__(self) -> int:
        return len(self.events)

    def row_top(self, row: int) -> float:
        return self.tops[row]

    def row_bottom(self, row: int) -> float:
        return self.tops[row + 1]

    def row_at(self, y: float) -> int | None:
        """The row under scene y, or None outside the rows."""
        if not self.events or y < self.rows_top or y >= self.rows_bottom:
            return None
        return bisect.bisect_right(self.tops, y) - 1

    def rows_in(self, top: float, bottom: float) -> range:
        """Rows overlapping [top, bottom)."""
        if not self.events:
            return range(0)
        first = max(0, bisect.bisect_right(self.tops, top) - 1)
        last = min(len(self.events), bisect.bisect_left(self.tops, bottom))
        return range(first, max(first, last))

    def _styles_used(self) -> tuple[LineStyle, ...]:
        if len(self.events) > 20000:
            return LINE_STYLES
        seen = {line_style(e) for e in self.events if is_arrow(e)}
        return tuple(s for s in LINE_STYLES if s in seen or s == "none")

    def _column_width(self, label_fm: QFontMetricsF, small_fm: QFontMetricsF) -> float:
        """One width for every column: wide enough for the widest label between neighbours."""
        index = {a: i for i, a in enumerate(self.actors)}
        need = 0.0
        measured: dict[str, float] = {}
        for event in self.events[:_MEASURE_LIMIT]:
            if is_arrow(event):
                span = max(1, abs(index[event.dst] - index[event.src]))
                text = arrow_label(event)
                if text not in measured:
                    measured[text] = label_fm.horizontalAdvance(text)
                # Badges may spill past the arrow's ends (nothing else shares their
                # line), so they widen the columns only when far wider than the span.
                badge_w = sum(small_fm.horizontalAdvance(b.text) + 22 for b in badges(event))
                need = max(need, (measured[text] + 40) / span, badge_w * 0.6 / span)
        return max(MIN_COLUMN, min(MAX_COLUMN, need))


def _row_height(event: Event) -> float:
    if not is_arrow(event):
        return NOTE_ROW
    if event.kind == "attack":
        return ARROW_ROW + BADGE_ROW
    # Marks, not the record: every row is measured, and a long run's records are
    # built only for the rows on screen.
    m = marks_of(event)
    if m.carries or m.left_out or m.blocked or m.cross_site_initiator:
        return ARROW_ROW + BADGE_ROW
    return ARROW_ROW


def _actors_of(trace: Trace | None) -> tuple[str, ...]:
    if trace is None:
        return ()
    actors = list(trace.actors)
    seen = set(actors)
    for event in trace.events:
        for name in (event.src, event.dst):
            if name not in seen:
                seen.add(name)
                actors.append(name)
    return tuple(actors)


def _title_of(trace: Trace) -> str:
    name = trace.title or trace.scenario
    return f"{name} — {trace.mode} mode"
