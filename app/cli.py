"""`authflow trace` and `authflow scenarios`: the simulator on the command line, no Qt."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import simulator
from simulator.modes import MODES
from simulator.settings import SETTINGS
from simulator.trace_format import to_json_lines, to_mermaid, to_text

FORMATS = ("text", "json", "mermaid")


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
    sub.add_parser("scenarios", help="list the lessons")
    return parser


def _fail(message: str) -> int:
    print(f"authflow: error: {message}", file=sys.stderr)
    return 2


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    if args.command == "scenarios":
        for name in simulator.scenario_names():
            print(f"{name:<22} {simulator.load_scenario(name).title}")
        return 0
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
    try:
        trace = simulator.run_scenario(args.scenario, args.mode, overrides, seed)
    except (simulator.ScenarioError, simulator.SettingError, simulator.SimulationError) as exc:
        return _fail(str(exc))
    if args.format == "json":
        for line in to_json_lines(trace):
            print(line)
    elif args.format == "mermaid":
        print(to_mermaid(trace), end="")
    else:
        for line in to_text(trace):
            print(line)
    return 0
