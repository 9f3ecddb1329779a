"""Fuzzing the simulator's parsers with hostile input: Set-Cookie lines, tokens, lessons.

Every input is parsed, stored or verified, or refused with a reason; nothing else may
be raised (a student pastes anything, a lecturer writes lessons by hand).
"""

from __future__ import annotations

import json
import math
import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from authflow import simulator
from authflow.simulator.actions.catalogue import ACTIONS
from authflow.simulator.analysis.token_report import (
    b64url_encode,
    decode_jwt,
    inspect_signed_cookie,
    verify_jwt,
)
from authflow.simulator.trace.trace import CookieRow
from authflow.simulator.web.cookiejar import CookieJar
from authflow.simulator.web.setcookie import format_cookie_date

DEPTH = 10_000
MEGABYTE = 1_000_000

# --- Set-Cookie: attribute soups -------------------------------------------------------

_NAMES = st.one_of(
    st.sampled_from(["sid", "__Host-sid", "__Secure-sid", "__host-x", "", " sid ", "a b"]),
    st.text(max_size=10),
)
_VALUES = st.one_of(
    st.sampled_from(['"quoted"', '"', "a=b=c", "", " spaced ", "x" * 5000]),
    st.text(max_size=30),
)
_ATTR_NAMES = st.one_of(
    st.sampled_from(
        [
            "Expires",
            "Max-Age",
            "Domain",
            "Path",
            "Secure",
            "HttpOnly",
            "SameSite",
            "Partitioned",
            "max-age",
            " Path ",
            "DOMAIN",
        ]
    ),
    st.text(max_size=8),
)
_ATTR_VALUES = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "1" * 40,
            "-" + "9" * 5000,
            ".",
            "..",
            ".app.example",
            "app.example.",
            "localhost",
            "127.0.0.1",
            "[::1]",
            "com",
            "/",
            "//",
            "/a/../b",
            "Lax",
            "None",
            "Strict",
            "x" * 1100,
            "Thu, 01 Jan 1970 00:00:00 GMT",
            "Fri, 31 Dec 9999 23:59:59 GMT",
            "99999-01-01",
        ]
    ),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(min_value=-1e10, max_value=1e10).map(lambda t: format_cookie_date(t)),
    st.text(max_size=20),
)
_ATTRIBUTE = st.tuples(_ATTR_NAMES, _ATTR_VALUES).map(
    lambda a: a[0] if a[1] is None else f"{a[0]}={a[1]}"
)
SET_COOKIE = st.tuples(
    _NAMES,
    _VALUES,
    st.lists(_ATTRIBUTE, max_size=12),
    st.sampled_from([";", "; ", " ;", ";;", ";\t"]),
).map(lambda t: t[3].join([f"{t[0]}={t[1]}", *t[2]]))
URLS = st.sampled_from(
    [
        "https://app.example/",
        "https://api.app.example/a/b",
        "http://app.example/x?y=1",
        "http://localhost:8000/",
        "https://127.0.0.1/",
        "https://[::1]/",
    ]
)


def pair(row: CookieRow) -> str:
    """How a cookie appears in a Cookie header (RFC 6265bis 5.8.3: a nameless one is its
    value alone)."""
    return f"{row.name}={row.value}" if row.name else row.value


@settings(max_examples=300, deadline=None)
@given(
    lines=st.lists(SET_COOKIE | st.text(max_size=60), min_size=1, max_size=4),
    url=URLS,
    now=st.floats(min_value=0, max_value=1e9),
    from_script=st.booleans(),
    kind=st.sampled_from(["navigate", "form", "fetch", "subresource"]),
    initiator=st.sampled_from([None, "https://app.example", "https://evil.example", "null"]),
)
def test_any_set_cookie_soup_is_stored_or_refused_with_a_reason(
    lines: list[str],
    url: str,
    now: float,
    from_script: bool,
    kind: str,
    initiator: str | None,
) -> None:
    jar = CookieJar()
    for line in lines:
        result = jar.store(
            url, line, now=now, initiator=initiator, from_script=from_script, kind=kind
        )
        assert result.stored or result.reason
        if result.stored:
            assert result.cookie is not None
            assert result.cookie.size <= 4096
    for row in jar.rows(now=now):
        assert row.path.startswith("/")
        assert row.expires is None or row.expires > now
    # Every cookie of the jar is either in the Cookie header or left out with a reason.
    header, left_out = jar.header_with_reasons(url, now=now, initiator=initiator, kind=kind)
    sent = header.split("; ") if header else []
    assert all(lo.reason for lo in left_out)
    assert len(sent) + len(left_out) == len(jar.rows())
    assert set(sent) <= {pair(r) for r in jar.rows(now=now)}
    # document.cookie shows no more than the page's own navigation would send, and never
    # an HttpOnly cookie.
    own = jar.header_for(url, now=now).split("; ")
    visible = jar.script_visible(url, now=now)
    for shown in visible.split("; ") if visible else []:
        assert shown in own
        assert any(pair(r) == shown and not r.http_only for r in jar.rows(now=now))
    assert jar.rows(now=now + 1e12) == tuple(r for r in jar.rows() if r.expires is None)


