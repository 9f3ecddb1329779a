"""A real Chromium (Qt WebEngine) with two tabs, observed through the DevTools protocol.

`WebEngineBrowser` is authflow.simulator.live.runner's `RealBrowser`: an off-the-record profile
per run, the app's tab and evil.example's tab, the page's script called and polled
(`runJavaScript` does not await promises), and three observers: a DevTools protocol
connection per tab (the real Cookie header, Set-Cookie lines and Chromium's blocked
reasons), the cookie store's signals, and, outside this module, the loopback server's
own record. Observations are kept as plain data for authflow.simulator.live.join.

Qt WebEngine is process-global: `start_engine` sets it up once, before the first profile
(the DevTools server's port must be in the environment by then; Qt offers no way to
close it again, so it is opened only when live mode is first used, on 127.0.0.1).
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, QTimer, QUrl
from PySide6.QtNetwork import QNetworkCookie
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile
from PySide6.QtWebSockets import QWebSocket

DEFAULT_TIMEOUT = 20.0
"""Seconds any one wait may take before the run fails with a message (a loaded CI
machine starts Chromium in a few seconds)."""

_engine_port: int | None = None


class LiveError(RuntimeError):
    """The real browser did not do what was asked in time; the message says what."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_engine() -> int:
    """Prepare Qt WebEngine once per process; the DevTools protocol's port."""
    global _engine_port
    if _engine_port is None:
        _engine_port = _free_port()
        os.environ["QTWEBENGINE_REMOTE_DEBUGGING"] = f"127.0.0.1:{_engine_port}"
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            # Chromium refuses to start as root without it; never passed otherwise.
            flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
            if "--no-sandbox" not in flags.split():
                os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = f"{flags} --no-sandbox".strip()
    return _engine_port


class _Page(QWebEnginePage):
    """A page whose console messages go to the run's record, not to stderr."""

    def __init__(self, profile: QWebEngineProfile, console: list[str], parent: QObject) -> None:
        super().__init__(profile, parent)
        self._console = console

    def javaScriptConsoleMessage(
        self,
        level: QWebEnginePage.JavaScriptConsoleMessageLevel,
        message: str,
        line: int,
        source: str,
    ) -> None:
        self._console.append(message)


class _Tab(QObject):
    """One page of the run and its DevTools connection."""

    def __init__(self, name: str, profile: QWebEngineProfile, owner: WebEngineBrowser) -> None:
        super().__init__(owner)
        self.name = name
        self.owner = owner
        self.page = _Page(profile, owner.console, self)
        self.loading = False
        self.load_ok = True
        self.page.loadStarted.connect(self._started)
        self.page.loadFinished.connect(self._finished)
        self.socket = QWebSocket()
        self.socket.textMessageReceived.connect(self._message)
        self.connected = False
        self.socket.connected.connect(self._connected)
        self.acks: set[int] = set()

    def _started(self) -> None:
        self.loading = True

    def _finished(self, ok: bool) -> None:
        self.loading = False
        self.load_ok = ok

    def _connected(self) -> None:
        self.connected = True

    def _message(self, text: str) -> None:
        message = json.loads(text)
        if "id" in message:
            self.acks.add(int(message["id"]))
            return
        self.owner.cdp.append((next(self.owner.order), self.name, message))

    def open(self, port: int) -> None:
        self.socket.open(QUrl(f"ws://127.0.0.1:{port}/devtools/page/{self.page.devToolsId()}"))

    def send(self, ident: int, method: str) -> None:
        self.socket.sendTextMessage(json.dumps({"id": ident, "method": method}))


