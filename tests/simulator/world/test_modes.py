"""The three modes play `basics` and `expiry` as a real browser and server would."""

from __future__ import annotations

import base64
import functools
import json

import factories
import jwt
import pytest
from factories import FAST

from authflow import simulator
from authflow.simulator.trace.trace import Event, Trace

run = functools.partial(factories.run, seed=7)


def responses(trace: Trace, to: str = "browser") -> list[tuple[str, int]]:
    labels = {e.detail["request_id"]: e.label for e in trace.events if e.kind == "request"}
    return [
        (labels[e.detail["request_id"]], e.detail["status"])
        for e in trace.events
        if e.kind == "response" and e.dst == to
    ]


def requests(trace: Trace, label: str) -> list[Event]:
    return [
        e
        for e in trace.events
        if e.kind == "request" and e.label == label and e.src in ("browser", "attacker")
    ]


def header(event: Event, name: str) -> str | None:
    for n, v in event.detail["headers"]:
        if n.lower() == name.lower():
            return str(v)
    return None


def set_cookies(event: Event) -> list[str]:
    return [v for n, v in event.detail["headers"] if n == "Set-Cookie"]


# -- session -------------------------------------------------------------------------------


def test_session_basics_statuses_and_cookie() -> None:
    trace = run("basics", "session")
    assert responses(trace) == [
        ("POST /auth/login", 200),
        ("GET /api/profile", 200),
        ("POST /auth/logout", 200),
        ("GET /api/profile", 401),
    ]
    login_response = next(e for e in trace.events if e.kind == "response")
    (line,) = set_cookies(login_response)
    assert line.startswith("sid=")
    assert "HttpOnly" in line
    assert "Secure" in line
    assert "SameSite=Lax" in line
    assert "Max-Age" not in line  # a session cookie by default
    profile = requests(trace, "GET /api/profile")
    cookie = header(profile[0], "Cookie")
    assert cookie is not None
    assert cookie.startswith("sid=")
    assert header(profile[0], "Authorization") is None
    assert header(profile[1], "Cookie") is None  # deleted by Max-Age=0 at logout


def test_session_store_holds_record_until_logout() -> None:
    trace = run("basics", "session")
    after_login = next(e for e in trace.events if e.kind == "cookie")
    sessions = [k for k in after_login.state.stores["store"] if k.startswith("sess:")]
    assert len(sessions) == 1
    record = json.loads(after_login.state.stores["store"][sessions[0]].value)
    assert record["user"] == "alice"
    # The cookie value is the session id, signed: id.signature.
    (row,) = after_login.state.cookies
    assert row.value.split(".")[0] == sessions[0].removeprefix("sess:")
    assert not [k for k in trace.events[-1].state.stores["store"] if k.startswith("sess:")]


def test_session_id_is_128_bits_and_regenerated_at_login() -> None:
    steps = [simulator.Step("login", {}, ""), simulator.Step("login", {}, "")]
    trace = simulator.simulate(steps, "session", FAST, seed=3)
    ids = [
        e.detail["key"]
        for e in trace.events
        if e.kind == "store"
        and e.detail["command"] == "SET"
        and e.detail["key"].startswith("sess:")
    ]
    assert len(ids) == 2
    assert ids[0] != ids[1]
    assert len(ids[0].removeprefix("sess:")) == 32  # 16 random bytes as hex
    deleted = [
        e.detail["key"] for e in trace.events if e.kind == "store" and e.detail["command"] == "DEL"
    ]
    assert deleted == [ids[0]]  # the pre-login id dies: no fixation


def test_session_tampered_cookie_is_rejected_by_its_signature() -> None:
    trace = run("basics", "session")
    row = next(e for e in trace.events if e.kind == "cookie").state.cookies[0]
    sid, sig = row.value.split(".")
    forged = f"sid={sid[:-1]}{'0' if sid[-1] != '0' else '1'}.{sig}"
    steps = [
        simulator.Step(
            "send",
            {
                "from": "attacker",
                "method": "GET",
                "path": "/api/profile",
                "headers": [["Cookie", forged]],
            },
            "",
        )
    ]
    replay = simulator.simulate(list(trace.steps[:1]) + steps, "session", FAST, seed=7)
    verdict = [e for e in replay.events if e.kind == "verdict"][-1]
    assert not verdict.detail["ok"]
    assert "signature" in verdict.detail["reason"]
    assert responses(replay, "attacker") == [("GET /api/profile", 401)]


def test_session_idle_timeout_in_expiry() -> None:
    trace = run("expiry", "session")
    assert responses(trace)[-1] == ("GET /api/profile", 401)
    last_request = requests(trace, "GET /api/profile")[-1]
    assert header(last_request, "Cookie") is not None  # the browser still sends it
    miss = [e for e in trace.events if e.kind == "store" and e.detail["command"] == "GET"][-1]
    assert miss.detail["hit"] is False


