"""The stage scene: actors, arrows, the packet in flight, and a callout.

`show(index)` draws trace event `index`: every actor reads its state from that event
(so stepping back is only showing an earlier event), the event's packet travels its
lane (animated when stepping forward), and events that do not travel (verdicts, cookie
and storage changes, attack outcomes) pin a callout to their actor.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from PySide6.QtCore import QEasingCurve, QPropertyAnimation, QRect, QRectF, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

from authflow.app.views.palette import Palette, carry_role, kind_role
from authflow.app.views.stage.actors import (
    ActorItem,
    AttackerItem,
    LoadBalancerItem,
    PhoneItem,
    ServerItem,
    StageContext,
    StoreItem,
    duration,
)
from authflow.app.views.stage.arrows import ArrowItem
from authflow.app.views.stage.browser import BrowserItem
from authflow.app.views.stage.layout import (
    EM,
    REGULAR,
    Sizes,
    StageLayout,
    connect,
    kind_of,
    layout_actors,
    stage_size,
)
from authflow.app.views.stage.packet import CalloutItem, PacketItem
from authflow.app.views.stage.paint import Badge

if TYPE_CHECKING:
    from authflow.simulator.trace.trace import Event, Trace

# authflow.simulator.trace.details (the trace's typed records) is imported inside the functions that
# read an event: the window paints its first frame before the simulator loads.

TRAVELLING = ("request", "response", "store", "attack")
TRAIL_LOOKBACK = 200
"""How far back (events) a lane's faint last label is searched within one action."""

ITEM_CLASSES: dict[str, type[ActorItem]] = {
    "browser": BrowserItem,
    "server": ServerItem,
    "store": StoreItem,
    "lb": LoadBalancerItem,
    "attacker": AttackerItem,
    "phone": PhoneItem,
}


