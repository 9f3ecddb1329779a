"""`authflow trace` and `authflow scenarios`: the simulator on the command line, no Qt."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import simulator
from simulator.engine import MODES
from simulator.har import to_har_text
from simulator.settings import SETTINGS
from simulator.trace_format import to_json_lines, to_mermaid, to_text

FORMATS = ("text", "json", "mermaid", "har")


def _settings_help() -> str:
    lines = ["settings (--set KEY=VALUE; default in brackets):"]
    for s in SETTINGS:
        values = "|".join(s.choices) if s.choices else s.kind
        lines.append(f"  {s.key:<20} {values:<34} [{s.default}]")
        lines.append(f"  {'':<20} {s.help}")
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="authflow", description="Authflow on the command line.")
    sub = parser.add_subparsers(dest="command", required=True)
    trace = sub.add_parser(
        "trace",
        help="print a lesson's trace",
        epilog=_settings_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Run a lesson through the simulator and print every event.",
    )
    trace.add_argument("scenario", help="lesson name (see `authflow scenarios`) or a .toml path")
    trace.add_argument("--mode", default="session", help=f"{'|'.join(MODES)} [session]")
    trace.add_argument("--format", default="text", help=f"{'|'.join(FORMATS)} [text]")
    trace.add_argument(
        "--seed", help="integer seed for reproducible ids and keys [none: real randomness]"
    )
    trace.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="change a setting (repeatable); see the list below",
    )
    trace.add_argument(
        "--engine",
        default="simulated",
        help="simulated|live [simulated]: live runs the lesson in a real Chromium "
        "(needs the live extra)",
    )
    sub.add_parser("scenarios", help="list the lessons")
    verify = sub.add_parser(
        "verify",
        help="run lessons in a real Chromium and in the simulator, and compare",
        description="Run a lesson both ways and list every difference (exit 1 if any); "
        "with --all, every lesson in every mode, as a table of agreement.",
    )
    verify.add_argument("scenario", nargs="?", help="lesson name or .toml path")
    verify.add_argument("--mode", help=f"{'|'.join(MODES)} [all modes]")
    verify.add_argument("--all", action="store_true", help="every lesson in every mode")
    verify.add_argument("--seed", help="integer seed [none: real randomness]")
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("authflow")
    except PackageNotFoundError:
        return "0"


def _fail(message: str) -> int:
    print(f"authflow: error: {message}", file=sys.stderr)
    return 2


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    if args.command == "scenarios":
        for name in simulator.scenario_names():
            print(f"{name:<22} {simulator.load_scenario(name).title}")
        return 0
    if args.command == "verify":
        return _verify(args)
    if args.mode not in MODES:
        return _fail(f"unknown mode {args.mode!r}; choose from {'|'.join(MODES)}")
    if args.format not in FORMATS:
        return _fail(f"unknown format {args.format!r}; choose from {'|'.join(FORMATS)}")
    seed = None
    if args.seed is not None:
        try:
            seed = int(args.seed)
        except ValueError:
            return _fail(f"--seed must be an integer, not {args.seed!r}")
    overrides: dict[str, str] = {}
    for item in args.set:
        key, sep, value = item.partition("=")
        if not sep:
            return _fail(f"--set needs KEY=VALUE, got {item!r}")
        overrides[key.strip()] = value
    if args.engine not in ("simulated", "live"):
        return _fail(f"unknown engine {args.engine!r}; choose from simulated|live")
    try:
        trace = simulator.run_scenario(args.scenario, args.mode, overrides, seed)
        if args.engine == "live":
            from app.live.command import live_trace

            trace = live_trace(args.scenario, args.mode, overrides, seed)
    except (simulator.ScenarioError, simulator.SettingError, simulator.SimulationError) as exc:
        return _fail(str(exc))
    except RuntimeError as exc:  # no Qt WebEngine, or the real browser failed
        return _fail(str(exc))
    if args.format == "json":
        for line in to_json_lines(trace):
            print(line)
    elif args.format == "mermaid":
        print(to_mermaid(trace), end="")
    elif args.format == "har":
        print(to_har_text(trace, _version()), end="")
    else:
        for line in to_text(trace):
            print(line)
    return 0


def _verify(args: argparse.Namespace) -> int:
    from app.live.command import verify

    if args.all == bool(args.scenario):
        return _fail("verify needs a lesson name or --all (not both)")
    if args.mode is not None and args.mode not in MODES:
        return _fail(f"unknown mode {args.mode!r}; choose from {'|'.join(MODES)}")
    seed = None
    if args.seed is not None:
        try:
            seed = int(args.seed)
        except ValueError:
            return _fail(f"--seed must be an integer, not {args.seed!r}")
    lessons = simulator.scenario_names() if args.all else [args.scenario]
    modes = [args.mode] if args.mode else list(MODES)
    try:
        for lesson in lessons:
            simulator.load_scenario(lesson)
        return verify(lessons, modes, {}, seed)
    except (simulator.ScenarioError, simulator.SettingError, simulator.SimulationError) as exc:
        return _fail(str(exc))
    except RuntimeError as exc:
        return _fail(str(exc))
