"""`authflow` / `python -m app`: the window, or a Qt-free subcommand (trace, scenarios)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in ("trace", "scenarios", "verify"):
        # Imported here so these subcommands never load Qt (live runs load it themselves).
        from app import cli

        return cli.main(args)
    if args and args[0] == "render":
        from app import render

        return render.main(args[1:])
    from app import gui

    return gui.main(args)


if __name__ == "__main__":
    sys.exit(main())
