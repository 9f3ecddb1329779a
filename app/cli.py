"""`authflow trace` and `authflow scenarios`: the simulator on the command line, no Qt.

Text that came from a lesson, a token or a header reaches a terminal here, so every
line is passed through `terminal_safe`: a hostile lesson must not clear or retitle the
terminal, and a CR or LF in a header value must not break the line it sits on.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from authflow import simulator
from authflow.app import scenarios_command
from authflow.app.terminal_text import json_safe, terminal_safe
from authflow.simulator.config.modes import MODES

FORMATS = ("text", "json", "mermaid", "har")
ECHO_LIMIT = 60
"""Characters of a refused argument quoted back in a message."""


def _shown(value: str) -> str:
    """A user's value quoted in a message: escaped, and cut to a readable length."""
    text = terminal_safe(value)
    return "'" + (text if len(text) <= ECHO_LIMIT else text[: ECHO_LIMIT - 1] + "…") + "'"


def _settings_help() -> str:
    from authflow.simulator.config.settings import SETTINGS

    lines = ["settings (--set KEY=VALUE; default in brackets):"]
    for s in SETTINGS:
        values = "|".join(s.choices) if s.choices else s.kind
        lines.append(f"  {s.key:<20} {values:<34} [{s.default}]")
        lines.append(f"  {'':<20} {s.help}")
    return "\n".join(lines)


def _actions_help() -> str:
    """Every action a lesson step may name (assets/scenarios/README.md has the details)."""
    from authflow.simulator.actions.catalogue import CATALOGUE

    lines = ["actions a lesson's [[steps]] may use (arguments in assets/scenarios/README.md):"]
    for spec in CATALOGUE:
        modes = "" if len(spec.modes) == len(MODES) else f" ({', '.join(spec.modes)})"
        lines.append(f"  {spec.name:<20} {spec.help}{modes}")
    return "\n".join(lines)


class _Parser(argparse.ArgumentParser):
    """argparse whose help may end with text made only when help is shown: the list of
    settings loads the settings table, which `authflow scenarios` never needs."""

    make_epilog: Callable[[], str] | None = None

    def format_help(self) -> str:
        if self.make_epilog is not None:
            self.epilog, self.make_epilog = self.make_epilog(), None
        return super().format_help()


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="authflow", description="Authflow on the command line.")
    sub = parser.add_subparsers(dest="command", required=True)
    trace = sub.add_parser(
        "trace",
        help="print a lesson's trace",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Run a lesson through the simulator and print every event.",
    )
    trace.make_epilog = lambda: _settings_help() + "\n\n" + _actions_help()
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
    sub.add_parser(
        "scenarios",
        help="list the lessons in course order (--format json for name, title, chapter, ...)",
        add_help=False,
    ).add_argument("rest", nargs=argparse.REMAINDER)
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
    print(f"authflow: error: {terminal_safe(message)}", file=sys.stderr)
    return 2


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    if args.command == "scenarios":
        return scenarios_command.main(argv[1:])
    if args.command == "verify":
        return _verify(args)
    return _trace(args)


def _trace(args: argparse.Namespace) -> int:
    from authflow.simulator.config.entropy import SEED_RULE, parse_seed
    from authflow.simulator.formats.har import to_har_text
    from authflow.simulator.formats.text import to_json_lines, to_mermaid, to_text

    if args.mode not in MODES:
        return _fail(f"unknown mode {_shown(args.mode)}; choose from {'|'.join(MODES)}")
    if args.format not in FORMATS:
        return _fail(f"unknown format {_shown(args.format)}; choose from {'|'.join(FORMATS)}")
    seed = None
    if args.seed is not None:
        try:
            seed = parse_seed(args.seed)
        except ValueError:
            return _fail(f"--seed must be {SEED_RULE}, not {_shown(args.seed)}")
    overrides: dict[str, str] = {}
    for item in args.set:
        key, sep, value = item.partition("=")
        if not sep:
            return _fail(f"--set needs KEY=VALUE, got {_shown(item)}")
        overrides[key.strip()] = value
    if args.engine not in ("simulated", "live"):
        return _fail(f"unknown engine {_shown(args.engine)}; choose from simulated|live")
    try:
        trace = simulator.run_scenario(args.scenario, args.mode, overrides, seed)
        if args.engine == "live":
            from authflow.app.live.command import live_trace

            trace = live_trace(args.scenario, args.mode, overrides, seed)
    except (simulator.ScenarioError, simulator.SettingError, simulator.SimulationError) as exc:
        return _fail(str(exc))
    except RuntimeError as exc:  # no Qt WebEngine, or the real browser failed
        return _fail(str(exc))
    if args.format == "json":
        for line in to_json_lines(trace):
            print(json_safe(line))
    elif args.format == "mermaid":
        for line in to_mermaid(trace).splitlines():
            print(terminal_safe(line))
    elif args.format == "har":
        for line in to_har_text(trace, _version()).splitlines():
            print(json_safe(line))
    else:
        for line in to_text(trace):
            print(terminal_safe(line))
    return 0


def _verify(args: argparse.Namespace) -> int:
    from authflow.app.live.command import verify
    from authflow.simulator.config.entropy import SEED_RULE, parse_seed

    if args.all == bool(args.scenario):
        return _fail("verify needs a lesson name or --all (not both)")
    if args.mode is not None and args.mode not in MODES:
        return _fail(f"unknown mode {_shown(args.mode)}; choose from {'|'.join(MODES)}")
    seed = None
    if args.seed is not None:
        try:
            seed = parse_seed(args.seed)
        except ValueError:
            return _fail(f"--seed must be {SEED_RULE}, not {_shown(args.seed)}")
    lessons = simulator.scenario_names() if args.all else [args.scenario]
    try:
        # Each lesson in the modes it runs in (a token lesson lists no session mode).
        runs = [
            (lesson, mode)
            for lesson in lessons
            for mode in ([args.mode] if args.mode else simulator.load_scenario(lesson).modes)
        ]
        return verify(runs, {}, seed)
    except (simulator.ScenarioError, simulator.SettingError, simulator.SimulationError) as exc:
        return _fail(str(exc))
    except RuntimeError as exc:
        return _fail(str(exc))
