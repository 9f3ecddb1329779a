"""logout-everywhere: "log out of all devices" ends what the server keeps a record of;
what that is depends on the mode and, for JWTs, on `revocation`."""

from __future__ import annotations

import pytest
from lesson_trace import app_statuses, events, requests, run, step_index

from authflow.simulator.trace.trace import Trace


def _phone(t: Trace, nth: int) -> list[int]:
    return app_statuses(t, step_index(t, "phone_profile", nth), to="phone")


def _listed(t: Trace) -> object:
    i = step_index(t, "sessions")
    (answer,) = [e for e in events(t, i, "response") if e.dst == "browser"]
    assert answer.detail["status"] == 200
    return answer.detail["body"]["logins"]


def test_the_phone_is_a_second_browser_with_its_own_credential() -> None:
    t = run("logout-everywhere", "session")
    laptop = requests(t, step_index(t, "sessions"))[0]
    phone = requests(t, step_index(t, "phone_profile"))[0]
    assert laptop.src == "browser"
    assert phone.src == "phone"
    assert laptop.detail["headers"] != phone.detail["headers"], "two different sid cookies"
    assert "phone" in t.actors


@pytest.mark.parametrize(("mode", "key"), [("session", "session"), ("hybrid", "refresh_family")])
def test_the_session_list_shows_both_devices(mode: str, key: str) -> None:
    logins = _listed(run("logout-everywhere", mode))
    assert isinstance(logins, list)
    assert len(logins) == 2
    assert all(key in login for login in logins)


def test_a_jwt_server_has_no_list_to_show() -> None:
    assert _listed(run("logout-everywhere", "jwt")) is None


def test_session_logout_everywhere_ends_the_phone_at_once() -> None:
    t = run("logout-everywhere", "session")
    assert _phone(t, 1) == [200]
    assert _phone(t, 2) == [401]
    store = events(t, step_index(t, "logout_all"))[-1].state.stores["store"]
    assert not [k for k in store if k.startswith("sess:")], "every session record is gone"


@pytest.mark.parametrize(
    ("revocation", "at_once"), [("none", 200), ("denylist", 200), ("token-version", 401)]
)
def test_jwt_logout_everywhere_reaches_what_revocation_allows(
    revocation: str, at_once: int
) -> None:
    t = run("logout-everywhere", "jwt", revocation=revocation)
    assert _phone(t, 2) == [at_once]
    assert _phone(t, 3) == [401], "expired by then in any case"


def test_hybrid_logout_everywhere_revokes_every_family() -> None:
    t = run("logout-everywhere", "hybrid")
    store = events(t, step_index(t, "logout_all"))[-1].state.stores["store"]
    families = [v.value for k, v in store.items() if k.startswith("family:")]
    assert len(families) == 2
    assert all('"revoked": true' in f for f in families)
    # The phone's access token outlives the logout (revocation = none) until it
    # expires; then its refresh is refused, because its family is revoked.
    assert _phone(t, 2) == [200]
    assert _phone(t, 3) == [401, 401]


def test_hybrid_with_token_version_ends_the_phone_at_once() -> None:
    t = run("logout-everywhere", "hybrid", revocation="token-version")
    assert _phone(t, 2)[0] == 401
