"""The stage's actors other than the browser: server, load balancer, store, attacker.

Each actor is a QGraphicsObject that draws itself (vector, so it scales with the view)
and shows its key state in place, read from the current event: the server's last
verdict, the store's keys with their time left, what the attacker holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from authflow.app.views.palette import Palette
from authflow.app.views.stage.layout import EM, SMALLEST
from authflow.app.views.stage.paint import draw_icon, draw_text, elide, line_height, metrics
from authflow.app.views.wording import plural

if TYPE_CHECKING:
    from authflow.simulator.trace.trace import Event, State

# authflow.simulator.trace.details (the trace's typed records) is imported inside the functions that
# read an event: the window paints its first frame before the simulator loads.

SMALL = 0.78


@dataclass(frozen=True, slots=True)
class StageContext:
    """What every actor needs to draw the current event's state."""

    event: Event | None
    previous: State | None
    """State after the event before this one (to highlight what just changed)."""
    verdicts: Mapping[str, Event] = field(default_factory=dict)
    """Actor name -> the last verdict event it gave, up to the current event."""
    mode: str = ""
    settings: Mapping[str, object] = field(default_factory=dict)
    attacker_site: str = "evil.example"
    """The host the attacker last acted from, up to the current event (evil.example, or a
    sibling subdomain such as evil.app.example)."""

    @property
    def now(self) -> float:
        return self.event.t if self.event is not None else 0.0

    @property
    def state(self) -> State | None:
        return self.event.state if self.event is not None else None


def time_left(expires: float | None, now: float) -> str:
    """ "29m left", "expired 3s ago", or "no expiry", on the simulated clock."""
    if expires is None:
        return "no expiry"
    delta = expires - now
    if delta <= 0:
        return f"expired {duration(-delta)} ago"
    return f"{duration(delta)} left"


