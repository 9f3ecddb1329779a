"""app/views/inspectors/cookies_model.py, cookies_view.py: jar rows, changes, left-out reasons."""

from __future__ import annotations

from inspector_fixtures import SIGNED_SID, fixture_trace, sid_cookie, theme_cookie
from PySide6.QtCore import Qt

from authflow import simulator
from authflow.app.session.player import Player
from authflow.app.views.inspectors.cookies_model import (
    CHANGE_ROLE,
    COLUMNS,
    CookieJarModel,
    LeftOutModel,
    diff_rows,
)
from authflow.app.views.inspectors.cookies_view import CookiesInspector
from authflow.simulator.trace.details import LeftOutRef


def cell(model: CookieJarModel, row: int, column: str, role: int = 0) -> object:
    return model.data(model.index(row, COLUMNS.index(column)), role)


def test_jar_model_passes_qtmodeltester(qtmodeltester) -> None:
    model = CookieJarModel()
    model.set_jar((theme_cookie(), sid_cookie()), (theme_cookie(),), now=60.0)
    qtmodeltester.check(model)


def test_left_out_model_passes_qtmodeltester(qtmodeltester) -> None:
    model = LeftOutModel()
    model.set_left_out([LeftOutRef("sid", "SameSite=Strict: cross-site request")])
    qtmodeltester.check(model)


def test_columns_show_every_attribute_on_the_simulated_clock() -> None:
    model = CookieJarModel()
    model.set_jar((theme_cookie(), sid_cookie()), None, now=600.0)
    assert cell(model, 0, "Name") == "theme"
    assert cell(model, 0, "Expires / Max-Age") == "t+1:00:00 · expires in 50 min"
    assert cell(model, 0, "SameSite") == "Lax (default)"
    assert cell(model, 0, "HttpOnly") == "-"
    assert cell(model, 1, "Expires / Max-Age") == "Session"
    assert cell(model, 1, "Value") == SIGNED_SID
    assert cell(model, 1, "HttpOnly") == "✓"
    assert cell(model, 1, "Size") == str(3 + len(SIGNED_SID))
    model.set_jar((theme_cookie(),), None, now=3660.0)
    assert cell(model, 0, "Expires / Max-Age") == "t+1:00:00 · expired 60 s ago"


def test_changes_are_marked_in_text_and_tint() -> None:
    changed = sid_cookie(value="other.sig")
    rows = diff_rows((changed, theme_cookie()), (sid_cookie(),))
    assert [r.change for r in rows] == ["changed", "added"]
    rows = diff_rows((), (sid_cookie(),))
    assert [(r.cookie.name, r.change) for r in rows] == [("sid", "deleted")]
    model = CookieJarModel()
    model.set_jar((), (sid_cookie(),), now=0.0)
    assert cell(model, 0, "Change") == "deleted"
    assert cell(model, 0, "Name", CHANGE_ROLE) == "deleted"
    assert cell(model, 0, "Name", Qt.ItemDataRole.BackgroundRole) is not None
    font = cell(model, 0, "Name", Qt.ItemDataRole.FontRole)
    assert font.strikeOut()


def test_inspector_follows_the_player_forward_and_back(qtbot) -> None:
    trace = fixture_trace()
    player = Player()
    inspector = CookiesInspector(player)
    qtbot.addWidget(inspector)
    player.set_trace(trace, 0)
    assert [r.cookie.name for r in inspector.jar_model.rows] == ["theme"]
    player.jump(2)
    rows = inspector.jar_model.rows
    assert [(r.cookie.name, r.change) for r in rows] == [("theme", ""), ("sid", "added")]
    player.jump(3)
    assert [(r.cookie.name, r.change) for r in inspector.jar_model.rows] == [
        ("sid", "added"),
        ("theme", "deleted"),
    ]
    player.step_back()
    assert [(r.cookie.name, r.change) for r in inspector.jar_model.rows] == [
        ("theme", ""),
        ("sid", "added"),
    ]


def test_cross_site_request_lists_strict_cookie_as_left_out(qtbot) -> None:
    trace = fixture_trace()
    inspector = CookiesInspector()
    qtbot.addWidget(inspector)
    inspector.show_event_at(trace, 4)
    assert inspector.left_out_model.rows == [("sid", "SameSite=Strict: cross-site request")]
    assert not inspector.left_out_view.isHidden()
    assert inspector.left_out_title.text() == "Left out of POST /api/transfer: 1 cookie"
    inspector.show_event_at(trace, 0)
    assert inspector.left_out_model.rows == []
    assert inspector.left_out_title.text() == "Left out of POST /auth/login: none"


def test_real_csrf_form_post_leaves_out_the_strict_session_cookie(qtbot) -> None:
    trace = simulator.run_scenario("csrf", "session", overrides={"same_site": "Strict"}, seed=4)
    player = Player()
    inspector = CookiesInspector(player)
    qtbot.addWidget(inspector)
    post = next(
        e.seq
        for e in trace.events
        if e.kind == "request"
        and e.detail["context"]["cross_site"]
        and e.detail["method"] == "POST"
    )
    player.set_trace(trace, post)
    assert inspector.left_out_model.rows == [("sid", "SameSite=Strict: cross-site request")]
    assert [r.cookie.name for r in inspector.jar_model.rows] == ["sid"]
    last_of_step = max(e.seq for e in trace.events if e.step == trace.events[post].step)
    player.jump(last_of_step)
    assert inspector.left_out_model.rows == [("sid", "SameSite=Strict: cross-site request")]
    player.jump(post)
    player.step_back()
    assert inspector.left_out_model.rows == []
