"""Where the stage's text lands, read from its items, and what is wrong with it.

`collect(scene)` paints every visible item into a QPicture (no pixels: the painter
only records) with `paint.recording()` open, so each line of text comes back with its
box, its font size and the card it belongs to. `problems()` states the layout rules of
DESIGN.md section 6: no two text boxes intersect, no text leaves its card (or sticks
into a card it is not in), no card leaves its actor, and no text is smaller than the
floor on screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPicture, QPolygonF, QTransform
from PySide6.QtWidgets import QStyleOptionGraphicsItem

from authflow.app.views.stage import paint
from authflow.app.views.stage.actors import ActorItem
from authflow.app.views.stage.layout import EM
from authflow.app.views.stage.scene import StageScene

TOLERANCE = 0.04 * EM
"""Boxes may touch: antialiasing and rounding make shared edges overlap by a hair."""


@dataclass(frozen=True, slots=True)
class Text:
    owner: str
    """The actor's name, "packet", "callout" or "arrow a-b"."""
    text: str
    outline: QPolygonF
    inner: QPolygonF
    """The outline shrunk by TOLERANCE (what must not intersect anything)."""
    bounds: QRectF
    """`inner`'s bounding box (a cheap first test)."""
    pixel_size: float
    """Font size in scene units."""


@dataclass(slots=True)
class Layout:
    texts: list[Text] = field(default_factory=list)
    cards: dict[str, QRectF] = field(default_factory=dict)
    """Owner -> the box its text must stay in (actors, packet, callout)."""
    inner_cards: list[tuple[str, QPolygonF]] = field(default_factory=list)


def _texts(owner: str, record: paint.TextRecord) -> list[Text]:
    out = []
    for rect, world, size, text in record.texts:
        t = TOLERANCE
        inner = rect.adjusted(t, t, -t, -t) if rect.width() > 2 * t else rect
        shrunk = world.map(QPolygonF(inner))
        out.append(
            Text(owner, text, world.map(QPolygonF(rect)), shrunk, shrunk.boundingRect(), size)
        )
    return out


def collect(scene: StageScene) -> Layout:
    layout = Layout()
    picture = QPicture()
    painter = QPainter(picture)
    option = QStyleOptionGraphicsItem()
    try:
        for arrow in scene.arrows.values():
            if not arrow.isVisible():
                continue
            with paint.recording() as record:
                painter.setWorldTransform(QTransform())
                arrow.draw(painter)
            layout.texts += _texts(f"arrow {arrow.a}-{arrow.b}", record)
        for name, actor in scene.actors.items():
            if not actor.isVisible():
                continue
            layout.cards[name] = actor.scene_rect()
            with paint.recording() as record:
                painter.setWorldTransform(QTransform.fromTranslate(actor.x(), actor.y()))
                ActorItem.draw(actor, painter)
            layout.texts += _texts(name, record)
            layout.inner_cards += [(name, card) for card in record.cards]
        for owner, item in (("packet", scene.packet), ("callout", scene.callout)):
            if not item.isVisible():
                continue
            w, h = item.size
            left = -w / 2 if owner == "packet" else 0.0
            top = -h / 2 if owner == "packet" else 0.0
            layout.cards[owner] = QRectF(left, top, w, h).translated(item.pos())
            with paint.recording() as record:
                painter.setWorldTransform(QTransform.fromTranslate(item.x(), item.y()))
                item.paint(painter, option, None)
            layout.texts += _texts(owner, record)
    finally:
        painter.end()
    return layout


def _inside(outline: QPolygonF, box: QRectF) -> bool:
    grown = box.adjusted(-TOLERANCE, -TOLERANCE, TOLERANCE, TOLERANCE)
    return grown.contains(outline.boundingRect())


def _meet(a: Text, b: QPolygonF, b_bounds: QRectF) -> bool:
    return a.bounds.intersects(b_bounds) and a.inner.intersects(b)


def problems(layout: Layout, on_screen: float, floor: float) -> list[str]:
    """What breaks the layout rules; `on_screen` is screen pixels per scene unit."""
    found: list[str] = []
    texts = layout.texts
    inner_cards = [(owner, card, card.boundingRect()) for owner, card in layout.inner_cards]
    actor_boxes = [
        (name, QPolygonF(box), box)
        for name, box in layout.cards.items()
        if name not in ("packet", "callout")
    ]
    for text in texts:
        card = layout.cards.get(text.owner)
        if card is not None and not _inside(text.outline, card):
            found.append(f"{text.owner}: {text.text!r} leaves its card")
        for owner, inner, bounds in inner_cards:
            if (
                owner == text.owner
                and _meet(text, inner, bounds)
                and not _inside(text.outline, bounds)
            ):
                found.append(f"{owner}: {text.text!r} sticks into a box it is not in")
        if text.owner.startswith("arrow"):
            for name, polygon, box in actor_boxes:
                if _meet(text, polygon, box):
                    found.append(f"{text.owner}: {text.text!r} runs into {name}")
        px = text.pixel_size * on_screen
        if px < floor - 1e-6:
            found.append(f"{text.owner}: {text.text!r} is {px:.1f} px, under {floor:.1f}")
    for owner, _inner, bounds in inner_cards:
        if (
            not layout.cards[owner]
            .adjusted(-TOLERANCE, -TOLERANCE, TOLERANCE, TOLERANCE)
            .contains(bounds)
        ):
            found.append(f"{owner}: a box sticks out of its card")
    ordered = sorted(texts, key=lambda t: t.bounds.left())
    for i, a in enumerate(ordered):
        right = a.bounds.right()
        for b in ordered[i + 1 :]:
            if b.bounds.left() >= right:
                break
            if _meet(a, b.inner, b.bounds):
                found.append(f"{a.owner}: {a.text!r} overlaps {b.owner}: {b.text!r}")
    return found


def smallest_pixels(layout: Layout, on_screen: float) -> float:
    return min((t.pixel_size for t in layout.texts), default=EM) * on_screen
