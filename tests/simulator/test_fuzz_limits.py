"""Fuzzing the simulator at the edges of what it can represent: absurd numbers in
settings, seeds, waits and tokens, and lesson paths that are not regular files.

Every value is either run to a trace or refused up front with a message that names the
allowed range; nothing a user types may surface as an OverflowError, "year 11532 is out
of range", hashlib's memory error or a read that never ends.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from authflow import simulator
from authflow.simulator.analysis.token_report import (
    b64url_encode,
    decode_jwt,
    judge_time_claims,
    verify_jwt,
)
from authflow.simulator.config import json_text, userfiles
from authflow.simulator.config.settings import (
    BY_KEY,
    SETTINGS,
    SettingError,
    allowed_range,
    resolve,
)
from authflow.simulator.trace.clock import CENTURY, LAST_EPOCH, MAX_RUN_SECONDS, START_EPOCH
from authflow.simulator.trace.trace import Step

NUMBER_SETTINGS = [s.key for s in SETTINGS if s.kind in ("int", "seconds", "seconds-or-session")]
MODES = simulator.MODES
HUGE = "1" + "0" * 400

# --- settings: every number is in a range the simulator can represent ------------------

_ABSURD = [
    HUGE,
    "-" + HUGE,
    "9" * 5000,
    "1e309",
    "1e400",
    "inf",
    "nan",
    "300000000000",
    "251635042800",
    "32768",
    str(1 << 20),
    "0x10",
    "1_000",
    " 60 ",
    "٣",  # an Arabic-Indic digit: int() reads it, a person would not type it
]


@pytest.mark.parametrize("value", _ABSURD)
@pytest.mark.parametrize("key", NUMBER_SETTINGS)
def test_absurd_numbers_are_run_or_refused_with_the_range(key: str, value: str) -> None:
    try:
        checked = resolve({key: value})[key]
    except SettingError as exc:
        message = str(exc)
        assert allowed_range(BY_KEY[key]) in message
        assert len(message) < 400  # a 5,000-digit value is not echoed whole
        return
    for mode in MODES:
        simulator.run_scenario("expiry", mode, {key: checked}, seed=1)


def _top(key: str) -> str:
    maximum = BY_KEY[key].maximum
    assert maximum is not None, f"{key} has no upper bound"
    return str(maximum)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lesson", simulator.scenario_names())
def test_every_lesson_runs_with_every_number_at_its_maximum_after_the_longest_run(
    lesson: str, mode: str
) -> None:
    scenario = simulator.load_scenario(lesson)
    tops = {key: _top(key) for key in NUMBER_SETTINGS if key != "servers"}
    steps = (
        *[Step("wait", {"seconds": CENTURY}, "")] * (MAX_RUN_SECONDS // CENTURY - 1),
        *scenario.steps_for(mode),
        *(Step(action, {}, "") for action in ("login", "profile", "refresh", "logout")),
    )
    settings_ = {**scenario.settings_for(mode), **tops, "remember_me": "true"}
    trace = simulator.simulate(steps, mode, settings_, seed=1)
    last = trace.events[-1].state
    for row in last.cookies:
        assert row.expires is None or START_EPOCH + row.expires <= LAST_EPOCH


def test_every_number_setting_has_an_upper_bound() -> None:
    for key in NUMBER_SETTINGS:
        _top(key)


def test_the_bounds_leave_room_for_the_longest_run() -> None:
    assert START_EPOCH + MAX_RUN_SECONDS + CENTURY <= LAST_EPOCH


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("32768", "a power of two from 2 to 16384"),
        ("300", "a power of two from 2 to 16384"),
    ],
)
def test_scrypt_cost_is_kept_within_hashlibs_memory_limit(value: str, words: str) -> None:
    with pytest.raises(SettingError, match=re.escape(words)):
        resolve({"scrypt_n": value})


@pytest.mark.parametrize("mode", MODES)
def test_the_highest_scrypt_cost_runs(mode: str) -> None:
    simulator.run_scenario("basics", mode, {"scrypt_n": "16384"}, seed=1)


def test_a_lifetime_past_a_century_names_the_range() -> None:
    with pytest.raises(SettingError, match=r"from 1 to 3162240000 \(100 years\)"):
        resolve({"refresh_ttl": "300000000000"})


# --- waits and seeds -------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(waits=st.lists(st.integers(min_value=0, max_value=CENTURY), max_size=120))
def test_any_waits_run_or_are_refused_as_too_long(waits: list[int]) -> None:
    steps = [Step("login", {}, ""), *(Step("wait", {"seconds": w}, "") for w in waits)]
    try:
        trace = simulator.simulate([*steps, Step("profile", {}, "")], "hybrid", seed=1)
    except simulator.SimulationError as exc:
        message = str(exc)
        assert sum(waits) > MAX_RUN_SECONDS
        assert "before the year 10000" in message
        return
    assert trace.events[-1].t == sum(waits)


@pytest.mark.parametrize("seed", [10**40, -(10**40), 10**5000], ids=["1e40", "-1e40", "1e5000"])
def test_seeds_too_long_are_a_simulation_error(seed: int) -> None:
    with pytest.raises(simulator.SimulationError, match="at most 40 digits"):
        simulator.simulate([Step("login", {}, "")], "session", seed=seed)


@pytest.mark.parametrize("text", ["9" * 5001, "-" + "9" * 41, "1e5", "x", "", "0x10"])
def test_a_bad_seed_text_is_refused_without_echoing_it(text: str) -> None:
    from authflow.simulator.config.entropy import parse_seed

    with pytest.raises(ValueError, match="at most 40 digits") as info:
        parse_seed(text)
    assert len(str(info.value)) < 120


# --- huge numbers in tokens ------------------------------------------------------------


def _token(payload: str, header: str = '{"alg":"HS256","typ":"JWT"}') -> str:
    return ".".join((b64url_encode(header.encode()), b64url_encode(payload.encode()), "c2ln"))


_NUMBERS = st.one_of(
    st.integers(min_value=-(10**4200), max_value=10**4200).map(str),
    st.sampled_from(
        [
            "9" * 4301,
            "-" + "9" * 5000,
            "1e309",
            "-1e309",
            "1e-400",
            "NaN",
            "Infinity",
            str(2**1024),
            str(2**1023),
            "1" + "0" * 400,
        ]
    ),
)


@settings(max_examples=150, deadline=None)
@given(claim=st.sampled_from(["exp", "iat", "nbf", "sub", "jti"]), number=_NUMBERS)
def test_any_number_in_a_claim_gets_a_verdict(claim: str, number: str) -> None:
    token = _token(f'{{"{claim}": {number}, "sub": "alice"}}')
    parts = decode_jwt(token)  # documented "never raises"
    assert parts.ok or parts.error
    verdict = verify_jwt(token, "secret", ["HS256"], now=float(START_EPOCH))
    assert verdict.reason
    if parts.payload is not None:
        assert judge_time_claims(parts.payload, float(START_EPOCH)).reason


def test_a_number_too_long_to_convert_is_a_malformed_token() -> None:
    parts = decode_jwt(_token('{"exp": ' + "9" * 5000 + "}"))
    assert parts.error == "malformed: payload holds a number of more than 4,300 digits"


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({"exp": 2**1024}, "valid"),  # past float's range: forever ahead, as PyJWT compares
        ({"exp": -(2**1024)}, "expired forever ago"),
        ({"nbf": 2**1024}, "not yet valid (nbf in forever)"),
        ({"iat": 10**400}, "issued in the future (iat in forever)"),
    ],
)
def test_time_claims_past_floats_range_are_judged_not_raised(
    payload: dict[str, int], reason: str
) -> None:
    assert judge_time_claims(payload, 0.0).reason == reason


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[" + "9" * 5000 + "]", "more than 4,300 digits"),
        ("[" * 100_000, "nested too deeply"),
        ("{", "line 1, column 2"),
    ],
)
def test_json_text_refuses_with_words(text: str, words: str) -> None:
    with pytest.raises(json_text.JsonTextError, match=re.escape(words)):
        json_text.loads(text)


# --- lesson files: special files, size, BOM --------------------------------------------

LESSON = 'title = "Mine"\n[[steps]]\naction = "login"\n'


def _fifo(tmp: Path) -> str:
    path = tmp / "lesson.toml"
    os.mkfifo(path)
    return str(path)


def _link_to_fifo(tmp: Path) -> str:
    link = tmp / "link.toml"
    link.symlink_to(_fifo(tmp))
    return str(link)


def _huge(tmp: Path) -> str:
    path = tmp / "huge.toml"
    with path.open("wb") as out:
        out.truncate(50_000_000)  # sparse: a 50 MB file that costs no disk
    return str(path)


SPECIAL = {
    "/dev/zero": lambda _tmp: "/dev/zero",
    "/dev/urandom": lambda _tmp: "/dev/urandom",
    "a FIFO": _fifo,
    "a link to a FIFO": _link_to_fifo,
    "a folder": lambda tmp: str(tmp) + "/",
    "a 50 MB file": _huge,
    "/proc/self/mem": lambda _tmp: "/proc/self/mem",
}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and /dev are POSIX")
@pytest.mark.parametrize("kind", SPECIAL)
def test_lesson_paths_that_are_not_regular_files_are_refused_at_once(
    kind: str, tmp_path: Path
) -> None:
    path = SPECIAL[kind](tmp_path)
    if not os.path.exists(path):
        pytest.skip(f"{path} does not exist here")
    with pytest.raises(simulator.ScenarioError, match="cannot read the lesson file: "):
        simulator.load_scenario(path)


def test_a_lesson_path_is_read_no_further_than_the_limit(tmp_path: Path) -> None:
    with pytest.raises(userfiles.UserFileError, match="larger than 1,000,000 bytes"):
        userfiles.read_bytes(_huge(tmp_path), 1_000_000)
    path = tmp_path / "exact.toml"
    path.write_bytes(b"#" * 100)
    assert len(userfiles.read_bytes(path, 100)) == 100
    with pytest.raises(userfiles.UserFileError, match="larger than 99 bytes"):
        userfiles.read_bytes(path, 99)


@pytest.mark.parametrize("bom", ["\ufeff", ""])
def test_a_lesson_file_with_a_utf8_bom_loads(bom: str, tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(bom + LESSON, encoding="utf-8")
    assert simulator.load_scenario(str(path)).title == "Mine"
    assert simulator.run_scenario(str(path), "jwt", seed=1).events


def test_a_lesson_that_is_not_utf8_says_which_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('title = "Café"\n'.encode("latin-1"))
    with pytest.raises(simulator.ScenarioError, match="not UTF-8 text"):
        simulator.load_scenario(str(path))


def test_a_lesson_with_a_number_too_long_to_convert_is_refused_with_words() -> None:
    from authflow.simulator.lessons.scenarios import parse_scenario

    text = 'title = "x"\n[settings]\naccess_ttl = ' + "9" * 5000 + '\n[[steps]]\naction = "login"\n'
    with pytest.raises(simulator.ScenarioError, match="a number has more than 4,300 digits"):
        parse_scenario(text, "big", "big.toml")
