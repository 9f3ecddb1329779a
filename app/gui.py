"""The GUI entry point: `authflow [--screenshot FILE ...]`.

Before Qt is asked for a window, check that one can be had: with no display, or with
Qt's X11 plugin missing a system library, Qt aborts the process with a terse message;
we say what to install or what to run instead.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from authflow.app import arguments
from authflow.simulator.config.modes import MODES

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings, QSize

    from authflow.app.window.shell import MainWindow
    from authflow.app.window.welcome import WelcomeDialog

NO_DISPLAY = """\
authflow: no display to open a window on ({why}).
  - From a desktop session, run `authflow` there; over SSH, use `ssh -X`.
  - With no screen at all: `xvfb-run authflow` (apt-get install xvfb).
  - To see a run as text: `authflow trace basics --mode jwt`.
  - To get a picture: `authflow --screenshot out.png --lesson basics --mode jwt`
    renders the window offscreen.
"""

XCB_MISSING = """\
authflow: Qt's X11 platform plugin cannot load ({error}).
  Install the X11 libraries Qt 6 needs, on Debian/Ubuntu:
      sudo apt-get install libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 \\
          libxcb-keysyms1 libxcb-shape0 libxcb-render-util0 libxcb-image0
  or run under Wayland (QT_QPA_PLATFORM=wayland), or without a window:
  `authflow trace basics --mode jwt`, `authflow --screenshot out.png`.
"""


def display_problem(env: os._Environ[str] | dict[str, str] | None = None) -> str | None:
    """Why Qt could not open a window here, or None when it should be able to."""
    env = os.environ if env is None else env
    if not sys.platform.startswith("linux"):
        return None
    platform = env.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return None  # offscreen, wayland, vnc...: the user chose; Qt reports its own errors
    if not platform and env.get("WAYLAND_DISPLAY"):
        return None
    if not env.get("DISPLAY"):
        why = "DISPLAY is unset" if platform else "DISPLAY and WAYLAND_DISPLAY are unset"
        return NO_DISPLAY.format(why=why)
    error = xcb_load_error()
    return XCB_MISSING.format(error=error) if error else None


def xcb_load_error() -> str | None:
    """Load Qt's xcb plugin the way Qt would; return the loader's error, if any."""
    try:
        import PySide6
    except ImportError as exc:  # pragma: no cover - the package depends on it
        return str(exc)
    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    if not plugin.exists():
        return None  # a distribution build may place plugins elsewhere; let Qt decide
    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        return str(exc)
    return None


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="authflow",
        description="Watch a browser, a server and a store keep a user logged in.",
        epilog="Subcommands without a window: `authflow trace ...`, `authflow scenarios`.",
    )
    parser.add_argument(
        "--lesson", help="lesson to open (see `authflow scenarios`), or a lesson .toml file"
    )
    parser.add_argument("--mode", choices=MODES, help="default: session")
    parser.add_argument("--step", type=int, help="show event N (1-based; 0: before the first)")
    parser.add_argument(
        "--theme", choices=("light", "dark", "contrast"), help="default: follow the system"
    )
    parser.add_argument(
        "--seed", type=arguments.seed, help="secrets and ids from this seed (reproducible)"
    )
    parser.add_argument(
        "--present",
        action="store_true",
        help="start in presenter mode (full screen, large text; F5 or Esc leaves it)",
    )
    parser.add_argument(
        "--screenshot", metavar="FILE.png", help="write the window as a PNG offscreen and exit"
    )
    parser.add_argument(
        "--size",
        help="window size WxH (default: 1366x768 for --screenshot, else most of the screen)",
    )
    args = parser.parse_args(argv)
    # Whether the user named what to show; the first-run welcome stays out of the way then.
    args.asked = args.lesson is not None or args.mode is not None or args.step is not None
    args.mode_typed = args.mode is not None
    args.mode = args.mode or "session"
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.screenshot:
        # Never show a window for a screenshot, whatever display there is.
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    else:
        problem = display_problem()
        if problem:
            print(problem, file=sys.stderr, end="")
            return 2

    from PySide6.QtWidgets import QApplication

    from authflow.app.screenshot import parse_size

    try:
        size = parse_size(args.size or "1366x768")
    except ValueError as exc:
        print(f"authflow: {exc}", file=sys.stderr)
        return 2
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Authflow")
    app.setOrganizationName("Authflow")
    assert isinstance(app, QApplication)

    if args.lesson and args.lesson.endswith(".toml"):
        from authflow import simulator

        try:  # a lesson from a file: say now what is wrong with it, before any window
            simulator.load_scenario(args.lesson)
        except simulator.ScenarioError as exc:
            print(f"authflow: {exc}", file=sys.stderr)
            return 2
    elif args.lesson and args.lesson not in _scenario_names():
        names = ", ".join(_scenario_names())
        print(f"authflow: no lesson {args.lesson!r}; choose from: {names}", file=sys.stderr)
        return 2

    if args.screenshot:
        from authflow.app.screenshot import take

        try:
            take(
                args.screenshot,
                lesson=args.lesson,
                mode=args.mode,
                step=args.step,
                size=size,
                seed=1 if args.seed is None else args.seed,
                theme=args.theme,
            )
        except Exception as exc:
            print(f"authflow: screenshot failed: {exc}", file=sys.stderr)
            return 1
        print(f"wrote {args.screenshot} ({size.width()}x{size.height()})")
        return 0

    from authflow.app.window import crash

    crash.install()  # from here on an error is logged and shown, and the app carries on
    window = open_window(args, size if args.size else _default_window_size())
    # Someone who named what to show is not asked about last time's crash; its autosave
    # waits for the next plain launch.
    window.start_autosave(offer=not args.asked)
    show_window(window, args)
    return app.exec()


def open_window(
    args: argparse.Namespace, size: QSize, settings: QSettings | None = None
) -> MainWindow:
    """The main window as `args` ask for it, with what was remembered in `settings`
    (default: the user's) restored; not shown yet."""
    from authflow.app.views import palette as palettes
    from authflow.app.window import services as window_services
    from authflow.app.window.shell import MainWindow

    palette = palettes.THEMES[args.theme] if args.theme else palettes.for_system()
    window = MainWindow(scenario=args.lesson, mode=args.mode, seed=args.seed, palette=palette)
    window.resize(size)
    window_services.remember(
        window,
        settings,
        restore_run=args.lesson is None,
        theme=args.theme,
        keep_mode=args.mode_typed,
    )
    return window


def show_window(window: MainWindow, args: argparse.Namespace) -> WelcomeDialog | None:
    """Show the window, run its lesson once it has painted, and greet a first launch.

    The welcome offers the first lesson; someone who named a lesson, mode or step on
    the command line knows what they want, and would have to dismiss it to see it."""
    from authflow.app.window import services as window_services

    window.start_after_first_paint(-1 if args.step is None else args.step - 1)
    window.show()
    if args.present:
        window.parts.presenter.action.trigger()
    if args.asked or args.present:
        # A lecturer starting straight into presenter mode has a room watching.
        return None
    return window_services.greet(window)


def _scenario_names() -> list[str]:
    from authflow import (
        simulator,  # only when a lesson is named: the window paints before importing it
    )

    return simulator.scenario_names()


def _default_window_size() -> QSize:
    """Most of the primary screen (a lecture projector gets a large stage), never less
    than a laptop's 1024x640."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QGuiApplication

    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return QSize(1366, 768)
    area = screen.availableGeometry()
    return QSize(max(1024, round(area.width() * 0.9)), max(640, round(area.height() * 0.9)))
