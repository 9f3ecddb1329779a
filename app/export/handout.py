"""The handout: a lesson's run as a PDF, one page per action (or per event), text as text.

A title page gives the lesson, its summary, the mode and the settings in force; each
following page shows the stage after the action, its narration, and what changed in the
cookie jar, on the wire and in the store. QPdfWriter keeps every word a word: the stage
is painted with its item caches off, so no text reaches the PDF as a bitmap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QRectF, Qt
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

from authflow.app.export.options import ExportError
from authflow.app.export.scenes import stage_scene
from authflow.app.views.inspectors.clock_text import expiry
from authflow.simulator.trace.clock import format_t

if TYPE_CHECKING:
    from authflow.simulator.trace.trace import CookieRow, Event, State, StoreEntry, Trace

PageUnit = Literal["action", "event"]
DPI = 300
HEADER_VALUE = 96
"""Header values longer than this are cut on the page (tokens run to hundreds of bytes)."""


@dataclass(frozen=True, slots=True)
class HandoutOptions:
    """One handout as the dialog or the command line asked for it."""

    per: PageUnit = "action"
    theme: str = "light"
    summary: str = ""
    """The lesson's summary for the title page (the lesson file has it, the trace not)."""


@dataclass(frozen=True, slots=True)
class Page:
    """What one page covers: trace indexes `first`..`last` and the words for it."""

    first: int
    last: int
    heading: str
    narration: str


def pages(trace: Trace, per: PageUnit) -> list[Page]:
    """The pages after the title page, in order."""
    events = trace.events
    if per == "event":
        return [
            Page(i, i, f"Step {i + 1} of {len(events)} · {format_t(e.t)} · {e.label}", e.explain)
            for i, e in enumerate(events)
        ]
    out: list[Page] = []
    start = 0
    for i, event in enumerate(events):
        if i + 1 < len(events) and events[i + 1].step == event.step:
            continue
        first = events[start]
        # An action opens with its note, whose explain is the narration the app shows.
        narration = first.explain if first.kind == "note" else ""
        heading = f"Action {event.step + 1} · {format_t(first.t)} · {first.label}"
        out.append(Page(start, i, heading, narration))
        start = i + 1
    return out


def handout(trace: Trace, options: HandoutOptions) -> bytes:
    """The PDF's bytes."""
    if not trace.events:
        raise ExportError("This run has no events to put in a handout.")
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(DPI)
    writer.setTitle(f"{trace.title or trace.scenario} ({trace.mode} mode)")
    writer.setCreator("Authflow")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    painter = QPainter(writer)
    try:
        area = QRectF(writer.pageLayout().paintRectPixels(DPI))
        area.moveTo(0, 0)
        the_pages = pages(trace, options.per)
        _text(painter, area, title_html(trace, options, the_pages))
        scene, _ = stage_scene(trace, options.theme, 0)
        for page in the_pages:
            writer.newPage()
            scene.show(page.last, animate=False)
            source = scene.sceneRect()
            height = area.width() * source.height() / source.width()
            picture = QRectF(area.left(), area.top(), area.width(), height)
            scene.render(painter, picture, source, Qt.AspectRatioMode.KeepAspectRatio)
            below = QRectF(area.left(), picture.bottom() + DPI * 0.15, area.width(), 0)
            below.setBottom(area.bottom())
            _text(painter, below, page_html(trace, page))
    finally:
        painter.end()
    return bytes(buffer.data().data())


def _text(painter: QPainter, rect: QRectF, html: str) -> None:
    """Lay `html` out in `rect`; shrink it to fit rather than spill onto another page."""
    doc = QTextDocument()
    font = doc.defaultFont()
    font.setPixelSize(round(DPI * 10 / 72))  # 10 pt at the writer's resolution
    # No ligatures: a PDF reader's search and copy would see "ﬁrst" instead of "first".
    font.setFeature(QFont.Tag("liga"), 0)
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    doc.setHtml(html)
    doc.setTextWidth(rect.width())
    height = doc.size().height()
    scale = min(1.0, rect.height() / height) if height > 0 else 1.0
    if scale < 1.0:
        doc.setTextWidth(rect.width() / scale)
        scale = min(1.0, rect.height() / doc.size().height())
    painter.save()
    painter.translate(rect.topLeft())
    painter.scale(scale, scale)
    doc.drawContents(painter, QRectF(QRectF(0, 0, rect.width() / scale, rect.height() / scale)))
    painter.restore()


def _px(points: float) -> int:
    """Points as pixels at the writer's resolution (CSS pt would follow the screen's)."""
    return round(points * DPI / 72)


_STYLE = (
    f"<style>h1{{font-size:{_px(20)}px}} h2{{font-size:{_px(14)}px}}"
    f" h3{{font-size:{_px(11)}px; margin-top:{_px(6)}px}}"
    f" .m{{font-family:monospace; font-size:{_px(8)}px}} .q{{color:#555}}</style>"
)