class WebEngineBrowser(QObject):
    """The real browser of one live run; `close()` when done."""

    def __init__(self, order: Iterator[int], timeout: float = DEFAULT_TIMEOUT) -> None:
        super().__init__()
        port = start_engine()
        self.order = order
        self.timeout = timeout
        self.cdp: list[tuple[int, str, dict[str, Any]]] = []
        """(order, tab, DevTools protocol event) as received."""
        self.console: list[str] = []
        """Console messages of both tabs (Chromium's CORS errors land here)."""
        self.cookie_signals: list[tuple[int, str, dict[str, Any]]] = []
        """(order, "added" or "removed", cookie) from the cookie store's signals."""
        # Off the record (no storage name): nothing of the run reaches the disk.
        self.profile = QWebEngineProfile(self)
        self.profile.setHttpCacheType(QWebEngineProfile.HttpCacheType.NoCache)
        store = self.profile.cookieStore()
        store.cookieAdded.connect(lambda c: self._cookie("added", c))
        store.cookieRemoved.connect(lambda c: self._cookie("removed", c))
        self.tabs = {name: _Tab(name, self.profile, self) for name in ("app", "attacker")}
        for tab in self.tabs.values():
            tab.open(port)
        self._wait(lambda: all(t.connected for t in self.tabs.values()), "DevTools connection")
        for tab in self.tabs.values():
            tab.send(1, "Network.enable")
            tab.send(2, "Audits.enable")
        self._wait(lambda: all({1, 2} <= t.acks for t in self.tabs.values()), "DevTools setup")

    # -- waiting ----------------------------------------------------------------------------
    def _wait(self, done: Callable[[], bool], what: str, timeout: float | None = None) -> None:
        limit = time.monotonic() + (timeout or self.timeout)
        loop = QEventLoop()
        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(lambda: loop.quit() if done() or time.monotonic() > limit else None)
        timer.start()
        if not done():
            loop.exec()
        timer.stop()
        if not done():
            raise LiveError(f"the real browser timed out waiting for {what}")

    # -- observers --------------------------------------------------------------------------
    def _cookie(self, action: str, cookie: QNetworkCookie) -> None:
        expiry = cookie.expirationDate()
        self.cookie_signals.append(
            (
                next(self.order),
                action,
                {
                    "name": bytes(cookie.name().data()).decode("utf-8", "replace"),
                    "value": bytes(cookie.value().data()).decode("utf-8", "replace"),
                    "domain": cookie.domain().lstrip("."),
                    "host_only": not cookie.domain().startswith("."),
                    "path": cookie.path(),
                    "expires": expiry.toSecsSinceEpoch() if expiry.isValid() else None,
                    "httpOnly": cookie.isHttpOnly(),
                    "secure": cookie.isSecure(),
                },
            )
        )

    def cookies(self) -> list[dict[str, Any]]:
        jar: dict[tuple[str, str, str], dict[str, Any]] = {}
        for _order, action, c in self.cookie_signals:
            key = (c["name"], c["domain"], c["path"])
            if action == "added":
                jar[key] = c
            else:
                jar.pop(key, None)
        return list(jar.values())

    # -- RealBrowser ------------------------------------------------------------------------
    def _run_js(self, tab: str, source: str) -> Any:
        box: list[Any] = []
        self.tabs[tab].page.runJavaScript(source, 0, box.append)
        self._wait(lambda: bool(box), f"a script in the {tab} tab")
        return box[0]

    def script(self, tab: str, source: str) -> Any:
        slot = f"__authflow_{next(self.order)}"
        self._run_js(
            tab,
            f"window.{slot} = null; Promise.resolve({source}).then("
            f"v => window.{slot} = JSON.stringify({{ok: true, value: v === undefined ? null : v}}),"
            f" e => window.{slot} = JSON.stringify({{ok: false, error: String(e)}})); 0",
        )
        box: list[str] = []

        def ready() -> bool:
            if not box:
                value = self._poll(tab, f"window.{slot}")
                if value:
                    box.append(value)
            return bool(box)

        self._wait(ready, f"a script in the {tab} tab to finish")
        result = json.loads(box[0])
        if not result.get("ok"):
            raise LiveError(f"a script in the {tab} tab failed: {result.get('error')}")
        return result.get("value")

    def _poll(self, tab: str, expression: str) -> Any:
        box: list[Any] = []
        self.tabs[tab].page.runJavaScript(expression, 0, box.append)
        loop_limit = time.monotonic() + 2
        while not box and time.monotonic() < loop_limit:
            _spin()
        return box[0] if box else None

    def call(self, function: str, *args: Any) -> Any:
        source = f"authflow.start({json.dumps(function)}, {json.dumps(list(args))})"
        ident = self._run_js("app", source)
        return self.script(
            "app",
            f"(async () => {{ while (!authflow.results[{ident}])"
            " await new Promise(r => setTimeout(r, 5));"
            f" const r = authflow.results[{ident}];"
            " if (!r.ok) throw new Error(r.error); return r.value; })()",
        )

    def navigate(self, tab: str, url: str, until: Callable[[], bool] | None = None) -> None:
        t = self.tabs[tab]
        t.loading = True
        t.page.load(QUrl(url))
        self._wait(lambda: not t.loading and (until is None or until()), f"{url} to load")

    def settle(self) -> None:
        """Every request seen has ended (finished or failed), then 60 ms of quiet."""
        quiet = 0.06
        last = [len(self.cdp), time.monotonic()]

        def done() -> bool:
            if len(self.cdp) != last[0]:
                last[0], last[1] = len(self.cdp), time.monotonic()
                return False
            return self._all_ended() and time.monotonic() - last[1] >= quiet

        self._wait(done, "the browser's requests to end")

    def _all_ended(self) -> bool:
        started: set[str] = set()
        ended: set[str] = set()
        for _o, _tab, m in self.cdp:
            method = m.get("method")
            rid = m.get("params", {}).get("requestId")
            if method == "Network.requestWillBeSent":
                started.add(rid)
            elif method in ("Network.loadingFinished", "Network.loadingFailed"):
                ended.add(rid)
        return started <= ended

    def close(self) -> None:
        for tab in self.tabs.values():
            tab.socket.close()
        # The pages before their profile (a profile deleted under a page crashes).
        for tab in self.tabs.values():
            tab.page.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        self.profile.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _spin() -> None:
    QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
