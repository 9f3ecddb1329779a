"""The event log: rows, filters, and selection in step with the player."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from typing import Any

import pytest
from factories import tevent, tstate, ttrace
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from authflow.app.session.player import Player
from authflow.app.views.eventlog import EventLogWidget
from authflow.app.views.eventlog_model import (
    COL_CREDENTIAL,
    COL_NUMBER,
    COL_ROUTE,
    COL_STATUS,
    COL_TIME,
    EventFilterProxy,
    EventLogModel,
    format_sim_time,
)
from authflow.simulator.trace.trace import (
    Event,
    Step,
    Trace,
    frozen_map,
)

STATE = tstate(stores={})


def event(seq: int, kind: str, src: str, dst: str, label: str, **detail: Any) -> Event:
    """An event as the engine writes it (fixed times: half a second apart)."""
    return tevent(
        kind,
        src,
        dst,
        label,
        seq=seq,
        t=seq * 0.5,
        step=seq // 4,
        explain=f"because {label}",
        state=STATE,
        detail=detail,
    )


def make_trace(n: int = 8) -> Trace:
    """`n` events cycling request, store, verdict, response (the shape of a profile call)."""
    events = []
    for seq in range(n):
        kind = ("request", "store", "verdict", "response")[seq % 4]
        if kind == "request":
            events.append(
                event(
                    seq,
                    "request",
                    "browser",
                    "server",
                    "GET /api/profile",
                    method="GET",
                    url="https://app.example/api/profile",
                    path="/api/profile",
                    headers=[["Cookie", "sid=abc"]],
                    body=None,
                    request_id=f"r{seq}",
                    carries=[{"header": "Cookie", "name": "sid", "role": "session"}],
                )
            )
        elif kind == "store":
            events.append(
                event(
                    seq,
                    "store",
                    "server",
                    "store",
                    "GET sess:3f…",
                    command="GET",
                    key="sess:3f",
                    hit=True,
                )
            )
        elif kind == "verdict":
            events.append(
                event(
                    seq,
                    "verdict",
                    "server",
                    "server",
                    "session ok",
                    ok=seq % 8 == 2,
                    check="session",
                    reason="belongs to alice" if seq % 8 == 2 else "expired",
                    user="alice",
                )
            )
        else:
            events.append(
                event(
                    seq,
                    "response",
                    "server",
                    "browser",
                    "200 OK",
                    status=200,
                    reason="OK",
                    request_id=f"r{seq - 3}",
                    carries=[],
                )
            )
    steps = tuple(Step("profile", frozen_map(), "") for _ in range(n // 4 + 1))
    return ttrace(events, steps=steps, scenario="synthetic", title="Synthetic")


def test_model_rows_show_number_time_route_status_and_credential(qtmodeltester: Any) -> None:
    model = EventLogModel()
    model.set_trace(make_trace(8))
    qtmodeltester.check(model)
    assert model.rowCount() == 8

    def cell(row: int, col: int) -> str:
        return str(model.data(model.index(row, col)))

    assert [cell(0, COL_NUMBER), cell(0, COL_TIME)] == ["1", "0:00:00.0"]
    assert cell(0, COL_ROUTE) == "browser → server"
    assert cell(0, COL_CREDENTIAL) == "Cookie sid"
    assert cell(2, COL_ROUTE) == "server"
    assert cell(2, COL_STATUS) == "✓ belongs to alice"
    assert cell(6, COL_STATUS) == "✗ expired"
    assert cell(3, COL_STATUS) == "200 OK"


def test_append_adds_rows_at_the_end(qtbot: QtBot) -> None:
    model = EventLogModel()
    trace = make_trace(8)
    model.set_trace(trace)
    with qtbot.wait_signal(model.rowsInserted):
        model.append_events(list(make_trace(12).events[8:]))
    assert model.rowCount() == 12


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0:00:00.0"),
        (65.25, "0:01:05.2"),
        (3600 * 5, "5:00:00.0"),
        (86400 * 7 + 3, "7d 0:00:03"),
    ],
)
def test_times_read_as_a_clock(seconds: float, text: str) -> None:
    assert format_sim_time(seconds) == text


def widget_with_player(qtbot: QtBot, n: int = 8) -> tuple[EventLogWidget, Player]:
    player = Player()
    log = EventLogWidget(player)
    qtbot.addWidget(log)
    player.set_trace(make_trace(n), index=0)
    return log, player


def test_selecting_a_row_moves_the_player(qtbot: QtBot) -> None:
    log, player = widget_with_player(qtbot)
    log.resize(900, 400)
    log.show()
    qtbot.wait_exposed(log)
    with qtbot.wait_signal(player.step_changed) as blocker:
        rect = log.table.visualRect(log.table.model().index(5, 1))
        qtbot.mouseClick(log.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [5]
    assert player.index == 5


def test_player_step_selects_the_row(qtbot: QtBot) -> None:
    log, player = widget_with_player(qtbot)
    player.jump(6)
    assert log.table.selectionModel().currentIndex().row() == 6
    # Programmatic selection does not echo back into the player.
    with qtbot.assert_not_emitted(player.step_changed):
        log.show_step(6)


def test_filter_by_kind_and_actor_keeps_jumps_right(qtbot: QtBot) -> None:
    log, player = widget_with_player(qtbot, 12)
    log.set_kinds({"request", "response"})
    assert log.proxy.rowCount() == 6
    assert log.count_label.text() == "6 of 12"
    log.set_actor("store")
    assert log.proxy.rowCount() == 0
    log.set_kinds(None)
    assert log.proxy.rowCount() == 3
    # The third visible row (a store event) is trace index 9.
    with qtbot.wait_signal(player.step_changed) as blocker:
        log.table.setCurrentIndex(log.proxy.index(2, 0))
    assert blocker.args == [9]
    log.set_actor(None)
    # With no filter the table shows the model itself (no per-row filter calls).
    assert log.table.model() is log.model
    assert log.count_label.text() == "12 events"


def test_filtered_out_step_clears_selection(qtbot: QtBot) -> None:
    log, player = widget_with_player(qtbot)
    log.set_kinds({"request"})
    player.jump(1)  # a store event: hidden
    assert not log.table.selectionModel().hasSelection()
    player.jump(4)
    current = log.table.selectionModel().currentIndex()
    assert log.proxy.mapToSource(current).row() == 4


def test_vertical_header_is_hidden(qtbot: QtBot) -> None:
    log, _ = widget_with_player(qtbot)
    assert not log.table.verticalHeader().isVisible()
    assert log.table.model().headerData(0, Qt.Orientation.Horizontal) == "#"


def test_filter_proxy_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = EventLogModel()
    model.set_trace(make_trace(12))
    proxy = EventFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_filter({"store", "verdict"}, "server")
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 6
    assert proxy.parent(QModelIndex()) == QModelIndex()


def test_main_window_docks_the_log_and_diagram_with_an_export_action(window: Any) -> None:
    from PySide6.QtWidgets import QDockWidget

    from authflow.app.views.sequence import SequenceView

    docks = {d.windowTitle(): d for d in window.findChildren(QDockWidget)}
    assert isinstance(docks["Event log"].widget(), EventLogWidget)
    assert isinstance(docks["Sequence diagram"].widget(), SequenceView)
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    export_texts = [a.text() for a in menus["Export"].actions()]
    assert "&Export…" in export_texts
    shortcuts = [a.shortcut().toString() for a in menus["Export"].actions()]
    assert "Ctrl+E" in shortcuts


def test_selecting_a_log_row_moves_the_stage(window: Any, qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QDockWidget

    log = next(
        d.widget() for d in window.findChildren(QDockWidget) if d.windowTitle() == "Event log"
    )
    with qtbot.wait_signal(window.stage.event_shown) as blocker:
        log.table.setCurrentIndex(log.table.model().index(4, 0))
    assert blocker.args == [4]
    assert window.player.index == 4