def duration(seconds: float) -> str:
    s = round(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m" + (f" {s % 60}s" if s % 60 and s < 600 else "")
    if s < 86400:
        return f"{s // 3600}h" + (f" {s % 3600 // 60}m" if s % 3600 // 60 else "")
    return f"{s // 86400}d" + (f" {s % 86400 // 3600}h" if s % 86400 // 3600 else "")


class ActorItem(QGraphicsObject):
    """An actor box: a title, an outline (bold while the current event involves it)."""

    title = "actor"

    def __init__(self, name: str, palette: Palette) -> None:
        super().__init__()
        self.name = name
        self.palette = palette
        self.active = False
        self.context = StageContext(None, None)
        self._w = 10 * EM
        self._h = 5 * EM
        # Actors change only between events, so the scene paints them into the view's
        # cached background (see StageScene.drawBackground) instead of every frame.
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents)

    # Geometry -------------------------------------------------------------------------
    def set_rect(self, rect: QRectF) -> None:
        if rect.width() != self._w or rect.height() != self._h:
            self.prepareGeometryChange()
            self._w, self._h = rect.width(), rect.height()
        self.setPos(rect.topLeft())

    def scene_rect(self) -> QRectF:
        return QRectF(self.pos(), self.size_rect().size())

    def size_rect(self) -> QRectF:
        return QRectF(0, 0, self._w, self._h)

    def boundingRect(self) -> QRectF:
        pad = 0.2 * EM
        return self.size_rect().adjusted(-pad, -pad, pad, pad)

    # State ----------------------------------------------------------------------------
    def set_context(self, context: StageContext, active: bool) -> None:
        self.context = context
        self.active = active
        self.update()

    def set_palette(self, palette: Palette) -> None:
        self.palette = palette
        self.update()

    def outline_pen(self) -> QPen:
        if self.active:
            return QPen(self.palette.color("actor_active"), 0.22 * EM)
        return QPen(self.palette.color("actor"), 0.1 * EM)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        """Unused: the item has no contents of its own; `draw` paints it."""

    def draw(self, painter: QPainter) -> None:
        """Paint the actor in its own coordinates (called by the scene's background)."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.paint_actor(painter, self.size_rect())

    def paint_actor(self, painter: QPainter, rect: QRectF) -> None:
        self.paint_box(painter, rect, self.title)

    def paint_box(self, painter: QPainter, rect: QRectF, title: str, subtitle: str = "") -> float:
        """Rounded box with a title bar; returns the y below the title bar."""
        p = self.palette
        painter.setPen(self.outline_pen())
        painter.setBrush(p.color("surface"))
        painter.drawRoundedRect(rect, 0.5 * EM, 0.5 * EM)
        bar_h = 2.0 * EM
        painter.setPen(QPen(p.color("arrow"), 0.06 * EM))
        painter.drawLine(QPointF(rect.left(), bar_h), QPointF(rect.right(), bar_h))
        x = rect.left() + 0.7 * EM
        draw_text(
            painter,
            x,
            0.4 * EM,
            title,
            p.color("text"),
            width=rect.width() - 1.4 * EM,
            scale=1.0,
            bold=True,
        )
        if subtitle:
            tw = metrics(1.0, bold=True).horizontalAdvance(title) + 0.6 * EM
            draw_text(
                painter,
                x + tw,
                0.52 * EM,
                subtitle,
                p.color("muted"),
                width=rect.width() - 1.4 * EM - tw,
                scale=SMALL,
            )
        return bar_h


class ServerItem(ActorItem):
    """An app server: its name, what it checks in this mode, and its last verdict."""

    title = "server"

    def paint_actor(self, painter: QPainter, rect: QRectF) -> None:
        from authflow.simulator.trace import details

        p = self.palette
        y = self.paint_box(painter, rect, self.name, "app server")
        x = 0.7 * EM
        w = rect.width() - 1.4 * EM
        checks = {
            "session": "looks the session id up in the store",
            "jwt": "verifies the JWT's signature, no lookup",
            "hybrid": "verifies the access JWT; rotates the refresh token",
        }.get(self.context.mode, "")
        y += 0.4 * EM
        for line in wrap(checks, w, SMALL, 2):
            y += draw_text(painter, x, y, line, p.color("muted"), width=w, scale=SMALL)
        y += 0.4 * EM
        verdict = self.shown_verdict()
        if verdict is None:
            draw_text(painter, x, y, "no verdict yet", p.color("muted"), width=w, scale=SMALL)
            return
        current = self.context.event is not None and self.context.event is verdict
        caption = "verdict" if current else "last verdict"
        y += draw_text(painter, x, y, caption, p.color("muted"), width=w, scale=SMALLEST)
        ok = details.as_verdict(verdict).ok
        icon_h = metrics(0.9, bold=True).height()
        color = p.color("ok" if ok else "blocked")
        draw_icon(painter, "check" if ok else "cross", QRectF(x, y, icon_h, icon_h), color)
        head = self.verdict_head()
        draw_text(
            painter,
            x + icon_h * 1.15,
            y,
            head,
            color,
            width=w - icon_h * 1.15,
            scale=0.9,
            bold=True,
        )
        y += icon_h + 0.15 * EM
        reason = details.as_verdict(verdict).reason
        room = max(1, int((rect.height() - y - 0.4 * EM) // metrics(SMALL).height()))
        if reason:
            for line in wrap(reason, w, SMALL, min(3, room)):
                y += draw_text(painter, x, y, line, p.color("text"), width=w, scale=SMALL)

    def shown_verdict(self) -> Event | None:
        """The verdict this server's box shows: its latest at or before the event."""
        return self.context.verdicts.get(self.name)

    def verdict_head(self) -> str:
        """The box's bold verdict line ("csrf rejected", "jwt: alice"); "" for none."""
        from authflow.simulator.trace import details

        verdict = self.shown_verdict()
        if verdict is None:
            return ""
        v = details.as_verdict(verdict)
        return (
            f"{v.check}: {v.user}"
            if v.ok and v.user
            else f"{v.check} {'ok' if v.ok else 'rejected'}"
        )


class LoadBalancerItem(ActorItem):
    title = "load balancer"

    def paint_actor(self, painter: QPainter, rect: QRectF) -> None:
        p = self.palette
        y = self.paint_box(painter, rect, "load balancer")
        policy = str(self.context.settings.get("lb", self.context.settings.get("balancing", "")))
        text = f"{policy} routing" if policy else "spreads requests"
        draw_text(
            painter,
            0.7 * EM,
            y + 0.6 * EM,
            text,
            p.color("muted"),
            width=rect.width() - 1.4 * EM,
            scale=SMALL,
        )


class StoreItem(ActorItem):
    """A Redis-like store drawn as a cylinder, listing its keys with their time left."""

    title = "store"

    def caption(self) -> str:
        """What the store holds, beside its name: "redis · 1 key"."""
        state = self.context.state
        entries = state.stores.get(self.name, {}) if state is not None else {}
        kind = str(self.context.settings.get("store", "")) or "key/value"
        return f"{kind} · {plural(len(entries), 'key')}"

    def paint_actor(self, painter: QPainter, rect: QRectF) -> None:
        p = self.palette
        cap = 1.6 * EM
        body = QPainterPath()
        body.moveTo(rect.left(), cap / 2)
        body.arcTo(QRectF(rect.left(), 0, rect.width(), cap), 180, -180)
        body.lineTo(rect.right(), rect.height() - cap / 2)
        body.arcTo(QRectF(rect.left(), rect.height() - cap, rect.width(), cap), 0, -180)
        body.closeSubpath()
        painter.setPen(self.outline_pen())
        painter.setBrush(p.color("surface"))
        painter.drawPath(body)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawArc(QRectF(rect.left(), 0, rect.width(), cap), 180 * 16, 180 * 16)

        state = self.context.state
        entries = state.stores.get(self.name, {}) if state is not None else {}
        previous = self.context.previous.stores.get(self.name, {}) if self.context.previous else {}
        x, w = 0.8 * EM, rect.width() - 1.6 * EM
        y = cap + 0.1 * EM
        title_w = metrics(1.0, bold=True).horizontalAdvance(self.name) + 0.5 * EM
        draw_text(painter, x, y, self.name, p.color("text"), bold=True)
        draw_text(
            painter,
            x + title_w,
            y + 0.12 * EM,
            self.caption(),
            p.color("muted"),
            width=w - title_w,
            scale=SMALL,
        )
        y += 1.6 * EM
        if not entries:
            draw_text(painter, x, y, "(empty)", p.color("muted"), scale=SMALL)
            return
        line_h = line_height(SMALL)
        room = int((rect.height() - cap - y) // (2 * line_h + 0.3 * EM))
        items = list(entries.items())
        shown = items if len(items) <= room else items[: max(0, room - 1)]
        for key, entry in shown:
            changed = key not in previous or previous[key] != entry
            if changed:
                painter.setPen(Qt.PenStyle.NoPen)
                hl = p.color("store_hop")
                hl.setAlphaF(0.18)
                painter.setBrush(hl)
                painter.drawRoundedRect(
                    QRectF(x - 0.3 * EM, y - 0.1 * EM, w + 0.6 * EM, 2 * line_h + 0.2 * EM),
                    0.3 * EM,
                    0.3 * EM,
                )
            ttl = time_left(entry.expires, self.context.now)
            ttl_w = metrics(SMALL).horizontalAdvance(ttl) + 0.4 * EM
            draw_text(
                painter,
                x,
                y,
                key,
                p.color("text"),
                width=w - ttl_w,
                scale=SMALL,
                mono=True,
                bold=changed,
            )
            draw_text(painter, x + w - ttl_w + 0.4 * EM, y, ttl, p.color("muted"), scale=SMALL)
            y += line_h
            draw_text(
                painter,
                x + 0.8 * EM,
                y,
                entry.value,
                p.color("muted"),
                width=w - 0.8 * EM,
                scale=SMALL,
                mono=True,
            )
            y += line_h + 0.3 * EM
        if len(shown) < len(items):
            draw_text(
                painter, x, y, f"+ {len(items) - len(shown)} more", p.color("muted"), scale=SMALL
            )


class AttackerItem(ActorItem):
    """The attacker's site (evil.example, or the subdomain it acts from) and what the
    attacker holds so far."""

    title = "attacker"

    def paint_actor(self, painter: QPainter, rect: QRectF) -> None:
        p = self.palette
        pen = self.outline_pen()
        pen.setColor(p.color("attack") if not self.active else p.color("actor_active"))
        painter.setPen(pen)
        painter.setBrush(p.color("surface"))
        painter.drawRoundedRect(rect, 0.5 * EM, 0.5 * EM)
        icon_h = 1.3 * EM
        draw_icon(
            painter, "warning", QRectF(0.6 * EM, 0.35 * EM, icon_h, icon_h), p.color("attack")
        )
        # "attacker" in bold, its site smaller beside it (as the server's role is): the
        # whole line in bold would not fit the box and read "attacker · evil.ex…".
        x = 0.8 * EM + icon_h
        room = rect.width() - 1.4 * EM - icon_h
        draw_text(painter, x, 0.4 * EM, "attacker", p.color("attack"), width=room, bold=True)
        tw = metrics(1.0, bold=True).horizontalAdvance("attacker") + 0.5 * EM
        draw_text(
            painter,
            x + tw,
            0.52 * EM,
            self.context.attacker_site,
            p.color("attack"),
            width=room - tw,
            scale=SMALL,
        )
        x, w = 0.7 * EM, rect.width() - 1.4 * EM
        y = 2.2 * EM
        held = dict(self.context.state.attacker) if self.context.state is not None else {}
        if not held:
            draw_text(painter, x, y, "holds nothing yet", p.color("muted"), width=w, scale=SMALL)
            return
        y += draw_text(painter, x, y, "holds:", p.color("muted"), scale=SMALL)
        line_h = line_height(SMALL)
        room = max(1, int((rect.height() - y - 0.3 * EM) // line_h))
        for name, value in list(held.items())[:room]:
            y += draw_text(
                painter, x, y, f"{name} = {value}", p.color("text"), width=w, scale=SMALL, mono=True
            )


class PhoneItem(ActorItem):
    """The user's second device (a phone): a browser of its own, drawn as a small box;
    the trace's state is the main browser's, so its jar is not shown here."""

    title = "phone"

    def paint_actor(self, painter: QPainter, rect: QRectF) -> None:
        p = self.palette
        pen = self.outline_pen()
        if self.active:
            pen.setColor(p.color("actor_active"))
        painter.setPen(pen)
        painter.setBrush(p.color("surface"))
        painter.drawRoundedRect(rect, 0.5 * EM, 0.5 * EM)
        x, w = 0.7 * EM, rect.width() - 1.4 * EM
        y = 0.4 * EM
        y += draw_text(painter, x, y, "phone", p.color("text"), width=w, bold=True)
        draw_text(
            painter,
            x,
            y + 0.2 * EM,
            "a second browser, own cookies",
            p.color("muted"),
            width=w,
            scale=SMALL,
        )


def wrap(text: str, width: float, scale: float, max_lines: int) -> list[str]:
    """Greedy word wrap to `width`; the last line is elided when text remains."""
    m = metrics(scale)
    lines: list[str] = []
    words = text.split()
    current = ""
    while words:
        candidate = f"{current} {words[0]}".strip()
        if m.horizontalAdvance(candidate) <= width or not current:
            current = candidate
            words.pop(0)
            continue
        lines.append(current)
        current = ""
        if len(lines) == max_lines - 1:
            current = " ".join(words)
            words = []
    if current:
        lines.append(elide(current, width, scale) if len(lines) == max_lines - 1 else current)
    return lines[:max_lines]
