"""The stage: packets per event, badges, callouts, actors' state, layout at any size."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QRect, QRectF
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from authflow import simulator
from authflow.app.views.palette import DARK, LIGHT
from authflow.app.views.stage.actors import ServerItem
from authflow.app.views.stage.layout import (
    COMPACT,
    EM,
    REGULAR,
    Sizes,
    kind_of,
    layout_actors,
    stage_size,
)
from authflow.app.views.stage.packet import PacketItem
from authflow.app.views.stage.scene import ITEM_CLASSES, StageScene, badges_for, callout_for
from authflow.app.views.stage.view import StageView
from authflow.simulator.trace.trace import Trace


def _shown_view(qtbot: Any, scene: StageScene, size: tuple[int, int]) -> StageView:
    """A view of `scene` at `size`, shown and with its pending events processed."""
    view = StageView(scene)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    QApplication.processEvents()
    return view


def test_packets_follow_events_in_order(qtbot: Any, make_trace: Callable[..., Trace]) -> None:
    trace = make_trace()
    scene = StageScene(LIGHT, duration_ms=0)
    shown: list[int] = []
    scene.event_shown.connect(shown.append)
    scene.set_trace(trace)
    labels = []
    for i, event in enumerate(trace.events):
        scene.show(i, animate=True)
        if scene.packet.isVisible():
            labels.append(scene.packet.label)
        else:
            assert event.kind not in ("request", "response", "store") or event.src == event.dst
    assert shown == list(range(len(trace.events)))
    travelling = [
        e.label
        for e in trace.events
        if e.kind in ("request", "response", "store") or (e.kind == "attack" and e.src != e.dst)
    ]
    assert labels == travelling


def test_badges_show_credentials_and_refusals(make_trace: Callable[..., Trace]) -> None:
    trace = make_trace()
    set_cookie = badges_for(trace.events[2])
    assert [(b.text, b.refused) for b in set_cookie] == [
        ("Set-Cookie: sid", False),
        ("Set-Cookie: bad", True),
    ]
    assert [b.text for b in badges_for(trace.events[4])] == ["Cookie: sid"]
    blocked = badges_for(trace.events[8])
    assert blocked[0].text == "cross-site from evil.example"
    assert all(b.refused for b in blocked[1:])
    assert any("CORS" in b.text for b in blocked)
    assert [b.text for b in badges_for(trace.events[5])] == ["hit"]


def test_blocked_request_stops_short_with_no_entry_sign(
    qtbot: Any, make_trace: Callable[..., Trace]
) -> None:
    scene = StageScene(LIGHT, duration_ms=0)
    scene.set_trace(make_trace())
    scene.show(8)
    assert scene.packet.refused
    assert scene.packet.icon == "no_entry"
    assert scene.packet.stop_at < 1
    server = scene.actors["server"].scene_rect()
    assert scene.packet.sceneBoundingRect().right() < server.left()


def test_callouts_for_events_inside_one_actor(make_trace: Callable[..., Trace]) -> None:
    trace = make_trace()
    assert callout_for(trace.events[3]) == ("cookie sid stored", "check", "cookie")
    assert callout_for(trace.events[6]) == ("session accepted: alice", "check", "ok")
    text, icon, role = callout_for(trace.events[10]) or ("", "", "")
    assert (icon, role) == ("cross", "blocked")
    assert "no session cookie" in text


def test_browser_and_store_show_the_events_state(
    qtbot: Any, make_trace: Callable[..., Trace]
) -> None:
    scene = StageScene(LIGHT, duration_ms=0)
    scene.set_trace(make_trace())
    browser = scene.actors["browser"]
    scene.show(0)
    assert browser.page_text() == "Sign in"  # type: ignore[attr-defined]
    scene.show(4)
    assert browser.page_text() == "Signed in as alice"  # type: ignore[attr-defined]
    scene.show(0)
    assert browser.page_text() == "Sign in"  # type: ignore[attr-defined]
    assert scene.actors["server"].context.verdicts == {}
    scene.show(7)
    assert scene.actors["server"].context.verdicts["server"].detail["ok"] is True


@pytest.mark.parametrize("sizes", [REGULAR, COMPACT], ids=["regular", "compact"])
def test_actors_never_overlap_at_any_aspect(sizes: Sizes) -> None:
    actor_sets = [
        ("browser", "server", "store"),
        ("browser", "attacker", "server", "store"),
        ("browser", "lb", "server-1", "server-2", "store"),
        ("browser", "lb", "server-1", "server-2", "server-3", "store-1", "store-2", "store-3"),
    ]
    for actors in actor_sets:
        for aspect in (0.8, 1.2, 16 / 9, 2.4, 3.5):
            layout = layout_actors(actors, *stage_size(aspect, actors, sizes), sizes)
            rects = list(layout.rects.items())
            stage = QRectF(0, 0, layout.width, layout.height)
            for i, (name, rect) in enumerate(rects):
                assert stage.contains(rect), (name, aspect)
                for other, rect2 in rects[i + 1 :]:
                    assert not rect.intersects(rect2), (name, other, aspect)


def test_view_fits_whole_stage_and_text_grows_with_window(
    qtbot: Any, make_trace: Callable[..., Trace]
) -> None:
    scene = StageScene(DARK, duration_ms=0)
    scene.set_trace(make_trace())
    view = _shown_view(qtbot, scene, (1000, 500))
    view.fit()
    small = view.scale_factor
    mapped = view.mapFromScene(scene.sceneRect()).boundingRect()
    assert mapped.width() <= view.viewport().width() + 2
    view.resize(3000, 1500)
    view.fit()
    assert view.scale_factor > 2.5 * small
    assert EM * view.scale_factor > 40  # 16-unit text becomes ~45 px on a 4K stage


def test_animation_moves_the_packet_and_stops(qtbot: Any, make_trace: Callable[..., Trace]) -> None:
    scene = StageScene(LIGHT, duration_ms=50)
    scene.set_trace(make_trace())
    scene.show(0, animate=True)
    assert scene.animating
    start = scene.packet.pos()
    with qtbot.waitSignal(scene.animation.finished, timeout=10000):
        pass
    assert scene.packet.pos() != start
    assert scene.packet.get_progress() == 1.0
    scene.show(1, animate=True)
    scene.stop()
    assert not scene.animating


def test_palettes_define_every_role_with_distinct_event_colours() -> None:
    for theme in (LIGHT, DARK):
        for role in theme.roles():
            assert theme.color(role).isValid(), (theme.name, role)
        kinds = {theme.color(r).name() for r in ("request", "response", "store_hop", "attack")}
        assert len(kinds) == 4, theme.name
        assert theme.color("blocked") != theme.color("ok")


def test_every_lesson_in_every_mode_draws_every_event(qtbot: Any) -> None:
    from PySide6.QtGui import QImage, QPainter

    from authflow import simulator

    scene = StageScene(LIGHT, duration_ms=0)
    image = QImage(640, 360, QImage.Format.Format_ARGB32_Premultiplied)
    drawn = 0
    for name in simulator.scenario_names():
        for mode in ("session", "jwt", "hybrid"):
            trace = simulator.run_scenario(name, mode, seed=1)
            scene.set_trace(trace)
            for i in range(-1, len(trace.events)):
                scene.show(i)
                painter = QPainter(image)
                scene.render(painter)
                painter.end()
                drawn += 1
            # Every actor the trace names is on the stage (the browser always is).
            drawable = {a for a in trace.actors if kind_of(a) in ITEM_CLASSES}
            assert set(scene.actors) == drawable | {"browser"}, (name, mode)
    assert drawn > 100


def test_long_packet_labels_wrap_instead_of_eliding(qtbot: Any) -> None:
    from PySide6.QtCore import QLineF

    from authflow.app.views.stage.packet import PacketItem

    packet = PacketItem(LIGHT)
    # The browser-attacker lane of a laptop-sized stage: about ten ems.
    lane = QLineF(21 * EM, 400, 31 * EM, 400)
    label = "XSS: on-page transfer → 200 OK"
    packet.set_packet(label, "attack", lane)
    assert len(packet.label_lines) > 1
    assert " ".join(packet.label_lines) == label
    assert "…" not in packet.shown_label
    url = "POST https://evil.example/collect"
    packet.set_packet(url, "request", lane)
    assert "".join(packet.label_lines) == url.replace(" ", "")
    # A vertical hop (server above its store) is as wide as the column, not the gap.
    packet.set_packet("EXPIRE sess:9b810e…", "store", QLineF(800, 250, 800, 320))
    assert packet.label_lines == ["EXPIRE sess:9b810e…"]


def test_callouts_wrap_to_two_lines() -> None:
    from authflow.app.views.stage.packet import CalloutItem

    callout = CalloutItem(LIGHT)
    text = "jwt rejected: bad signature: the token was altered or signed with another key"
    callout.set_callout(text, "cross", "blocked", 30 * EM)
    assert len(callout.lines) == 2
    assert " ".join(callout.lines) == text
    assert callout.size[0] <= 30 * EM


def test_a_narrow_view_reflows_to_compact_actors_instead_of_shrinking_its_text(
    qtbot: Any, make_trace: Callable[..., Trace]
) -> None:
    from authflow.app.views.stage.layout import SMALLEST

    scene = StageScene(LIGHT, duration_ms=0)
    scene.set_trace(make_trace())
    view = _shown_view(qtbot, scene, (1600, 700))
    view.fit()
    assert scene.sizes == REGULAR
    view.resize(900, 560)  # a laptop's stage beside the inspector area
    QApplication.processEvents()
    assert scene.sizes == COMPACT
    assert view.scale_factor * SMALLEST * EM >= view.text_floor
    # The view never gets smaller than the compact stage at the floor: the docks around
    # it give way first.
    assert view.minimumWidth() * 0.99 <= 53 * EM * view.least_scale + 8
    assert view.minimumHeight() >= 29 * EM * view.least_scale


def test_a_packet_wider_than_its_lane_rests_beside_it_clear_of_both_actors() -> None:
    from PySide6.QtCore import QLineF

    from authflow.app.views.stage.packet import PacketItem

    browser = QRectF(0, 0, 20 * EM, 30 * EM)
    attacker = QRectF(26 * EM, 20 * EM, 14 * EM, 8 * EM)
    packet = PacketItem(LIGHT)
    lane = QLineF(browser.right(), 24 * EM, attacker.left(), 24 * EM)
    packet.set_packet(
        "POST https://evil.example/collect", "request", lane, avoid=[browser, attacker]
    )
    packet.set_progress(1.0)
    box = packet.sceneBoundingRect()
    assert box.width() > lane.length(), "the packet is wider than its lane"
    # It covers neither actor's text: it rests beside the lane, above or below it.
    assert not box.intersects(browser)
    assert not box.intersects(attacker)
    assert box.intersects(QRectF(lane.p1(), lane.p2()).adjusted(0, -30 * EM, 0, 30 * EM))
    assert packet.resting_rect() == box


class _CountingPacket(PacketItem):
    def __init__(self) -> None:
        super().__init__(LIGHT)
        self.paints = 0

    def paint(self, *args: Any) -> None:
        self.paints += 1
        super().paint(*args)


def test_a_travelling_packet_is_painted_once_then_reused(
    qtbot: Any, make_trace: Callable[..., Trace]
) -> None:
    # Off the pixel grid, the packet's rounded device rect changes size every few
    # frames and Qt repaints its cached pixmap each time (a hundred packets at 4K
    # missed their 16 ms frame on that alone).
    scene = StageScene(LIGHT, duration_ms=0)
    scene.set_trace(make_trace())
    view = _shown_view(qtbot, scene, (1917, 1079))  # a scale with no round numbers in it
    view.fit()
    packet = _CountingPacket()
    arrow = scene.arrow_for("browser", "server")
    assert arrow is not None
    packet.set_packet("GET /api/profile", "request", arrow.lane("browser", "server"))
    scene.addItem(packet)
    positions = set()
    for frame in range(60):
        packet.set_progress(frame / 60)
        positions.add((packet.pos().x(), packet.pos().y()))
        view.viewport().repaint()
    assert len(positions) > 30
    assert packet.paints == 1


def _share_of(image: QImage, rect: QRect, colour: str) -> float:
    """Fraction of the pixels of `rect` in `image` that are exactly `colour`."""
    want = QColor(colour).rgb()
    rect = rect.intersected(image.rect())
    hits = sum(
        image.pixel(x, y) == want
        for x in range(rect.left(), rect.right() + 1, 2)
        for y in range(rect.top(), rect.bottom() + 1, 2)
    )
    return hits / max(1, ((rect.width() + 1) // 2) * ((rect.height() + 1) // 2))


def test_a_theme_change_repaints_the_cached_stage_in_the_new_colours(
    qtbot: Any, make_trace: Callable[..., Trace]
) -> None:
    # The actors live in the view's cached background and the packet in a pixmap of
    # its own: both must be redrawn, not blitted in the old theme's colours.
    scene = StageScene(LIGHT, duration_ms=0)
    scene.set_trace(make_trace())
    view = _shown_view(qtbot, scene, (1280, 720))
    view.fit()
    scene.show(4)
    assert scene.packet.isVisible()

    def regions() -> tuple[QRect, QRect]:
        packet = view.mapFromScene(scene.packet.sceneBoundingRect()).boundingRect()
        browser = view.mapFromScene(scene.actors["browser"].scene_rect()).boundingRect()
        return packet, browser

    light = view.grab().toImage()
    packet, browser = regions()
    assert _share_of(light, packet, LIGHT.surface) > 0.3
    assert _share_of(light, browser, LIGHT.surface) > 0.3
    scene.set_palette(DARK)
    dark = view.grab().toImage()
    packet, browser = regions()
    for rect in (packet, browser):
        assert _share_of(dark, rect, LIGHT.surface) == 0
        assert _share_of(dark, rect, DARK.surface) > 0.3
    assert QColor(dark.pixel(2, 2)) == QColor(DARK.background)


@pytest.mark.parametrize("aspect", [1.4, 1.64, 16 / 9])
def test_a_packet_on_a_short_lane_leaves_the_receivers_title_readable(
    qtbot: Any, aspect: float
) -> None:
    # Scale-out: the load balancer's lane to server-2 is short and slanted; the box
    # stopped clear of server-2 but its pointed tip covered the title.
    trace = simulator.run_scenario("scale-out", "session", seed=1)
    scene = StageScene(LIGHT, duration_ms=0)
    scene.set_trace(trace)
    scene.set_aspect(aspect)
    shown = 0
    for i, event in enumerate(trace.events):
        if (event.src, event.dst) != ("lb", "server-2") or event.kind != "request":
            continue
        scene.show(i)
        server = scene.actors["server-2"].scene_rect()
        title = QRectF(server.left() + 0.5 * EM, server.top(), server.width(), 2 * EM)
        assert not scene.packet.sceneBoundingRect().intersects(title), (i, aspect)
        shown += 1
    assert shown


ATTACKER_LANE_LESSONS = ("xss", "csrf", "cross-site-fetch", "replay-after-logout")


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080), (3840, 2160)])
def test_packets_on_the_attacker_lane_leave_the_browsers_footer_readable(
    qtbot: Any, size: tuple[int, int]
) -> None:
    # The lane from the browser to the attacker is shorter than a packet with a wide
    # badge ("cross-site from app.example"): the box overhung the browser's counters.
    scene = StageScene(LIGHT, duration_ms=0)
    view = _shown_view(qtbot, scene, size)
    checked = 0
    for lesson in ATTACKER_LANE_LESSONS:
        for mode in ("session", "jwt", "hybrid"):
            scene.set_trace(simulator.run_scenario(lesson, mode, seed=1))
            view.fit()
            browser = scene.actors["browser"]
            for i, event in enumerate(scene.trace.events if scene.trace else ()):
                if {event.src, event.dst} != {"browser", "attacker"}:
                    continue
                scene.show(i)
                footer = browser.footer_rect()  # type: ignore[attr-defined]
                for item in (scene.packet, scene.callout):
                    if item.isVisible():
                        assert not item.sceneBoundingRect().intersects(footer), (
                            lesson,
                            mode,
                            i,
                            event.label,
                        )
                checked += 1
    assert checked >= 30


def test_a_badge_wider_than_its_lane_is_shortened_and_the_tooltip_keeps_it(qtbot: Any) -> None:
    from PySide6.QtCore import QLineF

    from authflow.app.views.stage.paint import Badge, badge_size

    packet = PacketItem(LIGHT)
    lane = QLineF(21 * EM, 400, 31 * EM, 400)
    wide = Badge("cross-site from app.example", "attack", short="cross-site")
    stolen = Badge("stolen: refresh, access_token, csrf_token", "attack")
    packet.set_packet("POST https://evil.example/collect", "request", lane, [wide, stolen])
    shown = [b.text for row in packet.rows for b in row]
    assert shown[0] == "cross-site"
    assert shown[1].startswith("stolen: ")
    assert shown[1].endswith("…")
    assert all(badge_size(b)[0] <= 9 * EM for row in packet.rows for b in row)
    assert "cross-site from app.example" in packet.toolTip()
    assert "stolen: refresh, access_token, csrf_token" in packet.toolTip()
    # On a lane with room nothing is shortened and no tooltip repeats the box.
    packet.set_packet("POST /x", "request", QLineF(0, 0, 60 * EM, 0), [wide])
    assert [b.text for row in packet.rows for b in row] == [wide.text]
    assert packet.toolTip() == ""


VERDICT_RUNS: list[dict[str, str]] = [{}, {"csrf_token": "true"}, {"servers": "3"}]


def test_each_server_shows_its_latest_verdict_however_the_timeline_is_walked(
    qtbot: Any,
) -> None:
    # Reported: the server's box showing an earlier check (a jwt check after a refresh
    # or CSRF check in the same request, or after jumping back). Each server's box must
    # show its latest verdict at or before the shown event, and nothing from later on.
    import random

    scene = StageScene(LIGHT, duration_ms=0)
    checks: set[str] = set()
    for name in simulator.scenario_names():
        for mode in ("session", "jwt", "hybrid"):
            for overrides in VERDICT_RUNS:
                trace = simulator.run_scenario(name, mode, overrides=overrides, seed=1)
                scene.set_trace(trace)
                servers = [a for a in scene.actors if kind_of(a) == "server"]
                latest: list[dict[str, Any]] = []
                so_far: dict[str, Any] = {}
                for event in trace.events:
                    if event.kind == "verdict" and event.src in servers:
                        so_far = {**so_far, event.src: event}
                        checks.add(str(event.detail["check"]))
                    latest.append(so_far)
                n = len(trace.events)
                walk = [*range(n), *reversed(range(-1, n))]
                walk += random.Random(f"{name}{mode}").choices(range(-1, n), k=40)
                for i in walk:
                    scene.show(i)
                    for server in servers:
                        item = scene.actors[server]
                        assert isinstance(item, ServerItem)
                        want = latest[i].get(server) if i >= 0 else None
                        assert item.shown_verdict() is want, (name, mode, overrides, i, server)
                        if want is not None:
                            ok, check = want.detail["ok"], want.detail["check"]
                            head = item.verdict_head()
                            assert head.startswith(check), (name, mode, i, head)
                            assert ("rejected" in head) is not ok, (name, mode, i, head)
    assert {"session", "jwt", "refresh", "csrf", "password"} <= checks


def test_jumping_back_repaints_the_servers_verdict_box(qtbot: Any) -> None:
    # The actors live in the view's cached background: after stepping to the CSRF
    # verdict and jumping back, the box on screen must be the earlier event's, pixel
    # for pixel, not the cached later one.
    trace = simulator.run_scenario("xss", "session", overrides={"csrf_token": "true"}, seed=1)
    csrf = [i for i, e in enumerate(trace.events) if e.detail.get("check") == "csrf"]
    assert csrf
    images = []
    for walk in ([*range(csrf[-1] + 1), csrf[0] - 1], [csrf[0] - 1]):
        scene = StageScene(LIGHT, duration_ms=0)
        scene.set_trace(trace)
        view = _shown_view(qtbot, scene, (1280, 720))
        view.fit()
        for i in walk:
            scene.show(i)
            view.grab()
        server = view.mapFromScene(scene.actors["server"].scene_rect()).boundingRect()
        images.append(view.grab().toImage().copy(server))
    assert images[0] == images[1]


def test_counts_read_as_english(make_trace: Callable[..., Trace]) -> None:
    from authflow.app.views.inspectors.store_view import store_nodes
    from authflow.app.views.stage.actors import StoreItem
    from authflow.app.views.wording import plural

    assert plural(1, "key") == "1 key"
    assert [plural(n, "key") for n in (0, 2)] == ["0 keys", "2 keys"]
    # What a user reads: the stage's store caption and the store inspector's row.
    trace = make_trace()
    scene = StageScene(LIGHT, duration_ms=0)
    scene.set_trace(trace)
    one = next(i for i, e in enumerate(trace.events) if len(e.state.stores["store"]) == 1)
    scene.show(one)
    store = scene.actors["store"]
    assert isinstance(store, StoreItem)
    assert store.caption().endswith(" · 1 key")
    nodes = store_nodes(trace.events[one].state.stores, None, {}, trace.events[one].t)
    assert nodes[0].texts[1] == "1 key"
    scene.show(0)
    assert store.caption().endswith(" · 0 keys")


def test_the_attacker_box_names_the_host_the_attacker_acts_from(qtbot: Any) -> None:
    trace = simulator.run_scenario("subdomain-attacker", "session", {"scrypt_n": "1024"}, seed=1)
    scene = StageScene(LIGHT, duration_ms=0)
    scene.set_trace(trace)
    attacker = scene.actors["attacker"]
    hosts = []
    for i, event in enumerate(trace.events):
        if event.kind == "request" and event.dst == "attacker":
            scene.show(i)
            hosts.append(attacker.context.attacker_site)
    # The cross-site form is served by evil.example, the same-site one by the subdomain.
    assert hosts == ["evil.example", "evil.app.example"]
    scene.show(len(trace.events) - 1)
    assert attacker.context.attacker_site == "evil.app.example"