# -- jwt -----------------------------------------------------------------------------------


def test_jwt_basics_token_in_body_and_bearer_header() -> None:
    trace = run("basics", "jwt")
    assert responses(trace) == [
        ("POST /auth/login", 200),
        ("GET /api/profile", 200),
        ("POST /auth/logout", 200),
        ("GET /api/profile", 401),
    ]
    login = next(e for e in trace.events if e.kind == "response")
    token = login.detail["body"]["access_token"]
    assert set_cookies(login) == []
    claims = jwt.decode(token, options={"verify_signature": False})
    assert set(claims) >= {"sub", "role", "iat", "exp", "jti"}
    assert claims["exp"] - claims["iat"] == 900
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    stored = next(e for e in trace.events if e.kind == "storage")
    assert stored.state.local_storage["https://app.example"]["access_token"] == token
    profile = requests(trace, "GET /api/profile")[0]
    assert header(profile, "Authorization") == f"Bearer {token}"
    assert header(profile, "Cookie") is None
    # Verification costs a signature check and no store lookup.
    assert profile.state.counters.store_reads == 0
    assert trace.events[-1].state.counters.signature_checks >= 1


@pytest.mark.parametrize("algorithm", ["HS256", "RS256", "ES256"])
def test_jwt_algorithms_sign_for_real(algorithm: str) -> None:
    trace = run("basics", "jwt", algorithm=algorithm)
    token = next(e for e in trace.events if e.kind == "response").detail["body"]["access_token"]
    assert jwt.get_unverified_header(token)["alg"] == algorithm
    assert responses(trace)[1] == ("GET /api/profile", 200)


def test_jwt_tampered_payload_is_rejected() -> None:
    trace = run("basics", "jwt")
    token = next(e for e in trace.events if e.kind == "response").detail["body"]["access_token"]
    head, payload, sig = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["role"] = "admin"
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    forged = f"{head}.{forged_payload}.{sig}"
    steps = [
        *trace.steps[:1],
        simulator.Step(
            "send",
            {
                "from": "attacker",
                "method": "GET",
                "path": "/api/profile",
                "headers": [["Authorization", f"Bearer {forged}"]],
            },
            "",
        ),
    ]
    replay = simulator.simulate(steps, "jwt", FAST, seed=7)
    verdict = [e for e in replay.events if e.kind == "verdict"][-1]
    assert verdict.detail["ok"] is False
    assert verdict.detail["reason"].startswith("bad signature")


def test_jwt_expiry_on_the_simulated_clock() -> None:
    trace = run("expiry", "jwt")
    assert responses(trace)[-1] == ("GET /api/profile", 401)
    verdict = [e for e in trace.events if e.kind == "verdict"][-1]
    assert verdict.detail["reason"] == "expired 60 s ago"
    assert verdict.t == 960


def test_jwt_denylist_revokes_at_logout() -> None:
    trace = run("basics", "jwt", revocation="denylist")
    keys = [
        e.detail["key"] for e in trace.events if e.kind == "store" and e.detail["command"] == "SET"
    ]
    assert len(keys) == 1
    assert keys[0].startswith("deny:")
    entry = trace.events[-1].state.stores["store"][keys[0]]
    assert entry.expires == pytest.approx(900)  # kept only until the token would expire


def test_jwt_token_in_cookie_rides_automatically() -> None:
    trace = run("basics", "jwt", token_storage="cookie")
    login = next(e for e in trace.events if e.kind == "response")
    assert "access_token" not in login.detail["body"]
    assert set_cookies(login)[0].startswith("access_token=")
    profile = requests(trace, "GET /api/profile")[0]
    assert header(profile, "Authorization") is None
    assert (header(profile, "Cookie") or "").startswith("access_token=")
    assert responses(trace)[1] == ("GET /api/profile", 200)


# -- hybrid --------------------------------------------------------------------------------


def test_hybrid_login_sets_scoped_refresh_cookie_and_memory_token() -> None:
    trace = run("basics", "hybrid")
    login = next(e for e in trace.events if e.kind == "response")
    (line,) = set_cookies(login)
    assert line.startswith("refresh=")
    for attribute in (
        "Path=/auth/refresh",
        "HttpOnly",
        "Secure",
        "SameSite=Strict",
        "Max-Age=604800",
    ):
        assert attribute in line
    token = login.detail["body"]["access_token"]
    stored = next(e for e in trace.events if e.kind == "storage")
    assert stored.state.memory["access_token"] == token
    assert stored.state.local_storage == {}
    profile = requests(trace, "GET /api/profile")[0]
    assert header(profile, "Authorization") == f"Bearer {token}"
    assert header(profile, "Cookie") is None  # the refresh cookie's path does not match
    assert {"name": "refresh", "reason": profile.detail["left_out"][0]["reason"]} in profile.detail[
        "left_out"
    ]
    # The refresh token is stored hashed, never in clear.
    refresh_value = login.state.cookies[0].value if login.state.cookies else None
    after = next(e for e in trace.events if e.kind == "cookie").state
    refresh_value = after.cookies[0].value
    store_text = json.dumps({k: v.value for k, v in after.stores["store"].items()})
    assert refresh_value not in store_text


