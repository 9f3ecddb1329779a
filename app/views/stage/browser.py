"""The browser, drawn as a small browser window: address bar, page, jar and storage.

The page shows "Signed in as alice" or a login form, from the event's PageState.
Under the page, compact lists show the cookie jar (with the flags that matter for the
lesson) and the page's localStorage and memory; rows changed by the current event are
highlighted so a screenshot shows what just happened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPen

from authflow.app.views.stage.actors import SMALL, ActorItem, time_left
from authflow.app.views.stage.layout import EM, SMALLEST
from authflow.app.views.stage.paint import draw_icon, draw_text, line_height, metrics, note_card
from authflow.app.views.wording import plural

if TYPE_CHECKING:
    from authflow.simulator.trace.trace import CookieRow


def cookie_flags(cookie: CookieRow, now: float) -> str:
    flags = []
    if cookie.http_only:
        flags.append("HttpOnly")
    if cookie.secure:
        flags.append("Secure")
    flags.append(f"SameSite={cookie.same_site}" + ("*" if cookie.same_site_defaulted else ""))
    if cookie.path != "/":
        flags.append(f"Path={cookie.path}")
    flags.append("session cookie" if cookie.expires is None else time_left(cookie.expires, now))
    return " · ".join(flags)


class BrowserItem(ActorItem):
    """The user's browser on the app's site."""

    title = "browser"

    def page_text(self) -> str:
        """What the page says, in words (tests and accessibility read this)."""
        state = self.context.state
        if state is None or state.page.signed_in_as is None:
            return "Sign in"
        return f"Signed in as {state.page.signed_in_as}"

    def paint_actor(self, painter: QPainter, rect: QRectF) -> None:
        p = self.palette
        painter.setPen(self.outline_pen())
        painter.setBrush(p.color("surface"))
        painter.drawRoundedRect(rect, 0.6 * EM, 0.6 * EM)
        # Title bar with the three window buttons and a tab.
        bar = 2.0 * EM
        painter.setPen(Qt.PenStyle.NoPen)
        for i, role in enumerate(("blocked", "store_hop", "ok")):
            painter.setBrush(p.color(role))
            painter.drawEllipse(QPointF(0.9 * EM + i * 0.9 * EM, bar / 2), 0.28 * EM, 0.28 * EM)
        draw_text(
            painter,
            3.6 * EM,
            0.4 * EM,
            "browser",
            p.color("text"),
            bold=True,
            width=rect.width() - 4.2 * EM,
        )
        # Address bar.
        state = self.context.state
        url = state.page.url if state is not None else ""
        addr = QRectF(0.6 * EM, bar, rect.width() - 1.2 * EM, 1.9 * EM)
        painter.setPen(QPen(p.color("arrow"), 0.08 * EM))
        painter.setBrush(p.color("background"))
        painter.drawRoundedRect(addr, 0.95 * EM, 0.95 * EM)
        note_card(painter, addr)
        lock_h = 1.0 * EM
        if url.startswith("https://"):
            draw_icon(
                painter,
                "lock",
                QRectF(addr.left() + 0.5 * EM, addr.top() + 0.45 * EM, lock_h, lock_h),
                p.color("muted"),
            )
        draw_text(
            painter,
            addr.left() + 1.7 * EM,
            addr.top() + 0.35 * EM,
            url or "about:blank",
            p.color("text"),
            width=addr.width() - 2.2 * EM,
            scale=0.9,
            mono=True,
        )
        y = addr.bottom() + 0.5 * EM
        y = self._paint_page(painter, QRectF(0.6 * EM, y, rect.width() - 1.2 * EM, 5.2 * EM))
        y += 0.7 * EM
        footer_h = self._paint_counters(painter, rect)
        self._paint_lists(
            painter,
            QRectF(0.8 * EM, y, rect.width() - 1.6 * EM, rect.height() - y - 0.5 * EM - footer_h),
        )

    def _paint_counters(self, painter: QPainter, rect: QRectF) -> float:
        """A footer with the run's running totals: what rode on the wire and what the
        servers had to do (the numbers the modes differ by). Returns its height."""
        state = self.context.state
        if state is None:
            return 0.0
        p = self.palette
        c = state.counters
        line = metrics(SMALLEST).height()
        footer = self._footer(rect)
        x, w = footer.left(), footer.width()
        top = footer.top() + 0.2 * EM
        painter.setPen(QPen(p.color("arrow"), 0.05 * EM))
        painter.drawLine(QPointF(x, top - 0.2 * EM), QPointF(x + w, top - 0.2 * EM))
        rows = (
            ("So far", True),
            (
                f"{plural(c.requests, 'request')} · {c.credential_bytes} B of credentials sent",
                False,
            ),
            (
                f"{plural(c.store_reads, 'store read')} · "
                f"{plural(c.signature_checks, 'signature check')}",
                False,
            ),
        )
        for i, (text, bold) in enumerate(rows):
            draw_text(
                painter,
                x,
                top + i * line,
                text,
                p.color("muted"),
                width=w,
                scale=SMALLEST,
                bold=bold,
            )
        return 3 * line + 0.4 * EM

    @staticmethod
    def _footer(rect: QRectF) -> QRectF:
        """The counters footer (its rule and three lines) in the actor's coordinates."""
        line = metrics(SMALLEST).height()
        top = rect.height() - 0.5 * EM - 3 * line - 0.2 * EM
        return QRectF(0.8 * EM, top, rect.width() - 1.6 * EM, 3 * line + 0.2 * EM)

    def footer_rect(self) -> QRectF:
        """Where the counters footer is, in scene coordinates (packets keep off it)."""
        return self._footer(self.size_rect()).translated(self.pos())

    def _paint_page(self, painter: QPainter, page: QRectF) -> float:
        p = self.palette
        painter.setPen(QPen(p.color("arrow"), 0.06 * EM))
        painter.setBrush(p.color("surface"))
        painter.drawRoundedRect(page, 0.3 * EM, 0.3 * EM)
        note_card(painter, page)
        state = self.context.state
        user = state.page.signed_in_as if state is not None else None
        x = page.left() + 0.8 * EM
        w = page.width() - 1.6 * EM
        if user is not None:
            r = 1.5 * EM
            center = QPointF(x + r, page.top() + 0.6 * EM + r)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(p.color("ok"))
            painter.drawEllipse(center, r, r)
            initial = user[:1].upper()
            fm = metrics(1.3, bold=True)
            draw_text(
                painter,
                center.x() - fm.horizontalAdvance(initial) / 2,
                center.y() - fm.height() / 2,
                initial,
                p.color("surface"),
                scale=1.3,
                bold=True,
            )
            tx = x + 2 * r + 0.7 * EM
            draw_text(
                painter,
                tx,
                page.top() + 0.7 * EM,
                f"Signed in as {user}",
                p.color("text"),
                width=page.right() - tx - 0.5 * EM,
                scale=1.15,
                bold=True,
            )
            status = state.page.last_status if state is not None else None
            note = "the page shows the account" + (f" · last {status}" if status else "")
            draw_text(
                painter,
                tx,
                page.top() + 2.4 * EM,
                note,
                p.color("muted"),
                width=page.right() - tx - 0.5 * EM,
                scale=SMALL,
            )
            return page.bottom()
        # Login form.
        status = state.page.last_status if state is not None else None
        failed = f"last response: {status}" if status and status >= 400 else ""
        # The refusal shares the heading's line, right-aligned: below the form it ran
        # into the password field.
        failed_w = metrics(SMALL).horizontalAdvance(failed) + 0.6 * EM if failed else 0.0
        heading_w = max(w * 0.3, w - failed_w)
        draw_text(
            painter,
            x,
            page.top() + 0.4 * EM,
            "Sign in",
            p.color("text"),
            bold=True,
            width=heading_w,
        )
        if failed:
            room = w - metrics(1.0, bold=True).horizontalAdvance("Sign in") - 0.6 * EM
            draw_text(
                painter,
                x + w - min(failed_w - 0.6 * EM, room),
                page.top() + 0.55 * EM,
                failed,
                p.color("blocked"),
                scale=SMALL,
                width=room,
            )
        # Two fields and their gap fit the page's 5.2 ems below the heading.
        field_h = 1.35 * EM
        gap = 0.25 * EM
        fy = page.top() + 1.95 * EM
        field_w = w * 0.62
        for i, (placeholder, mono) in enumerate((("alice", False), ("••••••••", True))):
            f = QRectF(x, fy + i * (field_h + gap), field_w, field_h)
            painter.setPen(QPen(p.color("muted"), 0.06 * EM))
            painter.setBrush(p.color("background"))
            painter.drawRoundedRect(f, 0.25 * EM, 0.25 * EM)
            note_card(painter, f)
            draw_text(
                painter,
                f.left() + 0.4 * EM,
                f.top() + (field_h - metrics(SMALL, mono=mono).height()) / 2,
                placeholder,
                p.color("muted"),
                width=f.width() - 0.8 * EM,
                scale=SMALL,
                mono=mono,
            )
        button = QRectF(
            x + field_w + 0.6 * EM, fy + field_h * 0.6, w - field_w - 0.6 * EM, field_h * 1.1
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(p.color("request"))
        painter.drawRoundedRect(button, 0.25 * EM, 0.25 * EM)
        note_card(painter, button)
        fm = metrics(SMALL, bold=True)
        label = "Log in"
        draw_text(
            painter,
            button.center().x() - fm.horizontalAdvance(label) / 2,
            button.center().y() - fm.height() / 2,
            label,
            p.color("surface"),
            scale=SMALL,
            bold=True,
        )
        return page.bottom()

    def _paint_lists(self, painter: QPainter, area: QRectF) -> None:
        p = self.palette
        state = self.context.state
        prev = self.context.previous
        now = self.context.now
        line = line_height(SMALL)
        x, w = area.left(), area.width()
        y = area.top()
        bottom = area.bottom()

        def heading(text: str) -> None:
            nonlocal y
            painter.setPen(QPen(p.color("arrow"), 0.05 * EM))
            y += draw_text(painter, x, y, text, p.color("muted"), scale=0.82, bold=True)
            y += 0.1 * EM

        def row(text: str, sub: str, changed: bool) -> None:
            nonlocal y
            h = line * (2 if sub else 1)
            if changed:
                painter.setPen(Qt.PenStyle.NoPen)
                hl = p.color("cookie")
                hl.setAlphaF(0.2)
                painter.setBrush(hl)
                painter.drawRoundedRect(
                    QRectF(x - 0.3 * EM, y - 0.05 * EM, w + 0.5 * EM, h + 0.1 * EM),
                    0.25 * EM,
                    0.25 * EM,
                )
            draw_text(
                painter,
                x + 0.3 * EM,
                y,
                text,
                p.color("text"),
                width=w - 0.3 * EM,
                scale=SMALL,
                mono=True,
                bold=changed,
            )
            if sub:
                draw_text(
                    painter,
                    x + 1.0 * EM,
                    y + line,
                    sub,
                    p.color("muted"),
                    width=w - 1.0 * EM,
                    scale=SMALLEST,
                )
            y += h + 0.2 * EM

        cookies = state.cookies if state is not None else ()
        old = {(c.name, c.domain, c.path): c for c in prev.cookies} if prev is not None else {}
        heading(f"Cookie jar ({len(cookies)})")
        if not cookies:
            row("(empty)", "", False)
        for i, c in enumerate(cookies):
            if y + 2 * line > bottom - 4 * line:
                row(f"+ {len(cookies) - i} more", "", False)
                break
            changed = prev is not None and old.get((c.name, c.domain, c.path)) != c
            row(f"{c.name}={c.value}", cookie_flags(c, now), changed)
        y += 0.3 * EM
        for title, data, before in self._storages():
            if y + 2 * line > bottom:
                break
            heading(f"{title} ({len(data)})")
            if not data:
                row("(empty)", "", False)
            for i, (k, v) in enumerate(data.items()):
                if y + line > bottom - line and i < len(data) - 1:
                    row(f"+ {len(data) - i} more", "", False)
                    break
                row(f"{k} = {v}", "", prev is not None and before.get(k) != v)
            y += 0.3 * EM

    def _storages(self) -> list[tuple[str, dict[str, str], dict[str, str]]]:
        state = self.context.state
        prev = self.context.previous
        if state is None:
            return [("localStorage", {}, {}), ("page memory (JS)", {}, {})]
        local: dict[str, str] = {}
        for origin_kv in state.local_storage.values():
            local.update(origin_kv)
        local_before: dict[str, str] = {}
        if prev is not None:
            for origin_kv in prev.local_storage.values():
                local_before.update(origin_kv)
        memory_before = dict(prev.memory) if prev is not None else {}
        return [
            ("localStorage", local, local_before),
            ("page memory (JS)", dict(state.memory), memory_before),
        ]
