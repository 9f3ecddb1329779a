"""Headers, store and browser-storage inspectors: their models and what they show."""

from __future__ import annotations

import dataclasses
from typing import Any

from inspector_fixtures import APP, TOKEN, fixture_trace
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication

from authflow import simulator
from authflow.app.views.inspectors.base import mono_font
from authflow.app.views.inspectors.headers import CREDENTIAL_ROLE, HeadersInspector, HeadersModel
from authflow.app.views.inspectors.storage_view import StorageInspector, storage_nodes
from authflow.app.views.inspectors.store_view import StoreInspector, group_of, store_nodes
from authflow.app.views.inspectors.tree_model import CHANGE_ROLE, Node, TreeModel
from authflow.simulator.trace.trace import StoreEntry


def test_headers_model_emphasises_credentials(qtmodeltester) -> None:
    model = HeadersModel()
    model.set_headers([["Host", "app.example"], ["Cookie", "sid=x"], ["Authorization", "Bearer y"]])
    qtmodeltester.check(model)
    credential = [model.data(model.index(r, 0), CREDENTIAL_ROLE) for r in range(3)]
    assert credential == [False, True, True]
    font = model.data(model.index(1, 1), Qt.ItemDataRole.FontRole)
    assert font.bold()
    assert model.data(model.index(0, 0), Qt.ItemDataRole.FontRole) is None


def test_headers_inspector_shows_request_then_response(qtbot) -> None:
    trace = fixture_trace()
    inspector = HeadersInspector()
    qtbot.addWidget(inspector)
    inspector.show_event_at(trace, 1)
    assert inspector.request_half.title.text() == f"Request from browser: POST {APP}/auth/login"
    assert inspector.response_half.title.text() == "Response: not yet (step forward)"
    assert '"user": "alice"' in inspector.request_half.body.toPlainText()
    inspector.show_event_at(trace, 2)
    assert inspector.response_half.title.text() == "Response: 200 OK"
    assert inspector.response_half.model.rows[0][0] == "Set-Cookie"
    raw = inspector.raw.toPlainText()
    assert raw.startswith("POST /auth/login HTTP/1.1\n")
    assert "\n\nHTTP/1.1 200 OK\n" in raw
    inspector.show_event_at(trace, 4)
    assert inspector.request_half.title.text().endswith("· cross-site")


def test_header_names_whole_and_body_at_table_size(qtbot) -> None:
    inspector = HeadersInspector()
    qtbot.addWidget(inspector)
    inspector.resize(900, 300)
    inspector.show()
    inspector.show_event_at(fixture_trace(), 1)
    half = inspector.request_half
    metrics = half.table.fontMetrics()
    for name, _value in half.model.rows:
        assert half.table.columnWidth(0) > metrics.horizontalAdvance(name)
    # The JSON body follows the table's size, also after the window scales its text.
    big = QFont(inspector.font())
    big.setPointSizeF(big.pointSizeF() * 2)
    inspector.setFont(big)
    assert half.body.font().pointSizeF() == half.table.font().pointSizeF()
    assert half.body.font().family() == mono_font().family()


def test_copy_as_curl_and_raw(qtbot) -> None:
    inspector = HeadersInspector()
    qtbot.addWidget(inspector)
    inspector.show_event_at(fixture_trace(), 4)
    inspector.copy_curl.click()
    curl = QGuiApplication.clipboard().text()
    assert curl.startswith(f"curl -X POST {APP}/api/transfer")
    assert f"'Authorization: Bearer {TOKEN}'" in curl
    inspector.copy_raw.click()
    assert QGuiApplication.clipboard().text().startswith("POST /api/transfer HTTP/1.1")


def test_edit_button_emits_the_request(qtbot) -> None:
    inspector = HeadersInspector()
    qtbot.addWidget(inspector)
    inspector.show_event_at(fixture_trace(), 4)
    with qtbot.waitSignal(inspector.edit_requested) as blocker:
        inspector.edit.click()
    detail: Any = blocker.args[0]
    assert detail["path"] == "/api/transfer"
    assert isinstance(detail["headers"], list)


def test_headers_tolerate_sparse_details(qtbot) -> None:
    """A hand-made or future live request may lack fields; the view says so, no crash."""
    trace = fixture_trace()
    sparse = trace.events[0]._replace(detail={"method": "GET", "request_id": 9})
    inspector = HeadersInspector()
    qtbot.addWidget(inspector)
    inspector.show_event_at(dataclasses.replace(trace, events=(sparse,)), 0)
    assert inspector.raw.toPlainText().startswith("(cannot render")


