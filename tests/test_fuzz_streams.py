"""`authflow trace` / `scenarios` against closed pipes, full disks and hostile text.

A closed pipe (`| head -1`) ends the command quietly; a full output disk gives one
line on stderr; and no control character from a lesson, a header or a token reaches
the terminal raw (ESC can clear or retitle it; CR/LF break the Outcome line).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from authflow.app.__main__ import main

ROOT = Path(__file__).resolve().parents[1]
RAW_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _authflow(*args: str, **kwargs: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "authflow", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stderr=subprocess.PIPE,
        **kwargs,  # type: ignore[call-overload]
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["trace", "basics"],
        ["trace", "csrf", "--format", "json"],
        ["trace", "csrf", "--format", "har"],
        ["trace", "basics", "--format", "mermaid"],
        ["scenarios"],
        ["trace", "--help"],
    ],
    ids=" ".join,
)
def test_a_pipe_closed_after_one_line_ends_quietly(argv: list[str]) -> None:
    proc = _authflow(*argv, stdout=subprocess.PIPE)
    assert proc.stdout is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # `| head -1`
    _, err = proc.communicate(timeout=60)
    assert first
    assert proc.returncode == 0, err
    assert err == b""


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize(
    "argv",
    [["trace", "basics"], ["trace", "basics", "--format", "json"], ["scenarios"]],
    ids=" ".join,
)
def test_a_full_output_disk_gives_one_line(argv: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        proc = _authflow(*argv, stdout=full)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert err.decode().splitlines() == [
        "authflow: error: cannot write the output: the disk is full"
    ]


# -- hostile text -----------------------------------------------------------------------

HOSTILE = [
    "\x1b]0;pwned\x07",  # retitle the terminal
    "\x1b[2J\x1b[H",  # clear it
    "\x9b2J",  # C1 CSI
    "fine\r\nOutcome: all good",  # a forged Outcome line
    "\u202eevil",  # right-to-left override
    "nul\x00byte",
    "bell\x07",
]


def _lesson(tmp: Path, text: str) -> Path:
    path = tmp / "hostile.toml"
    quoted = json.dumps(text)  # a TOML basic string is JSON-compatible for these escapes
    path.write_text(
        f"title = {quoted}\nsummary = {quoted}\n"
        f'[[steps]]\naction = "login"\nnarration = {quoted}\n'
        f'[[steps]]\naction = "send"\nmethod = "GET"\npath = "/api/profile"\n'
        f'headers = [["X-Note", {quoted}]]\nnarration = {quoted}\n'
        f'[[steps]]\naction = "tamper"\nclaim = "role"\nvalue = {quoted}\n',
        encoding="utf-8",
    )
    return path


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("text", HOSTILE, ids=repr)
@pytest.mark.parametrize("mode", ["session", "jwt", "hybrid"])
def test_text_output_escapes_every_control_character(text: str, mode: str, tmp_path: Path) -> None:
    code, out, err = _run(["trace", str(_lesson(tmp_path, text)), "--mode", mode])
    assert code == 0, err
    lines = out.split("\n")
    assert not [line for line in lines if RAW_CONTROL.search(line)]
    assert sum(line.startswith("Outcome:") for line in lines) == 1
    assert lines[0].startswith("# ")  # the title stays on the first line


@pytest.mark.parametrize("text", HOSTILE, ids=repr)
@pytest.mark.parametrize("fmt", ["json", "mermaid", "har"])
def test_json_mermaid_and_har_output_carry_no_raw_control_characters(
    text: str, fmt: str, tmp_path: Path
) -> None:
    code, out, err = _run(["trace", str(_lesson(tmp_path, text)), "--format", fmt])
    assert code == 0, err
    assert not RAW_CONTROL.search(out.replace("\n", ""))
    if fmt == "json":
        events = [json.loads(line) for line in out.splitlines()]
        assert any(e["detail"].get("narration") == text for e in events)  # same value
    if fmt == "har":
        assert json.loads(out)["log"]["entries"]  # still one valid JSON document


@settings(max_examples=60, deadline=None)
@given(text=st.text(min_size=1, max_size=20).filter(lambda t: t.strip()))
def test_any_title_and_narration_stay_on_their_lines(text: str, tmp_path_factory: object) -> None:
    folder = Path(str(tmp_path_factory.mktemp("lesson")))  # type: ignore[attr-defined]
    code, out, err = _run(["trace", str(_lesson(folder, text))])
    if code == 2:  # a text TOML cannot hold (a lone surrogate): refused with a message
        assert err.startswith("authflow: error: ")
        assert not RAW_CONTROL.search(err.rstrip("\n"))
        return
    assert code == 0, err
    assert not [line for line in out.split("\n") if RAW_CONTROL.search(line)]


@pytest.mark.parametrize(
    "argv",
    [
        ["trace", "basics", "--seed", "9" * 5001],
        ["trace", "basics", "--mode", "x" * 5000],
        ["trace", "basics", "--format", "\x1b[2J" * 100],
        ["trace", "basics", "--set", "access_ttl=" + "1" + "0" * 400],
        ["trace", "basics", "--set", "\x1b]0;x\x07" * 300],
        ["trace", "/dev/zero"],
        ["trace", "\x1b[2J.toml"],
    ],
    ids=lambda a: f"{a[-1][:12]!r}",
)
def test_refusals_are_one_short_line_without_control_characters(argv: list[str]) -> None:
    code, _, err = _run(argv)
    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 1
    assert len(lines[0]) < 300
    assert not RAW_CONTROL.search(lines[0])
