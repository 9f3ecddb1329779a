"""csrf-defences: one forged cross-site form POST against each server-side defence, the
app's own transfer under each, and login CSRF."""

from __future__ import annotations

import pytest
from lesson_trace import (
    attack,
    carried,
    header,
    requests,
    run,
    statuses,
    step_index,
    verdicts,
)

from authflow.simulator.trace.trace import Trace

REFUSED_BECAUSE = {
    "token": "no X-CSRF-Token header: a cross-site page cannot know the token",
    "double-submit": "no X-CSRF-Token header: a cross-site page cannot read the csrf cookie",
    "origin-check": "Origin https://evil.example is not the app's own https://app.example",
    "fetch-metadata": "Sec-Fetch-Site is cross-site: the request was started by another site",
}
COOKIE = {"session": "sid", "jwt": "access_token"}


def _csrf_checks(t: Trace, action: str) -> list[tuple[bool, str]]:
    return [(bool(v["ok"]), str(v["reason"])) for v in verdicts(t, step_index(t, action), "csrf")]


@pytest.mark.parametrize("mode", ["session", "jwt"])
def test_no_defence_lets_the_forged_transfer_through(mode: str) -> None:
    t = run("csrf-defences", mode)
    i = step_index(t, "csrf")
    assert ("Cookie", COOKIE[mode]) in carried(requests(t, i, "/api/transfer")[0])
    assert attack(t, i)["status"] == 200
    assert _csrf_checks(t, "csrf") == []


@pytest.mark.parametrize("mode", ["session", "jwt"])
@pytest.mark.parametrize("defence", sorted(REFUSED_BECAUSE))
def test_each_defence_refuses_the_forgery_and_passes_the_app(mode: str, defence: str) -> None:
    t = run("csrf-defences", mode, csrf_defence=defence)
    i = step_index(t, "csrf")
    forged = requests(t, i, "/api/transfer")[0]
    assert ("Cookie", COOKIE[mode]) in carried(forged)  # SameSite=None: only the server stops it
    assert attack(t, i)["status"] == 403
    assert _csrf_checks(t, "csrf") == [(False, REFUSED_BECAUSE[defence])]
    own = requests(t, step_index(t, "transfer"), "/api/transfer")[0]
    assert header(own, "Origin") == "https://app.example"
    ((ok, _),) = _csrf_checks(t, "transfer")
    assert ok
    assert statuses(t, step_index(t, "transfer")) == [200]


def test_double_submit_echoes_the_signed_cookie() -> None:
    t = run("csrf-defences", "session", csrf_defence="double-submit")
    own = requests(t, step_index(t, "transfer"), "/api/transfer")[0]
    cookie = dict(p.split("=", 1) for p in str(header(own, "Cookie")).split("; "))
    assert header(own, "X-CSRF-Token") == cookie["csrf"]
    assert cookie["csrf"].startswith("alice.")
    assert _csrf_checks(t, "transfer") == [
        (True, "X-CSRF-Token equals the csrf cookie, signed for alice")
    ]


def _whose_profile(t: Trace) -> str | None:
    (check,) = [v for v in verdicts(t, step_index(t, "profile")) if v["check"] != "csrf"]
    return str(check["user"]) if check["ok"] else None


@pytest.mark.parametrize("mode", ["session", "jwt"])
@pytest.mark.parametrize("defence", ["none", "token", "double-submit"])
def test_login_csrf_signs_the_victim_in_as_the_attacker(mode: str, defence: str) -> None:
    t = run("csrf-defences", mode, csrf_defence=defence)
    result = attack(t, step_index(t, "login_csrf"))
    assert result["success"] is True
    assert result["planted"] == [COOKIE[mode]]
    assert _whose_profile(t) == "bob"


@pytest.mark.parametrize("mode", ["session", "jwt"])
@pytest.mark.parametrize("defence", ["origin-check", "fetch-metadata"])
def test_origin_and_fetch_metadata_refuse_a_cross_site_login(mode: str, defence: str) -> None:
    t = run("csrf-defences", mode, csrf_defence=defence)
    i = step_index(t, "login_csrf")
    result = attack(t, i)
    assert result["status"] == 403
    assert result["success"] is False
    ((ok, reason),) = _csrf_checks(t, "login_csrf")
    assert not ok
    assert "login with" in reason
    assert _whose_profile(t) == "alice"