class StageScene(QGraphicsScene):
    """Plays a trace's events on a stage of actor items."""

    event_shown = Signal(int)
    """Emitted with the index of every event drawn (tests read the order from it)."""
    cast_changed = Signal()
    """The actors on the stage changed (the view's least size depends on them)."""

    def __init__(
        self,
        palette: Palette,
        duration_ms: Callable[[], int] | int = 600,
        parent: object | None = None,
    ) -> None:
        super().__init__()
        # A handful of items, some moving every frame: a BSP index would be rebuilt
        # on every move and buys nothing for so few items.
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.theme = palette
        self.duration_ms = duration_ms
        """Packet travel time; an int, or a callable read at each step. 0: no animation."""
        self.trace: Trace | None = None
        self.index = -1
        self.actors: dict[str, ActorItem] = {}
        self.arrows: dict[tuple[str, str], ArrowItem] = {}
        self.layout: StageLayout | None = None
        self._aspect = 16 / 9
        self.sizes: Sizes = REGULAR
        """The actors' sizes; `set_sizes(layout.COMPACT)` for a narrow pane."""
        self._verdicts: list[Mapping[str, Event]] = []
        self._attacker_sites: list[str] = []
        self.packet = PacketItem(palette)
        self.packet.setVisible(False)
        self.addItem(self.packet)
        self.callout = CalloutItem(palette)
        self.callout.setVisible(False)
        self.addItem(self.callout)
        self.animation = QPropertyAnimation(self.packet, b"progress", self)
        self.animation.setEasingCurve(QEasingCurve.Type.InOutQuad)
        self.setBackgroundBrush(palette.color("background"))
        self._build(("browser", "server", "store"))

    # Trace and layout --------------------------------------------------------------
    def set_trace(self, trace: Trace) -> None:
        self.stop()
        self.trace = trace
        actors = tuple(a for a in trace.actors if kind_of(a) in ITEM_CLASSES)
        if "browser" not in actors:
            actors = ("browser", *actors)
        recast = set(actors) != set(self.actors)
        if recast:
            self._build(actors)
        self._verdicts = _verdict_index(trace.events)
        self._attacker_sites = _attacker_site_index(trace.events)
        pairs = {_pair(e.src, e.dst, actors) for e in trace.events if e.src != e.dst}
        for pair in sorted(p for p in pairs if p is not None):
            if pair not in self.arrows:
                self._add_arrow(*pair)
        self.relayout()
        self.index = -1
        if recast:
            self.cast_changed.emit()

    def _build(self, actors: Sequence[str]) -> None:
        for item in (*self.actors.values(), *self.arrows.values()):
            self.removeItem(item)
        # The dicts own the items from here on (see the parentItem() pitfall in tests).
        self.actors = {}
        self.arrows = {}
        for name in actors:
            item = ITEM_CLASSES[kind_of(name)](name, self.theme)
            self.actors[name] = item
            self.addItem(item)
        servers = [a for a in actors if kind_of(a) == "server"]
        stores = [a for a in actors if kind_of(a) == "store"]
        front = ["lb"] if "lb" in actors else servers
        for target in front:
            self._add_arrow("browser", target)
        if "lb" in actors:
            for server in servers:
                self._add_arrow("lb", server)
        for server in servers:
            if len(stores) == 1:
                self._add_arrow(server, stores[0])
            else:
                own = f"store-{server.split('-', 1)[-1]}"
                if own in stores:
                    self._add_arrow(server, own)

    def _add_arrow(self, a: str, b: str) -> None:
        if a not in self.actors or b not in self.actors:
            return
        arrow = ArrowItem(a, b, self.theme)
        self.arrows[(a, b)] = arrow
        self.addItem(arrow)

    def set_sizes(self, sizes: Sizes) -> None:
        if sizes != self.sizes:
            self.sizes = sizes
            self.relayout()

    def set_aspect(self, aspect: float) -> None:
        if abs(aspect - self._aspect) > 1e-3:
            self._aspect = aspect
            self.relayout()

    def relayout(self) -> None:
        actors = tuple(self.actors)
        width, height = stage_size(self._aspect, actors, self.sizes)
        layout = layout_actors(actors, width, height, self.sizes)
        self.layout = layout
        for name, item in self.actors.items():
            rect = layout.rects.get(name)
            item.setVisible(rect is not None)
            if rect is not None:
                item.set_rect(rect)
        for (a, b), arrow in self.arrows.items():
            ra, rb = layout.rects.get(a), layout.rects.get(b)
            arrow.setVisible(ra is not None and rb is not None)
            if ra is not None and rb is not None:
                arrow.set_line(connect(ra, rb))
        self.setSceneRect(QRectF(0, 0, layout.width, layout.height))
        self._changed()
        if self.trace is not None and self.index >= 0:
            self.show(self.index, animate=False)

    def set_item_caching(self, on: bool) -> None:
        """Cache the packet and the callout as device pixmaps (on screen, for smooth
        animation) or paint them afresh (exports): a cached item reaches an SVG or PDF
        painter as an embedded bitmap, and its text could not be searched or zoomed."""
        mode = (
            QGraphicsItem.CacheMode.DeviceCoordinateCache if on else QGraphicsItem.CacheMode.NoCache
        )
        self.packet.setCacheMode(mode)
        self.callout.setCacheMode(mode)

    def set_palette(self, palette: Palette) -> None:
        self.theme = palette
        self.setBackgroundBrush(palette.color("background"))
        for actor in self.actors.values():
            actor.set_palette(palette)
        for arrow in self.arrows.values():
            arrow.set_palette(palette)
        self._changed()
        self.packet.palette = palette
        self.callout.palette = palette
        self.packet.update()
        self.callout.update()

    # Showing an event ----------------------------------------------------------------
    def show(self, index: int, animate: bool = False) -> None:
        """Draw event `index` (-1: the stage before anything happened)."""
        self.stop()
        trace = self.trace
        self.index = index
        if trace is None or not 0 <= index < len(trace.events):
            context = StageContext(
                None,
                None,
                mode=trace.mode if trace else "",
                settings=trace.settings if trace else {},
            )
            for item in self.actors.values():
                item.set_context(context, False)
            self.packet.setVisible(False)
            self.callout.setVisible(False)
            for arrow in self.arrows.values():
                arrow.set_state(None, ["", ""])
            self._changed()
            return
        event = trace.events[index]
        previous = trace.events[index - 1].state if index > 0 else None
        context = StageContext(
            event,
            previous,
            self._verdicts[index],
            trace.mode,
            trace.settings,
            self._attacker_sites[index],
        )
        for name, item in self.actors.items():
            item.set_context(context, name in (event.src, event.dst))
        self._show_trail(index)
        self._changed()
        self._show_packet(event, animate)
        if self.packet.isVisible():
            resting = self.packet.resting_rect()
            for arrow in self.arrows.values():
                arrow.hide_trails_under(resting)
        self._show_callout(event)
        self.event_shown.emit(index)

    def _show_trail(self, index: int) -> None:
        assert self.trace is not None
        events = self.trace.events
        step = events[index].step
        trails: dict[tuple[str, str], list[str]] = {pair: ["", ""] for pair in self.arrows}
        j = index - 1
        while j >= 0 and index - j <= TRAIL_LOOKBACK and events[j].step == step:
            e = events[j]
            arrow = self.arrow_for(e.src, e.dst)
            if arrow is not None and e.kind in TRAVELLING:
                lane = arrow.lane_index(e.src)
                slot = trails[(arrow.a, arrow.b)]
                if not slot[lane]:
                    slot[lane] = e.label
            j -= 1
        event = events[index]
        current = self.arrow_for(event.src, event.dst) if event.kind in TRAVELLING else None
        for pair, arrow in self.arrows.items():
            highlight = None
            if arrow is current:
                highlight = (arrow.lane_index(event.src), _kind_role(event))
            arrow.set_state(highlight, trails[pair])
            # A faint label beside a steep lane can reach into a neighbour (the attacker's
            # lane up to the server passes the store): drop it there.
            for actor in self.actors.values():
                if actor.isVisible():
                    arrow.hide_trails_under(actor.scene_rect())

    def arrow_for(self, src: str, dst: str) -> ArrowItem | None:
        return self.arrows.get((src, dst)) or self.arrows.get((dst, src))

    def _show_packet(self, event: Event, animate: bool) -> None:
        from authflow.simulator.trace import details

        arrow = self.arrow_for(event.src, event.dst)
        if event.kind not in TRAVELLING or arrow is None or not arrow.isVisible():
            self.packet.setVisible(False)
            return
        blocked = event.kind == "request" and details.as_request(event).blocked
        failed = event.kind == "response" and details.as_response(event).status >= 400
        if event.kind == "attack" and not details.as_attack(event).success:
            failed = True
        icon = "no_entry" if blocked else ("cross" if failed else "")
        self.packet.set_packet(
            event.label,
            event.kind,
            arrow.lane(event.src, event.dst),
            badges_for(event),
            icon=icon,
            refused=blocked,
            stop_at=0.45 if blocked else 1.0,
            avoid=[self.actors[a].scene_rect() for a in (event.src, event.dst)],
            obstacles=[
                item.scene_rect()
                for name, item in self.actors.items()
                if item.isVisible() and name not in (event.src, event.dst)
            ],
        )
        self.packet.setVisible(True)
        ms = self.duration_ms() if callable(self.duration_ms) else self.duration_ms
        if animate and ms > 0:
            self.packet.set_progress(0.0)
            self.animation.setDuration(ms)
            self.animation.setStartValue(0.0)
            self.animation.setEndValue(1.0)
            self.animation.start()
        else:
            self.packet.set_progress(1.0)

    def _show_callout(self, event: Event) -> None:
        spec = callout_for(event)
        target = event.dst if event.dst in self.actors else event.src
        if spec is None or target not in self.actors or self.layout is None:
            self.callout.setVisible(False)
            return
        text, icon, role = spec
        rect = self.actors[target].scene_rect()
        stage = self.layout
        if kind_of(target) == "browser":
            max_w = max(10 * EM, stage.width - rect.right() - 2 * EM)
            self.callout.set_callout(text, icon, role, min(max_w, 30 * EM))
            x, y = rect.right() + 0.8 * EM, rect.top() + 0.6 * EM
            w, h = self.callout.size
            box = QRectF(x, y, w, h)
            if any(box.intersects(r) for n, r in stage.rects.items() if n != target):
                # A narrow stage (the columns of a scale-out): a free spot instead.
                x, y = self._callout_spot(target, rect)
        else:
            self.callout.set_callout(text, icon, role, min(30 * EM, stage.width - 2 * EM))
            x, y = self._callout_spot(target, rect)
        self.callout.setPos(x, y)
        self.callout.setVisible(True)
        w, h = self.callout.size
        for arrow in self.arrows.values():
            arrow.hide_trails_under(QRectF(x, y, w, h))

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        """The stage's still layer: background, arrows and actors.

        They change only between events, so they live in the view's cached background
        (CacheBackground): an animation frame blits one opaque pixmap and draws only the
        packet over it. `_changed()` invalidates the cache when an event changes them.
        """
        rect = QRectF(rect)
        painter.fillRect(rect, self.backgroundBrush())
        still: list[ArrowItem | ActorItem] = [*self.arrows.values(), *self.actors.values()]
        for item in still:
            if not item.isVisible() or not item.sceneBoundingRect().intersects(rect):
                continue
            painter.save()
            painter.translate(item.pos())
            item.draw(painter)
            painter.restore()

    def _changed(self) -> None:
        self.invalidate(self.sceneRect(), QGraphicsScene.SceneLayer.BackgroundLayer)

    def _callout_spot(self, target: str, rect: QRectF) -> tuple[float, float]:
        """Above the actor, else below, left or right: the first spot that covers no
        other actor and stays on the stage."""
        assert self.layout is not None
        w, h = self.callout.size
        gap = 0.6 * EM
        stage = QRectF(0, 0, self.layout.width, self.layout.height)
        others = [r for name, r in self.layout.rects.items() if name != target]
        cx = rect.center().x() - w / 2
        cy = rect.center().y() - h / 2
        spots = [
            (cx, rect.top() - h - gap),
            (cx, rect.bottom() + gap),
            (rect.left() - w - gap, cy),
            (rect.right() + gap, cy),
        ]
        blocked = [*others, rect]
        if self.packet.isVisible():
            blocked.append(self.packet.resting_rect())
        for x, y in spots:
            x = max(0.3 * EM, min(x, stage.width() - w - 0.3 * EM))
            box = QRectF(x, y, w, h)
            if stage.contains(box) and not any(box.intersects(r) for r in blocked):
                return x, y
        # No room beside the actor (a narrow stage): the free spot nearest to it.
        target_centre = rect.center()
        best: tuple[float, float, float] | None = None
        step = EM
        ny, nx = int((stage.height() - h) // step), int((stage.width() - w) // step)
        for j in range(ny + 1):
            for i in range(nx + 1):
                box = QRectF(i * step, j * step, w, h)
                if any(box.intersects(r) for r in blocked):
                    continue
                d = (box.center() - target_centre).manhattanLength()
                if best is None or d < best[0]:
                    best = (d, box.x(), box.y())
        if best is not None:
            return best[1], best[2]
        x, y = spots[0]
        return max(0.3 * EM, min(x, stage.width() - w - 0.3 * EM)), max(0.3 * EM, y)

    def stop(self) -> None:
        """Finish any running animation at its end (teardown and every new step)."""
        if self.animation.state() == QPropertyAnimation.State.Running:
            self.animation.stop()
            self.packet.set_progress(1.0)

    @property
    def animating(self) -> bool:
        return self.animation.state() == QPropertyAnimation.State.Running


def _pair(src: str, dst: str, actors: Sequence[str]) -> tuple[str, str] | None:
    if src not in actors or dst not in actors:
        return None
    return (src, dst) if actors.index(src) < actors.index(dst) else (dst, src)


def _kind_role(event: Event) -> str:
    from authflow.simulator.trace import details

    blocked = event.kind == "request" and details.as_request(event).blocked
    return "blocked" if blocked else kind_role(event.kind)


def _verdict_index(events: Sequence[Event]) -> list[Mapping[str, Event]]:
    """For each event index, the last verdict each actor gave so far (shared dicts)."""
    out: list[Mapping[str, Event]] = []
    current: dict[str, Event] = {}
    for event in events:
        if event.kind == "verdict":
            current = {**current, event.dst: event}
            if event.src != event.dst:
                current[event.src] = event
        out.append(current)
    return out


def _attacker_site_index(events: Sequence[Event]) -> list[str]:
    """For each event index, the host the attacker's pages were last served from: the
    host of the last request the browser sent to the attacker (evil.example until then)."""
    from authflow.simulator.trace import details

    out: list[str] = []
    site = "evil.example"
    for event in events:
        if event.kind == "request" and event.dst == "attacker" and event.src == "browser":
            site = urlsplit(details.as_request(event).url).hostname or site
        out.append(site)
    return out


def badges_for(event: Event) -> list[Badge]:
    """The pills a packet wears: what credentials it carries and what was refused."""
    from authflow.simulator.trace import details

    badges: list[Badge] = []
    if event.kind == "request":
        request = details.as_request(event)
        if request.context.cross_site:
            # The CSRF lessons turn on this: the browser sends it, another site asked for it.
            host = (request.context.initiator or "").split("://", 1)[-1]
            text = f"cross-site from {host}" if host else "cross-site"
            badges.append(Badge(text, "attack", short="cross-site"))
        for carry in request.carries:
            badges.append(_carry_badge(carry.header, carry.name, carry.role, refused=False))
        for left in request.left_out[:2]:
            badges.append(Badge(f"{left.name or '?'} not sent", "cookie", refused=True))
        if request.blocked:
            reason = request.block_reason or "blocked by the browser"
            badges.append(Badge(_short(reason, 36), "blocked", refused=True))
    elif event.kind == "response":
        response = details.as_response(event)
        for set_cookie in response.carries:
            badges.append(
                _carry_badge(
                    set_cookie.header, set_cookie.name, set_cookie.role, set_cookie.rejected
                )
            )
        if isinstance(response.body, Mapping):
            for key in response.body:
                if "token" in str(key).lower():
                    badges.append(Badge(f"body: {key}", "bearer"))
    elif event.kind == "store":
        store = details.as_store(event)
        if store.hit is True:
            badges.append(Badge("hit", "ok"))
        elif store.hit is False:
            badges.append(Badge("miss", "muted", refused=True))
        if isinstance(store.ttl, int | float) and store.ttl > 0:
            badges.append(Badge(f"TTL {duration(store.ttl)}", "store_hop"))
    elif event.kind == "attack":
        stolen = details.as_attack(event).stolen
        if stolen:
            badges.append(Badge("stolen: " + ", ".join(stolen), "attack"))
    return badges


def _carry_badge(header: str, name: str, role: str, refused: bool) -> Badge:
    if header == "Authorization":
        text = "Bearer token"
    elif header == "X-CSRF-Token":
        text = "CSRF token"
    else:
        text = f"{header}: {name}" if name else header
    return Badge(text, carry_role(role or "other", header), refused=refused)


def callout_for(event: Event) -> tuple[str, str, str] | None:
    """(text, icon, palette role) for events that happen inside one actor."""
    from authflow.simulator.trace import details

    if event.kind == "verdict":
        v = details.as_verdict(event)
        check = v.check or "check"
        if v.ok:
            return (f"{check} accepted" + (f": {v.user}" if v.user else ""), "check", "ok")
        return (f"{check} rejected" + (f": {v.reason}" if v.reason else ""), "cross", "blocked")
    if event.kind == "cookie":
        c = details.as_cookie(event)
        if c.action == "stored":
            return (f"cookie {c.name} stored", "check", "cookie")
        if c.action == "rejected":
            return (f"cookie {c.name} rejected: {c.reason}", "no_entry", "blocked")
        text = f"cookie {c.name} {c.action}" + (f": {c.reason}" if c.reason else "")
        return (text, "cross", "muted")
    if event.kind == "storage":
        s = details.as_storage(event)
        return (f"{s.area} {s.action} {s.key or ''}".strip(), "dot", "request")
    if event.kind == "attack" and event.src == event.dst:
        a = details.as_attack(event)
        text = f"{a.attack or 'attack'}: " + ("succeeded" if a.success else "failed")
        return (text, "warning" if a.success else "cross", "attack" if a.success else "muted")
    if event.kind == "note":
        return (event.label or details.as_note(event).text, "dot", "muted")
    return None


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
