"""Where each actor sits on the stage, in scene units, for a given stage width.

The stage is laid out in *ems* (the stage font's pixel size) inside a box whose
height is fixed and whose width follows the view's aspect ratio; the view then scales
the whole scene to fit. So text grows with the window, and a wide window spreads the
actors apart instead of letterboxing them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QLineF, QPointF, QRectF

EM = 16.0
"""Scene units per em: the stage font's pixel size before the view scales it."""

STAGE_HEIGHT_EM = 29.0
MIN_WIDTH_EM = 64.0
COLUMNS_MIN_WIDTH_EM = 90.0
"""With a load balancer or several servers: four columns need more room."""
MARGIN_EM = 1.2
SMALLEST = 0.75
"""The smallest text on the stage, in ems: the floor on screen text (11 px on a laptop,
1/60 of the screen in presenter mode) sets how far the stage may shrink through it."""

BROWSER_W_EM = 20.0
SERVER_W_EM = 13.0
SERVER_H_EM = 9.0
STORE_W_EM = 16.0
STORE_H_EM = 15.0
LB_W_EM = 10.5
LB_H_EM = 5.0
ATTACKER_W_EM = 14.0
ATTACKER_H_EM = 7.5


@dataclass(frozen=True, slots=True)
class Sizes:
    """The actors' sizes and the stage's least width, in ems."""

    min_width: float = MIN_WIDTH_EM
    columns_min_width: float = COLUMNS_MIN_WIDTH_EM
    browser_w: float = BROWSER_W_EM
    server_w: float = SERVER_W_EM
    store_w: float = STORE_W_EM
    lb_w: float = LB_W_EM
    attacker_w: float = ATTACKER_W_EM


REGULAR = Sizes()
COMPACT = Sizes(
    min_width=53.0,
    columns_min_width=64.0,
    browser_w=16.0,
    server_w=11.5,
    store_w=13.0,
    lb_w=9.0,
    attacker_w=13.0,
)
"""Narrower actors for a narrow stage (a pane of the side-by-side window): the stage
needs three quarters of the width, so its text is a third larger in the same pane;
long lines inside the boxes elide sooner."""


@dataclass(frozen=True, slots=True)
class StageLayout:
    """Actor rectangles and the stage's size, all in scene units."""

    width: float
    height: float
    rects: dict[str, QRectF]
    main_y: float
    """The height at which the browser talks to the server: the stage's main lane."""


def kind_of(actor: str) -> str:
    """ "server-2" -> "server"; "store-1" -> "store"; other names are their own kind."""
    base = actor.split("-", 1)[0]
    return base if base in ("server", "store") else actor


def uses_columns(actors: Sequence[str]) -> bool:
    """True for browser | lb | servers | stores; False for the one-server stage."""
    servers = [a for a in actors if kind_of(a) == "server"]
    stores = [a for a in actors if kind_of(a) == "store"]
    return "lb" in actors or len(servers) > 1 or len(stores) > 1


def stage_size(
    aspect: float, actors: Sequence[str] = (), sizes: Sizes = REGULAR
) -> tuple[float, float]:
    """Scene width and height for a view of `aspect` (width / height): at least the
    minimum stage for these actors, grown along one axis to fill the view."""
    aspect = max(aspect, 0.1)
    height = STAGE_HEIGHT_EM * EM
    min_width = (sizes.columns_min_width if uses_columns(actors) else sizes.min_width) * EM
    width = max(min_width, height * aspect)
    # Taller views grow the stage up to half again its height, then letterbox.
    return width, min(max(height, width / aspect), 1.5 * height)


def layout_actors(
    actors: Sequence[str],
    width: float,
    height: float = STAGE_HEIGHT_EM * EM,
    sizes: Sizes = REGULAR,
) -> StageLayout:
    """Place the actors: the browser on the left, the rest to its right.

    With one server, the server sits above its store in a right-hand column, so the
    browser-to-server lane (the widest packets: a label plus credential badges) gets
    all the free width and the server-to-store hop runs vertically. With a load
    balancer or several servers: browser | lb | servers | store(s).
    """
    em = EM
    margin = MARGIN_EM * em
    servers = [a for a in actors if kind_of(a) == "server"] or ["server"]
    stores = [a for a in actors if kind_of(a) == "store"]
    rects: dict[str, QRectF] = {}
    rects["browser"] = QRectF(margin, margin, sizes.browser_w * em, height - 2 * margin)
    main_y = margin + 7.0 * em
    if not uses_columns(actors):
        col_w = max(sizes.server_w, sizes.store_w) * em
        x = width - margin - col_w
        server = QRectF(x, main_y - SERVER_H_EM * em / 2, col_w, SERVER_H_EM * em)
        rects[servers[0]] = server
        if stores:
            top = server.bottom() + 4.5 * em
            rects[stores[0]] = QRectF(x, top, col_w, height - margin - top)
        right_edge = x
    else:
        right_edge = _columns(rects, servers, stores, "lb" in actors, width, height, main_y, sizes)
    if "attacker" in actors:
        # Bottom of the gap, against the server column: as far from the browser as the
        # gap allows, so the browser-attacker lane has room for a packet.
        a_w, a_h = sizes.attacker_w * em, ATTACKER_H_EM * em
        left = margin + sizes.browser_w * em + 1.5 * em
        ax = max(left, right_edge - 1.0 * em - a_w)
        rects["attacker"] = QRectF(ax, height - margin - a_h, a_w, a_h)
    if "phone" in actors:
        # The user's second device: the attacker's corner, or just above the attacker.
        p_w, p_h = sizes.attacker_w * em, 4.0 * em
        left = margin + sizes.browser_w * em + 1.5 * em
        px = max(left, right_edge - 1.0 * em - p_w)
        bottom = height - margin - (ATTACKER_H_EM * em + 1.0 * em if "attacker" in actors else 0)
        rects["phone"] = QRectF(px, bottom - p_h, p_w, p_h)
    return StageLayout(width=width, height=height, rects=rects, main_y=main_y)


