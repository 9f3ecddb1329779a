"""Qt fixtures for the app's tests: offscreen Qt, a hand-made trace, a main window."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from factories import tevent, tstate, ttrace
from PySide6.QtCore import QCoreApplication, Qt

from authflow.simulator.trace.trace import CookieRow, State, Step, StoreEntry, Trace

# Qt WebEngine (the live tests) needs this before the QApplication exists, and
# pytest-qt's qapp makes one QApplication per test process: set it before any test.
QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)


@pytest.fixture(autouse=True)
def _application(qapp: Any) -> Any:
    """Every app test has a QApplication: Qt aborts the whole process when a font or a
    pixmap is made without one, which a test run on its own would otherwise do."""
    return qapp


SID = CookieRow("sid", "3f2a9c.sig", "app.example", "/", None, True, True, "Lax", size=13)


def build_trace(mode: str = "session") -> Trace:
    """A fixed session-style trace covering every kind of event the stage draws:
    login (store write, Set-Cookie, one cookie rejected), profile with a Cookie badge,
    a blocked cross-site request, an attack that steals nothing."""
    sess = {"sess:3f2a9c": StoreEntry('{"user": "alice"}', 1800.0)}
    out = tstate()
    inn = tstate(cookies=[SID], signed_in="alice", store=sess, status=200)
    rows: list[tuple[str, str, str, str, dict[str, Any], str, State, int]] = [
        (
            "request",
            "browser",
            "server",
            "POST /auth/login",
            {"method": "POST", "path": "/auth/login", "carries": []},
            "The page posts alice's name and password.",
            out,
            0,
        ),
        (
            "store",
            "server",
            "store",
            "SET sess:3f2a9c",
            {"command": "SET", "key": "sess:3f2a9c", "ttl": 1800.0},
            "The server writes the session record.",
            tstate(store=sess),
            0,
        ),
        (
            "response",
            "server",
            "browser",
            "200 OK",
            {
                "status": 200,
                "carries": [
                    {"header": "Set-Cookie", "name": "sid", "role": "session", "rejected": False},
                    {
                        "header": "Set-Cookie",
                        "name": "bad",
                        "role": "other",
                        "rejected": True,
                        "reason": "Secure cookie over http",
                    },
                ],
            },
            "The server answers with Set-Cookie sid.",
            tstate(store=sess),
            0,
        ),
        (
            "cookie",
            "browser",
            "browser",
            "cookie sid stored",
            {"action": "stored", "name": "sid", "reason": ""},
            "The browser stores sid.",
            inn,
            0,
        ),
        (
            "request",
            "browser",
            "server",
            "GET /api/profile",
            {
                "method": "GET",
                "path": "/api/profile",
                "carries": [{"header": "Cookie", "name": "sid", "role": "session"}],
            },
            "The browser attaches sid by itself.",
            inn,
            1,
        ),
        (
            "store",
            "server",
            "store",
            "GET sess:3f2a9c",
            {"command": "GET", "key": "sess:3f2a9c", "hit": True},
            "The server looks the session up: found.",
            inn,
            1,
        ),
        (
            "verdict",
            "server",
            "server",
            "session ok",
            {"ok": True, "check": "session", "reason": "session belongs to alice", "user": "alice"},
            "The server accepts the session.",
            inn,
            1,
        ),
        (
            "response",
            "server",
            "browser",
            "200 OK",
            {"status": 200, "carries": []},
            "The server answers 200 OK.",
            inn,
            1,
        ),
        (
            "request",
            "browser",
            "server",
            "POST /api/transfer",
            {
                "method": "POST",
                "path": "/api/transfer",
                "carries": [],
                "blocked": True,
                "block_reason": "CORS preflight refused",
                "context": {
                    "initiator": "https://evil.example",
                    "kind": "fetch",
                    "cross_site": True,
                },
                "left_out": [{"name": "sid", "reason": "SameSite=Lax on a cross-site POST"}],
            },
            "The browser refuses to send the cross-site request.",
            inn,
            2,
        ),
        (
            "attack",
            "attacker",
            "server",
            "replay sid",
            {"attack": "replay", "attempted": "replay", "stolen": {}, "success": False},
            "The attacker has nothing to replay.",
            tstate(cookies=[SID], signed_in="alice", store=sess),
            2,
        ),
        (
            "verdict",
            "server",
            "server",
            "session rejected",
            {"ok": False, "check": "session", "reason": "no session cookie", "user": None},
            "The server rejects the request without a session.",
            inn,
            2,
        ),
    ]
    events = [
        tevent(kind, src, dst, label, seq=i, t=i * 5.0, step=step, explain=why, state=st, detail=d)
        for i, (kind, src, dst, label, d, why, st, step) in enumerate(rows)
    ]
    steps = (
        Step("login", {"user": "alice", "password": "wonderland"}, "Alice logs in."),
        Step("profile", {}, "Alice opens her profile."),
        Step("attack", {}, "An attacker tries their luck."),
    )
    return ttrace(
        events,
        steps=steps,
        mode=mode,
        title="Fixture lesson",
        actors=("browser", "attacker", "server", "store"),
    )


@pytest.fixture
def make_trace() -> Callable[..., Trace]:
    """Factory for the hand-made trace (no simulator involved)."""
    return build_trace


@pytest.fixture
def window(qtbot: Any) -> Iterator[Any]:
    """A main window on the real simulator's `basics` lesson, animations off, seed 1."""
    from authflow.app.views.palette import LIGHT
    from authflow.app.window.shell import MainWindow

    win = MainWindow(scenario="basics", mode="session", seed=1, palette=LIGHT, animation_ms=0)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.start(-1)
    yield win
    win.shutdown()
    assert not win.player.playing, "a playback timer was left running"
    assert not win.stage.animating, "a packet animation was left running"


@pytest.fixture
def make_window(qtbot: Any) -> Iterator[Callable[..., Any]]:
    """Factory for main windows (light theme, seed 1, animations off unless given),
    each shut down and its theme undone at the end of the test."""
    from authflow.app.views.palette import LIGHT
    from authflow.app.window.shell import MainWindow

    made: list[Any] = []

    def make(**kwargs: Any) -> Any:
        kwargs.setdefault("palette", LIGHT)
        win = MainWindow(seed=1, animation_ms=0, **kwargs)
        qtbot.addWidget(win)
        made.append(win)
        return win

    yield make
    for win in made:
        win.shutdown()
        win.parts.themes.restore_application()


@pytest.fixture
def second_window(qtbot: Any) -> Iterator[Any]:
    """Another window, as the app's next start would open: the expiry lesson, seed 99."""
    from authflow.app.views.palette import LIGHT
    from authflow.app.window.shell import MainWindow

    win = MainWindow(scenario="expiry", mode="session", seed=99, palette=LIGHT, animation_ms=0)
    qtbot.addWidget(win)
    win.start(-1)
    yield win
    win.shutdown()