# --- tokens ----------------------------------------------------------------------------

B64URL = string.ascii_letters + string.digits + "-_"


def seg(data: str | bytes) -> str:
    return b64url_encode(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)


def nested_object(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


TOKENS = st.one_of(
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
    st.lists(st.text(alphabet=B64URL, max_size=40), min_size=1, max_size=5).map(".".join),
    st.tuples(
        st.sampled_from(
            ['{"alg":"HS256"}', '{"alg":"none"}', '{"alg":"RS256"}', '{"alg":5}', "{}", "[1]"]
        ),
        st.one_of(
            st.dictionaries(
                st.sampled_from(["exp", "iat", "nbf", "sub", "aud"]),
                st.one_of(st.integers(), st.floats(), st.text(max_size=5), st.none()),
            ).map(json.dumps),
            st.sampled_from(['{"exp":1e400}', '{"exp":-1e400}', '{"exp":NaN}', "null"]),
            st.integers(min_value=1, max_value=900).map(nested_object),
        ),
        st.binary(max_size=64),
    ).map(lambda t: f"{seg(t[0])}.{seg(t[1])}.{seg(t[2])}"),
    st.text(max_size=100),
)


@settings(max_examples=300, deadline=None)
@given(
    token=TOKENS,
    key=st.sampled_from(["secret", "", "x" * 100, b"\x00\xff"]),
    algorithms=st.sampled_from([["HS256"], ["RS256"], ["HS256", "none"], []]),
    now=st.floats(allow_nan=False),
)
def test_any_token_decodes_and_verifies_to_a_verdict(
    token: str, key: str | bytes, algorithms: list[str], now: float
) -> None:
    parts = decode_jwt(token)
    assert parts.ok or parts.error
    verdict = verify_jwt(token, key, algorithms, now, require=("exp",))
    assert verdict.ok or verdict.reason
    report = inspect_signed_cookie(token, key or "k")
    assert report.ok or report.reason


@pytest.mark.parametrize(
    "token",
    [
        seg('{"alg":"HS256"}') + "." + seg(nested_object(DEPTH)) + ".c2ln",
        seg(nested_object(DEPTH)) + "." + seg("{}") + ".",
        seg('{"alg":"HS256"}') + "." + seg("[" * DEPTH + "]" * DEPTH) + ".c2ln",
        seg('{"alg":"HS256"}') + "." + seg(json.dumps({"pad": "x" * MEGABYTE})) + ".c2ln",
        "eyJ" + "A" * MEGABYTE + "." + "B" * MEGABYTE + ".",
        "." * MEGABYTE,
    ],
    ids=["deep-payload", "deep-header", "deep-array", "1MB-payload", "1MB-segments", "dots"],
)
def test_deep_and_huge_tokens_get_a_verdict(token: str) -> None:
    parts = decode_jwt(token)
    assert parts.ok or parts.error
    verdict = verify_jwt(token, "secret", ["HS256"], 0.0)
    assert not verdict.ok
    assert verdict.reason


# --- lesson TOML -----------------------------------------------------------------------

_TOML_VALUES = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(
        [
            "inf",
            "-inf",
            "nan",
            "1e400",
            "true",
            '""',
            '"/api/profile"',
            "[]",
            "[1, 2]",
            '[["Cookie", "sid=x"]]',
            '[["Authorization"]]',
            "[5]",
            '["ab"]',
            "{}",
            "{a = 1979-05-27T07:32:00Z}",
            "1979-05-27",
            '"attacker"',
            '"\\u0000"',
            "300000000000",
            "1" + "0" * 400,
            "9" * 5000,
            "32768",
            "3162240000",
        ]
    ),
    st.text(alphabet=string.printable, max_size=12).map(json.dumps),
)
_ARG_NAMES = st.sampled_from(
    [
        "user",
        "password",
        "remember_me",
        "amount",
        "to",
        "seconds",
        "from",
        "method",
        "path",
        "headers",
        "body",
        "bogus",
    ]
)
_STEP = st.tuples(
    st.sampled_from([*ACTIONS, "fly"]),
    st.dictionaries(_ARG_NAMES, _TOML_VALUES, max_size=3),
).map(
    lambda s: (
        "[[steps]]\naction = "
        + json.dumps(s[0])
        + "\n"
        + "".join(f"{k} = {v}\n" for k, v in s[1].items())
    )
)
_SETTING = st.tuples(
    st.sampled_from(
        [
            "access_ttl",
            "refresh_ttl",
            "session_ttl",
            "max_age",
            "scrypt_n",
            "session_store",
            "cookie_samesite",
            "servers",
            "nope",
        ]
    ),
    _TOML_VALUES,
).map(lambda s: f"{s[0]} = {s[1]}\n")
LESSONS = st.tuples(
    st.sampled_from(['title = "Fuzz"\n', "", "title = 5\n", '\ufefftitle = "Fuzz"\n']),
    st.sampled_from(["", 'modes = ["jwt"]\n', "modes = []\n", 'modes = ["x"]\n']),
    st.lists(_SETTING, max_size=3).map(lambda s: "[settings]\n" + "".join(s) if s else ""),
    st.lists(_STEP, min_size=0, max_size=4).map("\n".join),
).map(lambda t: t[0] + t[1] + t[2] + "\n" + t[3])
CLEAR = (simulator.ScenarioError, simulator.SettingError, simulator.SimulationError)