def title_html(trace: Trace, options: HandoutOptions, the_pages: Sequence[Page]) -> str:
    title = escape(trace.title or trace.scenario)
    parts = [_STYLE, f"<h1>{title}</h1>", f"<h2>{escape(trace.mode)} mode</h2>"]
    if options.summary:
        parts.append(f"<p>{escape(options.summary)}</p>")
    seed = f", seed {trace.seed}" if trace.seed is not None else ""
    parts.append(
        f"<p class=q>A simulated run: {len(trace.events)} events{seed}. "
        "Each page shows the stage after "
        + ("one action" if options.per == "action" else "one event")
        + ", its narration, and what changed.</p>"
    )
    parts.append("<h3>Pages</h3><p>")
    parts += [f"{escape(p.heading)}<br>" for p in the_pages]
    parts.append("</p><h3>Settings in force</h3><p class=m>")
    parts += [f"{escape(str(k))} = {escape(str(v))}<br>" for k, v in trace.settings.items()]
    parts.append("</p>")
    return "".join(parts)


def page_html(trace: Trace, page: Page) -> str:
    events = trace.events[page.first : page.last + 1]
    # The run opens with a note whose state is the world before anything was done (the
    # users table already seeded): the first page's changes count from there.
    before = trace.events[max(0, page.first - 1)].state
    after = events[-1].state
    parts = [_STYLE, f"<h2>{escape(page.heading)}</h2>"]
    if page.narration:
        parts.append(f"<p>{escape(page.narration)}</p>")
    if len(events) > 1:
        parts.append("<h3>What happened</h3><p>")
        parts += [
            f"<b>{e.seq + 1}</b> {escape(e.label)} — {escape(e.explain)}<br>"
            for e in events
            if e.kind != "note" or e.seq != events[0].seq
        ]
        parts.append("</p>")
    parts += _section("Cookie jar", cookie_changes(before, after, events[-1].t))
    parts += _section("On the wire", [line for e in events for line in wire_lines(e)], mono=True)
    parts += _section("Store", store_changes(before, after))
    return "".join(parts)


def _section(title: str, lines: Sequence[str], mono: bool = False) -> list[str]:
    if not lines:
        return [f"<h3>{title}</h3><p class=q>no change</p>"]
    css = " class=m" if mono else ""
    # Leading spaces (header indents) would collapse in HTML.
    body = "<br>".join(escape(line).replace("  ", "&nbsp;&nbsp;") for line in lines)
    return [f"<h3>{title}</h3><p{css}>", body, "</p>"]


def _cookie_text(c: CookieRow, now: float) -> str:
    flags = [f"Path={c.path}", f"SameSite={c.same_site}"]
    flags += [f for f, on in (("HttpOnly", c.http_only), ("Secure", c.secure)) if on]
    value = c.value if len(c.value) <= 40 else c.value[:39] + "…"
    return f"{c.name}={value} ({', '.join(flags)}; {expiry(c.expires, now)})"


def cookie_changes(before: State | None, after: State, now: float) -> list[str]:
    """The jar's rows added (+), changed (~) and removed (-); expiry judged at `now`."""
    old = {(c.name, c.domain, c.path): c for c in (before.cookies if before else ())}
    new = {(c.name, c.domain, c.path): c for c in after.cookies}
    lines = [f"+ {_cookie_text(c, now)}" for k, c in new.items() if k not in old]
    lines += [
        f"~ {_cookie_text(c, now)}" for k, c in new.items() if k in old and old[k].value != c.value
    ]
    lines += [f"- {c.name} removed" for k, c in old.items() if k not in new]
    return lines


def _entry_text(e: StoreEntry) -> str:
    value = e.value if len(e.value) <= 60 else e.value[:59] + "…"
    return value


def store_changes(before: State | None, after: State) -> list[str]:
    lines: list[str] = []
    old_stores: Mapping[str, Mapping[str, StoreEntry]] = before.stores if before else {}
    for name, entries in after.stores.items():
        old = old_stores.get(name, {})
        prefix = f"{name}: " if len(after.stores) > 1 else ""
        lines += [f"+ {prefix}{k} = {_entry_text(v)}" for k, v in entries.items() if k not in old]
        lines += [
            f"~ {prefix}{k} = {_entry_text(v)}"
            for k, v in entries.items()
            if k in old and old[k].value != v.value
        ]
        lines += [f"- {prefix}{k} deleted" for k in old if k not in entries]
    return lines


def wire_lines(event: Event) -> list[str]:
    """A request's or response's start line and headers, long values cut."""
    d = event.detail
    if event.kind == "request" and not d.get("forwarded"):
        first = f"{event.src} → {event.dst}: {d.get('method')} {d.get('url')}"
    elif event.kind == "response" and event.dst in ("browser", "attacker"):
        first = f"{event.src} → {event.dst}: {d.get('status')} {d.get('reason', '')}"
    else:
        return []
    lines = [first]
    for name, value in d.get("headers", ()):
        text = str(value)
        if len(text) > HEADER_VALUE:
            text = text[: HEADER_VALUE - 1] + "…"
        lines.append(f"    {name}: {text}")
    return lines
