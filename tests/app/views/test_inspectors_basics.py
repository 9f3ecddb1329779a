"""Every inspector against the trace's own state while stepping through `basics` and back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex

from authflow import simulator
from authflow.app.session.player import Player
from authflow.app.views.inspectors.cookies_view import CookiesInspector
from authflow.app.views.inspectors.headers import HeadersInspector
from authflow.app.views.inspectors.storage_view import StorageInspector
from authflow.app.views.inspectors.store_view import StoreInspector
from authflow.app.views.inspectors.token_decoder import TokenDecoder
from authflow.app.views.inspectors.tree_model import TreeModel
from authflow.simulator.trace.exchanges import request_for, response_to
from authflow.simulator.trace.trace import Trace


def leaves(model: TreeModel, parent: QModelIndex | None = None) -> list[tuple[str, ...]]:
    """Column texts of every leaf row, depth first."""
    parent = parent or QModelIndex()
    out: list[tuple[str, ...]] = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        if model.rowCount(index):
            out += leaves(model, index)
        else:
            out.append(model.node(index).texts)
    return out


class Inspectors:
    def __init__(self, player: Player, qtbot) -> None:
        self.cookies = CookiesInspector(player)
        self.headers = HeadersInspector(player)
        self.store = StoreInspector(player)
        self.storage = StorageInspector(player)
        self.token = TokenDecoder(player)
        for widget in (self.cookies, self.headers, self.store, self.storage, self.token):
            qtbot.addWidget(widget)

    def check(self, trace: Trace, index: int) -> None:
        event = trace.events[index]
        state = event.state
        # Cookies: every cookie of the jar, in order, then deleted ones marked as such.
        rows = self.cookies.jar_model.rows
        assert [r.cookie for r in rows if r.change != "deleted"] == list(state.cookies)
        request = request_for(trace.events, index)
        expected_left = [] if request is None else request.detail.get("left_out") or []
        assert self.cookies.left_out_model.rows == [(x["name"], x["reason"]) for x in expected_left]
        # Headers: the step's request and, once it happened, its response.
        if request is None:
            assert self.headers.request_half.model.rows == []
        else:
            assert self.headers.request_half.model.rows == [
                (n, v) for n, v in request.detail["headers"]
            ]
            response = response_to(trace.events, index, request)
            expected = [] if response is None else [(n, v) for n, v in response.detail["headers"]]
            assert self.headers.response_half.model.rows == expected
        # Store: each key of each store once, with its value.
        shown = {(k, v) for k, v, *_ in leaves(self.store.model) if v}
        live = {(k, e.value) for entries in state.stores.values() for k, e in entries.items()}
        assert live <= shown
        deleted = {row[0] for row in leaves(self.store.model) if row[3] == "deleted"}
        assert not deleted & {k for k, _ in live}
        # Storage: localStorage per origin and page memory.
        storage_rows = {
            (k, v) for k, v, change in leaves(self.storage.model) if change != "removed"
        }
        expected_storage = {(k, v) for kv in state.local_storage.values() for k, v in kv.items()}
        expected_storage |= set(state.memory.items())
        assert {r for r in storage_rows if r[0] != "(empty)"} == expected_storage
        # Token decoder: every credential the server minted in basics verifies.
        if self.token.found and self.token.kind != "opaque":
            assert self.token.verdict is not None
            assert self.token.verdict.ok, self.token.verdict.reason


@pytest.mark.parametrize("mode", ["session", "jwt", "hybrid"])
def test_inspectors_follow_basics_forward_and_back(qtbot, mode: str) -> None:
    trace = simulator.run_scenario("basics", mode, seed=11)
    player = Player()
    inspectors = Inspectors(player, qtbot)
    player.set_trace(trace, 0)
    inspectors.check(trace, 0)
    while player.step_forward():
        inspectors.check(trace, player.index)
    assert player.index == len(trace.events) - 1
    while player.step_back():
        inspectors.check(trace, player.index)
    assert player.index == 0


def test_session_cookie_shows_added_then_deleted(qtbot) -> None:
    trace = simulator.run_scenario("basics", "session", seed=11)
    player = Player()
    inspectors = Inspectors(player, qtbot)
    stored = next(
        e.seq for e in trace.events if e.kind == "cookie" and e.detail["action"] == "stored"
    )
    deleted = next(
        e.seq for e in trace.events if e.kind == "cookie" and e.detail["action"] == "deleted"
    )
    player.set_trace(trace, stored)
    assert [(r.cookie.name, r.change) for r in inspectors.cookies.jar_model.rows] == [
        ("sid", "added")
    ]
    player.jump(deleted)
    assert [(r.cookie.name, r.change) for r in inspectors.cookies.jar_model.rows] == [
        ("sid", "deleted")
    ]
    player.step_back()
    assert [r.cookie.name for r in inspectors.cookies.jar_model.rows] == ["sid"]
