"""Every inspector stepped through every lesson in every mode: nothing raises, rows agree."""

from __future__ import annotations

import factories
import pytest

from authflow import simulator
from authflow.app.session.player import Player
from authflow.app.views.inspectors.cookies_view import CookiesInspector
from authflow.app.views.inspectors.headers import HeadersInspector
from authflow.app.views.inspectors.storage_view import StorageInspector
from authflow.app.views.inspectors.store_view import StoreInspector
from authflow.app.views.inspectors.token_decoder import TokenDecoder


@pytest.mark.parametrize("name", simulator.scenario_names())
def test_inspectors_step_through_the_lesson_in_each_mode(qtbot, name: str) -> None:
    scenario = simulator.load_scenario(name)
    for mode in scenario.modes:
        trace = simulator.run_scenario(name, mode, seed=1)
        player = Player()
        cookies = CookiesInspector(player)
        widgets = (
            cookies,
            HeadersInspector(player),
            StoreInspector(player),
            StorageInspector(player),
            TokenDecoder(player),
        )
        for widget in widgets:
            qtbot.addWidget(widget)
        player.set_trace(trace, 0)
        while True:
            state = trace.events[player.index].state
            shown = [r.cookie for r in cookies.jar_model.rows if r.change != "deleted"]
            assert shown == list(state.cookies), (name, mode, player.index)
            if not player.step_forward():
                break


def test_behind_the_balancer_each_response_pairs_with_the_hop_it_answers(qtbot) -> None:
    trace = factories.run("scale-out", "hybrid")
    inspector = HeadersInspector()
    qtbot.addWidget(inspector)
    checked = set()
    for index, event in enumerate(trace.events):
        if event.kind != "response" or event.detail.get("status") == 204:
            continue
        inspector.show_event_at(trace, index)
        request, response = inspector.request_event, inspector.response_event
        assert request is not None
        assert response is not None
        # The request shown is the one sent over this hop, and its response is this one.
        assert (request.src, request.dst) == (event.dst, event.src), (index, event.label)
        assert response is event
        checked.add((event.src, event.dst))
    assert {("lb", "browser"), ("server-1", "lb"), ("server-2", "lb")} <= checked