def test_hybrid_expiry_refreshes_silently_and_rotates() -> None:
    trace = run("expiry", "hybrid")
    assert responses(trace)[-3:] == [
        ("GET /api/profile", 401),
        ("POST /auth/refresh", 200),
        ("GET /api/profile", 200),
    ]
    refresh_request = requests(trace, "POST /auth/refresh")[0]
    old = (header(refresh_request, "Cookie") or "").removeprefix("refresh=")
    assert old
    new = next(c for c in trace.events[-1].state.cookies if c.name == "refresh").value
    assert new != old  # rotated
    assert trace.events[-1].state.page.signed_in_as == "alice"


def test_hybrid_logout_revokes_family() -> None:
    trace = run("basics", "hybrid")
    families = {
        k: v for k, v in trace.events[-1].state.stores["store"].items() if k.startswith("family:")
    }
    assert len(families) == 1
    assert json.loads(next(iter(families.values())).value)["revoked"] is True
    assert [c.name for c in trace.events[-1].state.cookies] == []


# -- determinism and errors ----------------------------------------------------------------


def test_same_seed_same_trace_and_different_without() -> None:
    from authflow.simulator.formats.text import to_json_lines

    a = list(to_json_lines(run("basics", "hybrid")))
    b = list(to_json_lines(run("basics", "hybrid")))
    assert a == b
    c = list(to_json_lines(simulator.run_scenario("basics", "hybrid", FAST)))
    assert c != a


def test_unknown_action_and_bad_argument_are_named() -> None:
    with pytest.raises(simulator.SimulationError, match="step 1: unknown action 'dance'"):
        simulator.simulate([simulator.Step("dance", {}, "")], "jwt", FAST)
    with pytest.raises(simulator.SimulationError, match="seconds must be a whole number"):
        simulator.simulate([simulator.Step("wait", {"seconds": "soon"}, "")], "jwt", FAST)


def test_wrong_password_gives_401_and_no_credential() -> None:
    steps = [simulator.Step("login", {"password": "guess"}, "")]
    for mode in simulator.MODES:
        trace = simulator.simulate(steps, mode, FAST, seed=1)
        assert responses(trace) == [("POST /auth/login", 401)]
        assert trace.events[-1].state.cookies == ()
        assert trace.events[-1].state.page.signed_in_as is None


@pytest.mark.parametrize("mode", simulator.MODES)
def test_page_shows_the_status_of_the_response_that_just_arrived(mode: str) -> None:
    # A refused request after logout must not leave the page showing the earlier 200.
    steps = [
        simulator.Step("login", {}, ""),
        simulator.Step("profile", {}, ""),
        simulator.Step("logout", {}, ""),
        simulator.Step("profile", {}, ""),
    ]
    trace = simulator.simulate(steps, mode, FAST, seed=7)
    to_browser = [e for e in trace.events if e.kind == "response" and e.dst == "browser"]
    assert to_browser[-1].detail["status"] == 401
    for event in to_browser:
        assert event.state.page.last_status == event.detail["status"], event.label


@pytest.mark.parametrize("third_party", ["allowed", "blocked"])
def test_a_response_labels_each_set_cookie_as_the_browser_then_treats_it(
    third_party: str,
) -> None:
    # A cross-site logout's clearing Set-Cookie: with third-party cookies blocked the
    # browser refuses it, and the response packet must say so too.
    steps = [
        simulator.Step("login", {}, ""),
        simulator.Step("cross_site_fetch", {"method": "POST", "path": "/auth/logout"}, ""),
    ]
    settings = {**FAST, "third_party_cookies": third_party, "same_site": "None"}
    trace = simulator.simulate(steps, "session", settings, seed=7)
    events = list(trace.events)
    checked = 0
    for i, event in enumerate(events):
        if event.kind != "response" or event.dst != "browser":
            continue
        cookie_events = [e for e in events[i + 1 :] if e.kind == "cookie"]
        for carried, outcome in zip(event.detail["carries"], cookie_events, strict=False):
            assert carried["name"] == outcome.detail["name"]
            assert carried["rejected"] == (outcome.detail["action"] == "rejected"), event.label
            checked += 1
    assert checked >= 2