def _columns(
    rects: dict[str, QRectF],
    servers: list[str],
    stores: list[str],
    has_lb: bool,
    width: float,
    height: float,
    main_y: float,
    sizes: Sizes = REGULAR,
) -> float:
    """browser | lb | servers | stores; returns the left edge of the servers' column."""
    em = EM
    margin = MARGIN_EM * em
    store_w = sizes.store_w * em if stores else 0.0
    lb_w = sizes.lb_w * em if has_lb else 0.0
    cols_w = sizes.browser_w * em + sizes.server_w * em + store_w + lb_w
    free = max(0.0, width - 2 * margin - cols_w)
    gaps = [2.0, 1.0, 1.0] if has_lb else [2.0, 1.0]
    if not stores:
        gaps = gaps[:-1]
    unit = free / sum(gaps)
    x = margin + sizes.browser_w * em + gaps[0] * unit
    if has_lb:
        rects["lb"] = QRectF(x, main_y - LB_H_EM * em / 2, lb_w, LB_H_EM * em)
        x += lb_w + gaps[1] * unit
    server_col_x = x
    server_h = SERVER_H_EM * em
    n = len(servers)
    if n == 1:
        ys = [main_y]
    else:
        # Spread the servers over the stage height, leaving room at the bottom for the
        # attacker and no overlap between neighbours.
        step = min(server_h + 1.5 * em, (height - 2 * margin - server_h) / (n - 1))
        top = margin + server_h / 2
        ys = [top + i * step for i in range(n)]
        server_h = min(server_h, step - 0.8 * em)
    for name, y in zip(servers, ys, strict=True):
        rects[name] = QRectF(server_col_x, y - server_h / 2, sizes.server_w * em, server_h)
    x = server_col_x + sizes.server_w * em + gaps[-1] * unit
    if len(stores) == 1:
        store_h = STORE_H_EM * em
        top = max(margin, min(main_y - 4.5 * em, height - margin - store_h))
        rects[stores[0]] = QRectF(x, top, store_w, store_h)
    elif stores:
        each_h = (height - 2 * margin - (len(stores) - 1) * 0.8 * em) / len(stores)
        for i, name in enumerate(stores):
            top = margin + i * (each_h + 0.8 * em)
            rects[name] = QRectF(x, top, store_w, each_h)
    return server_col_x


def connect(a: QRectF, b: QRectF) -> QLineF:
    """The line from `a`'s edge to `b`'s edge: level when their heights overlap (and
    that level line is long enough for a packet), else centre to centre."""
    top = max(a.top(), b.top())
    bottom = min(a.bottom(), b.bottom())
    gap = max(b.left() - a.right(), a.left() - b.right())
    if bottom - top > 2 * EM and gap >= 9 * EM:
        smaller = a if a.height() <= b.height() else b
        y = min(max(smaller.center().y(), top + EM), bottom - EM)
        if a.right() <= b.left():
            return QLineF(a.right(), y, b.left(), y)
        return QLineF(a.left(), y, b.right(), y)
    # Otherwise aim at the middle of the side facing the other actor, so a diagonal
    # (attacker up to the server) never cuts through a neighbour below that actor.
    if b.left() >= a.right() - EM:
        end = QPointF(b.left(), b.center().y())
        return QLineF(_edge_point(a, end), end)
    if a.left() >= b.right() - EM:
        start = QPointF(a.left(), a.center().y())
        return QLineF(start, _edge_point(b, start))
    return QLineF(_edge_point(a, b.center()), _edge_point(b, a.center()))


def _edge_point(rect: QRectF, toward: QPointF) -> QPointF:
    """Where the line from `rect`'s centre toward `toward` leaves `rect`."""
    c = rect.center()
    dx, dy = toward.x() - c.x(), toward.y() - c.y()
    if dx == 0 and dy == 0:
        return c
    sx = (rect.width() / 2) / abs(dx) if dx else float("inf")
    sy = (rect.height() / 2) / abs(dy) if dy else float("inf")
    s = min(sx, sy)
    return QPointF(c.x() + dx * s, c.y() + dy * s)