@settings(max_examples=200, deadline=None)
@given(text=LESSONS)
def test_any_lesson_runs_or_is_refused_with_a_message(text: str) -> None:
    from authflow.simulator.lessons.scenarios import parse_scenario

    try:
        lesson = parse_scenario(text, "fuzz", "fuzz.toml")
    except simulator.ScenarioError as exc:
        message = str(exc)
        assert message.startswith("fuzz.toml: ")
        return
    for mode in lesson.modes:
        steps = lesson.steps_for(mode)
        try:
            trace = simulator.simulate(
                steps, mode, lesson.settings_for(mode), seed=1, scenario="fuzz"
            )
        except CLEAR as exc:
            message = str(exc)
            assert message
            continue
        # A lesson that runs plays every step, in order, each opened by its own note.
        opened = [e for e in trace.events if e.kind == "note" and "action" in e.detail]
        assert [(e.step, e.detail["action"]) for e in opened] == [
            (i, s.action) for i, s in enumerate(steps)
        ]


@pytest.mark.parametrize(
    "text",
    [
        "a = " + "[" * DEPTH + "]" * DEPTH,
        "a = " + "{b = " * DEPTH + "1" + "}" * DEPTH,
        'title = "x"\n[[steps]]\naction = "send"\nheaders = ' + "[" * 500 + "]" * 500,
        'title = "x"\n' + '[[steps]]\naction = "wait"\nseconds = 60\n' * 2000,
        'title = "' + "x" * MEGABYTE + '"\n[[steps]]\naction = "profile"\n',
    ],
    ids=["deep-array", "deep-table", "deep-headers", "2000-steps", "1MB-title"],
)
def test_deep_and_huge_lessons_are_refused_or_run(text: str) -> None:
    from authflow.simulator.lessons.scenarios import parse_scenario

    try:
        lesson = parse_scenario(text, "fuzz", "fuzz.toml")
    except simulator.ScenarioError as exc:
        message = str(exc)
        assert "fuzz.toml" in message
        return
    assert lesson.steps_for(lesson.modes[0])


@pytest.mark.parametrize("name", ["a\0b.toml", "dir/\0", "\0", "", "../../etc/passwd", "/"])
def test_odd_lesson_names_and_paths_give_a_scenario_error(name: str) -> None:
    with pytest.raises(simulator.ScenarioError):
        simulator.load_scenario(name)


# --- what the fuzzing found ------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "args", "why"),
    [
        ("send", {"headers": [5]}, "headers must be a list of [name, value] pairs"),
        ("send", {"headers": ["ab"]}, "headers must be a list of [name, value] pairs"),
        ("send", {"headers": [["Cookie", 1]]}, "headers must be a list of [name, value] pairs"),
        ("send", {"body": [1, 2]}, "body must be a JSON object or none"),
        ("send", {"body": {"when": float("nan"), "x": {1, 2}}}, "body must be a JSON object"),
        ("wait", {"seconds": -1}, "the clock only moves forward"),
        ("wait", {"seconds": 10**5000}, "seconds must be from 0 to"),
    ],
)
def test_arguments_a_run_could_not_use_are_refused_up_front(
    action: str, args: dict[str, object], why: str
) -> None:
    from authflow.simulator.actions.catalogue import ActionError, check_args

    with pytest.raises(ActionError, match=re.escape(why)):
        check_args(action, args)


def test_a_refused_step_is_a_simulation_error() -> None:
    from authflow.simulator.trace.trace import Step

    with pytest.raises(simulator.SimulationError, match="step 1"):
        simulator.simulate([Step("send", {"headers": [5]}, "")], "session", seed=1)


@pytest.mark.parametrize(
    ("t", "text"), [(math.inf, "t+∞"), (-math.inf, "t-∞"), (math.nan, "t+?"), (75, "t+01:15")]
)
def test_clock_text_for_non_finite_times(t: float, text: str) -> None:
    from authflow.simulator.trace.clock import format_duration, format_t

    assert format_t(t) == text
    assert format_duration(math.inf) == "forever"
