"""`authflow render`: a lesson's diagram, stage, animation or handout with no display.

    authflow render LESSON --mode M [--view stage|sequence] [--step N]
                    [--theme light|dark|contrast] [--scale S] [--transparent]
                    [--neighbours K] [--widescreen] -o FILE.svg|FILE.png
    authflow render LESSON --mode M --animate [--from N] [--to M] [--size WxH]
                    [--seconds S] [--no-caption] -o FILE.webp|FILE.gif|FILE.png
    authflow render LESSON --mode M [--per action|event] -o FILE.pdf

Exit status 0 when the file was written, 2 on a bad argument, 1 when writing failed.
The seed is fixed (--seed, default 1) so a docs build gives the same picture each time.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from authflow.app import arguments
from authflow.app.views.sequence.theme import THEME_NAMES
from authflow.simulator.config.modes import MODES

VIEWS: tuple[str, ...] = ("sequence", "stage")
SUFFIXES: tuple[str, ...] = (".svg", ".png", ".mmd", ".pdf", ".har", ".webp", ".gif", ".apng")


class _Parser(argparse.ArgumentParser):
    """argparse that reports errors by raising, so `main` returns instead of exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _BadArgument(message)


class _BadArgument(Exception):
    pass


def _scale(text: str) -> float:
    try:
        value = float(text.rstrip("xX"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.1 <= value <= 8.0:
        raise argparse.ArgumentTypeError(f"{text} is out of range (0.1 to 8)")
    return value


def _size(text: str) -> tuple[int, int]:
    width, sep, height = text.lower().partition("x")
    try:
        size = (int(width), int(height))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size like 1280x720: {text!r}") from None
    if not sep or not all(160 <= side <= 3840 for side in size):
        raise argparse.ArgumentTypeError(f"{text}: each side must be 160 to 3840 pixels")
    return size


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="authflow render",
        description="Render a lesson's sequence diagram or stage to SVG or PNG, its stage as "
        "an animation (WebP, GIF, APNG) or a PDF handout (no display).",
    )
    parser.add_argument("lesson", help="lesson name (see `authflow scenarios`)")
    parser.add_argument("--mode", required=True, choices=MODES, help="auth mode to run it in")
    parser.add_argument("--view", default="sequence", choices=VIEWS, help="what to draw")
    parser.add_argument(
        "--step",
        type=int,
        metavar="N",
        default=None,
        help="event number as the log and the diagram number them (1 = first); the stage "
        "shows the state after it, the diagram highlights it (default: last / none)",
    )
    parser.add_argument(
        "--theme", default="light", choices=THEME_NAMES, help="colours (default light)"
    )
    parser.add_argument("--scale", type=_scale, default=1.0, help="PNG scale, e.g. 1, 2, 3")
    parser.add_argument(
        "--transparent",
        action="store_true",
        help="no background (PNG and SVG); the light theme suits light pages, "
        "--theme dark suits dark ones",
    )
    parser.add_argument(
        "--neighbours",
        type=int,
        metavar="K",
        default=None,
        help="sequence diagram: only --step and K rows either side, for a slide",
    )
    parser.add_argument("--widescreen", action="store_true", help="pad to a 16:9 page")
    parser.add_argument(
        "--animate",
        action="store_true",
        help="one frame per event: .webp, .gif or .png (APNG)",
    )
    parser.add_argument("--from", dest="first", type=int, metavar="N", default=1)
    parser.add_argument(
        "--to", dest="last", type=int, metavar="M", default=None, help="animation range"
    )
    parser.add_argument(
        "--size", type=_size, default=(1280, 720), help="animation frame size [1280x720]"
    )
    parser.add_argument(
        "--seconds", type=float, default=1.5, help="animation: seconds per step [1.5]"
    )
    parser.add_argument(
        "--no-caption", action="store_true", help="animation: no narration under the stage"
    )
    parser.add_argument(
        "--per",
        choices=("action", "event"),
        default="action",
        help="PDF handout: a page per action or per event [action]",
    )
    parser.add_argument("--seed", type=arguments.seed, default=1, help="simulator seed (default 1)")
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help="output file: .svg, .png, .pdf, .webp, .gif (or .mmd Mermaid, .har HAR)",
    )
    return parser


def main(argv: list[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if Path(args.output).suffix.lower() not in SUFFIXES:
            raise _BadArgument(f"output must end in {', '.join(SUFFIXES)}, not {args.output!r}")
    except _BadArgument as exc:
        return _fail(parser, str(exc), 2)
    except SystemExit as exc:  # --help
        return int(exc.code or 0)

    from authflow import simulator

    names = simulator.scenario_names()
    if args.lesson not in names:
        return _fail(parser, f"unknown lesson {args.lesson!r}; choose from {', '.join(names)}", 2)
    trace = simulator.run_scenario(args.lesson, args.mode, seed=args.seed)
    step: int | None = None
    if args.step is not None:
        if not 1 <= args.step <= len(trace.events):
            return _fail(
                parser,
                f"--step {args.step} is out of range: this run has events 1 to {len(trace.events)}",
                2,
            )
        step = args.step - 1
    elif args.view == "stage":
        step = len(trace.events) - 1
    last = len(trace.events) if args.last is None else args.last
    if args.animate and not 1 <= args.first <= last <= len(trace.events):
        return _fail(
            parser,
            f"--from {args.first} --to {last} is out of range: this run has events 1 to "
            f"{len(trace.events)}",
            2,
        )

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["authflow-render"])
    from authflow.app.export.files import export
    from authflow.app.export.options import ExportError, ExportOptions

    options = ExportOptions(
        view=args.view,
        theme=args.theme,
        scale=args.scale,
        transparent=args.transparent,
        step=step,
        animate=args.animate,
        neighbours=args.neighbours,
        widescreen=args.widescreen,
        first=args.first - 1,
        last=last - 1,
        size=args.size,
        seconds_per_step=args.seconds,
        caption=not args.no_caption,
        per=args.per,
    )
    try:
        export(trace, args.output, options)
    except ExportError as exc:
        print(f"authflow render: {exc}", file=sys.stderr)
        return 1
    del app
    print(f"wrote {args.output}")
    return 0


def _fail(parser: argparse.ArgumentParser, message: str, status: int) -> int:
    parser.print_usage(sys.stderr)
    print(f"authflow render: error: {message}", file=sys.stderr)
    return status