def test_store_groups_and_marks(qtmodeltester) -> None:
    assert group_of("sess:1") == "Sessions"
    assert group_of("deny:j1") == "Denylist"
    assert group_of("weird") == "Other keys"
    before = {"store": {"sess:old": StoreEntry("{}", 100.0), "deny:j1": StoreEntry("{}", None)}}
    now = {"store": {"sess:new": StoreEntry("{}", 1800.0), "deny:j1": StoreEntry("{}", None)}}
    nodes = store_nodes(now, before, {"store": {"deny:j1": "read"}}, now=0.0)
    model = TreeModel(("Key", "Value", "TTL", "This step"))
    model.set_nodes(nodes)
    qtmodeltester.check(model)
    groups = {g.texts[0]: g for g in nodes[0].children}
    assert list(groups) == ["Sessions (1, 1 deleted)", "Denylist (1)"]
    sessions = {n.texts[0]: n for n in groups["Sessions (1, 1 deleted)"].children}
    assert sessions["sess:new"].change == "written (new)"
    assert sessions["sess:new"].texts[2] == "t+30:00 · expires in 30 min"
    assert sessions["sess:old"].change == "deleted"
    assert sessions["sess:old"].strike
    assert groups["Denylist (1)"].children[0].texts[2:] == ("no TTL", "read")


def test_store_with_one_memory_store_per_server(qtbot) -> None:
    trace = simulator.run_scenario(
        "basics", "session", overrides={"servers": "2", "store": "memory"}, seed=1
    )
    inspector = StoreInspector()
    qtbot.addWidget(inspector)
    read = next(e.seq for e in trace.events if e.kind == "store" and e.dst == "store-2")
    inspector.show_event_at(trace, read)
    sections = [node.texts[0] for node in inspector.model.roots]
    assert sections == ["store-1", "store-2", "users"]
    login = next(e.seq for e in trace.events if e.kind == "store" and "user:" in e.label)
    inspector.show_event_at(trace, login)
    users = inspector.model.roots[2].children[0]
    marks = {n.texts[0]: n.change for n in users.children}
    assert marks["user:alice"] == "read"


def test_storage_sections_and_changes(qtmodeltester) -> None:
    nodes = storage_nodes(
        {APP: {"access_token": TOKEN, "theme": "dark"}},
        {"user": "alice"},
        {APP: {"theme": "light", "gone": "1"}},
        {},
    )
    model = TreeModel(("Key", "Value", "Change"))
    model.set_nodes(nodes)
    qtmodeltester.check(model)
    local = {n.texts[0]: n for n in nodes[0].children}
    assert nodes[0].texts[0] == f"localStorage · {APP}"
    assert local["access_token"].texts[2] == "added"
    assert local["theme"].texts[2] == "changed"
    assert local["gone"].texts[2] == "removed"
    assert model.data(model.index(0, 0, model.index(0, 0)), CHANGE_ROLE) == "added"
    memory = nodes[1]
    assert memory.texts[0] == "Page memory (JavaScript variables)"
    assert memory.children[0].texts == ("user", "alice", "added")


def test_storage_inspector_follows_jwt_basics(qtbot) -> None:
    trace = simulator.run_scenario("basics", "jwt", seed=2)
    inspector = StorageInspector()
    qtbot.addWidget(inspector)
    stored = next(e.seq for e in trace.events if e.kind == "storage")
    inspector.show_event_at(trace, stored)
    local = inspector.model.roots[0]
    assert local.texts[0] == f"localStorage · {APP}"
    assert [(n.texts[0], n.texts[2]) for n in local.children] == [("access_token", "added")]
    removed = next(
        e.seq for e in trace.events if e.kind == "storage" and e.detail["action"] == "remove"
    )
    inspector.show_event_at(trace, removed)
    local = inspector.model.roots[0]
    assert [(n.texts[0], n.texts[2]) for n in local.children] == [("access_token", "removed")]


def test_tree_model_edge_cases(qtmodeltester) -> None:
    root = Node(("a", "b"))
    child = root.add(Node(("c",), monospace=True, bold=True))
    model = TreeModel(("One", "Two"))
    model.set_nodes([root])
    qtmodeltester.check(model)
    index = model.index(0, 1, model.index(0, 0))
    assert model.data(index) == ""
    assert model.data(model.index(0, 0, model.index(0, 0)), Qt.ItemDataRole.FontRole).bold()
    assert child.row() == 0


def test_inspector_columns_grow_with_the_window_text(qtbot) -> None:
    inspector = StoreInspector()
    qtbot.addWidget(inspector)
    before = inspector.view.columnWidth(0)
    big = QFont(inspector.font())
    big.setPointSizeF(big.pointSizeF() * 2)
    inspector.setFont(big)
    assert inspector.view.columnWidth(0) >= 1.9 * before
