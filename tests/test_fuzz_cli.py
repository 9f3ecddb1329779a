"""Fuzzing `authflow trace` and `authflow scenarios` arguments: every argv list exits 0,
or 2 with an `authflow[ trace]: error:` line; never a traceback."""

from __future__ import annotations

import contextlib
import io
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from authflow.app.__main__ import main

_WORDS = st.one_of(
    st.sampled_from(
        [
            "basics",
            "expiry",
            "jwt",
            "session",
            "hybrid",
            "text",
            "json",
            "mermaid",
            "1",
            "-1",
            "99999999999999999999999999",
            "9" * 5000,
            "1_000",
            "access_ttl=60",
            "access_ttl=-5",
            "access_ttl=1e400",
            "servers=0",
            "nope=1",
            "=",
            "a\0b.toml",
            "missing.toml",
            "/dev/zero",
            "/tmp",
            "max_age=300000000000",
            "refresh_ttl=" + "9" * 400,
            "scrypt_n=32768",
            "session_ttl=1e309",
            "\x1b]0;retitled\x07",
            "\x9b2J",
            "/",
            "..",
            "",
            "-",
            "--",
        ]
    ),
    st.text(max_size=15),
)
_FLAGS = st.sampled_from(["--mode", "--format", "--seed", "--set", "--help", "-h", "--se"])
ARGV = st.tuples(
    st.sampled_from(["trace", "scenarios"]),
    st.lists(st.one_of(_FLAGS, _WORDS), max_size=7),
).map(lambda t: [t[0], *t[1]])


def run(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        try:
            code: object = main(argv)
        except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
            code = exc.code
    return int(code) if isinstance(code, int) else -1, err.getvalue()


@settings(max_examples=300, deadline=None)
@given(argv=ARGV)
def test_any_arguments_exit_0_or_2_with_a_message(argv: list[str]) -> None:
    code, err = run(argv)
    assert code in (0, 2), (code, err)
    assert "Traceback" not in err
    if code == 2:
        assert re.search(r"^authflow( trace| scenarios)?: error: ", err, re.MULTILINE), err


def test_a_lesson_path_with_a_nul_byte_is_an_error_not_a_traceback() -> None:
    code, err = run(["trace", "a\0b.toml"])
    assert code == 2
    assert "cannot read the lesson file" in err


def test_a_lesson_file_whose_steps_cannot_run_is_an_error(tmp_path: object) -> None:
    from pathlib import Path

    lesson = Path(str(tmp_path)) / "bad.toml"
    lesson.write_text(
        'title = "Bad"\n[[steps]]\naction = "send"\nheaders = [5]\n', encoding="utf-8"
    )
    code, err = run(["trace", str(lesson)])
    assert code == 2
    assert "headers must be a list of [name, value] pairs" in err
