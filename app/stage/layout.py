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

STAGE_HEIGHT_EM = 36.0
MIN_WIDTH_EM = 70.0
MARGIN_EM = 1.2

BROWSER_W_EM = 22.0
SERVER_W_EM = 13.0
SERVER_H_EM = 10.0
STORE_W_EM = 17.0
STORE_H_EM = 15.0
LB_W_EM = 9.0
LB_H_EM = 5.0
ATTACKER_W_EM = 17.0
ATTACKER_H_EM = 7.5


@dataclass(frozen=True, slots=True)
class StageLayout:
    """Actor rectangles and the stage's size, all in scene units."""

    width: float
    height: float
    rects: dict[str, QRectF]
    main_y: float
    """The height at which the browser talks to the server: the stage's main lane."""


def kind_of(actor: str) -> str:
    """"server-2" -> "server"; "store-1" -> "store"; other names are their own kind."""
    base = actor.split("-", 1)[0]
    return base if base in ("server", "store") else actor


def stage_width(aspect: float) -> float:
    """Scene width for a view of `aspect` (width / height)."""
    return max(MIN_WIDTH_EM * EM, STAGE_HEIGHT_EM * EM * max(aspect, 0.1))


def layout_actors(actors: Sequence[str], width: float) -> StageLayout:
    """Place browser | (lb) | server(s) | store(s) left to right; the attacker below."""
    em = EM
    height = STAGE_HEIGHT_EM * em
    margin = MARGIN_EM * em
    servers = [a for a in actors if kind_of(a) == "server"] or ["server"]
    stores = [a for a in actors if kind_of(a) == "store"]
    has_lb = "lb" in actors
    has_attacker = "attacker" in actors

    rects: dict[str, QRectF] = {}
    browser_h = height - 2 * margin
    rects["browser"] = QRectF(margin, margin, BROWSER_W_EM * em, browser_h)
    main_y = margin + 9.0 * em

    # Columns after the browser: weights say how much of the free width each gap gets.
    # The browser-to-server gap carries the widest packets (a label plus badges).
    store_w = STORE_W_EM * em if stores else 0.0
    cols_w = BROWSER_W_EM * em + SERVER_W_EM * em + store_w + (LB_W_EM * em if has_lb else 0.0)
    free = max(0.0, width - 2 * margin - cols_w)
    gaps = [2.0, 1.0, 1.0] if has_lb else [2.0, 1.0]
    if not stores:
        gaps = gaps[:-1]
    unit = free / sum(gaps) if gaps else 0.0
    x = margin + BROWSER_W_EM * em + gaps[0] * unit

    server_x_h = SERVER_H_EM * em
    if has_lb:
        rects["lb"] = QRectF(x, main_y - LB_H_EM * em / 2, LB_W_EM * em, LB_H_EM * em)
        x += LB_W_EM * em + gaps[1] * unit
    server_col_x = x
    n = len(servers)
    if n == 1:
        ys = [main_y]
    else:
        span = min(height - 2 * margin - server_x_h, (n - 1) * (server_x_h + 1.5 * em))
        top = max(margin + server_x_h / 2, main_y - span / 2)
        top = min(top, height - margin - server_x_h / 2 - span)
        ys = [top + i * span / (n - 1) for i in range(n)]
    for name, y in zip(servers, ys, strict=True):
        rects[name] = QRectF(server_col_x, y - server_x_h / 2, SERVER_W_EM * em, server_x_h)
    x = server_col_x + SERVER_W_EM * em + gaps[-1] * unit

    if len(stores) == 1:
        store_h = STORE_H_EM * em
        top = max(margin, min(main_y - 4.5 * em, height - margin - store_h))
        rects[stores[0]] = QRectF(x, top, store_w, store_h)
    elif stores:
        each_h = min(STORE_H_EM * em, (height - 2 * margin - (len(stores) - 1) * em) / len(stores))
        for i, name in enumerate(stores):
            server = rects.get(f"server-{name.split('-', 1)[-1]}")
            cy = server.center().y() if server is not None else margin + each_h / 2
            top = max(margin + i * (each_h + em), cy - each_h / 2)
            top = min(top, height - margin - (len(stores) - i) * (each_h + em) + em)
            rects[name] = QRectF(x, top, store_w, each_h)

    if has_attacker:
        a_w, a_h = ATTACKER_W_EM * em, ATTACKER_H_EM * em
        left = margin + BROWSER_W_EM * em + 1.5 * em
        right_edge = server_col_x + SERVER_W_EM * em
        ax = max(left, min((left + right_edge) / 2 - a_w / 2, right_edge - a_w))
        rects["attacker"] = QRectF(ax, height - margin - a_h, a_w, a_h)
    return StageLayout(width=width, height=height, rects=rects, main_y=main_y)


def connect(a: QRectF, b: QRectF) -> QLineF:
    """The line from `a`'s edge to `b`'s edge: level when their heights overlap."""
    top = max(a.top(), b.top())
    bottom = min(a.bottom(), b.bottom())
    if bottom - top > 2 * EM and (a.right() <= b.left() or b.right() <= a.left()):
        smaller = a if a.height() <= b.height() else b
        y = min(max(smaller.center().y(), top + EM), bottom - EM)
        if a.right() <= b.left():
            return QLineF(a.right(), y, b.left(), y)
        return QLineF(a.left(), y, b.right(), y)
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
