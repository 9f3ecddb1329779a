"""`authflow` / `python -m authflow`: the window, or a Qt-free subcommand (trace, scenarios)."""

from __future__ import annotations

import errno
import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        status = _dispatch(args)
        sys.stdout.flush()  # a closed pipe or a full disk shows here, not at exit
    except BrokenPipeError:
        # `authflow trace basics | head -1`: the reader has what it wanted. Exit quietly.
        _drop_stdout()
        return 0
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG):
            raise
        _drop_stdout()
        why = "the disk is full" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else exc.strerror
        print(f"authflow: error: cannot write the output: {why}", file=sys.stderr)
        return 1
    return status


def _dispatch(args: list[str]) -> int:
    if args and args[0] == "scenarios":
        # Listing the course reads the lessons' headers only: no engine, no crypto.
        from authflow.app import scenarios_command

        return scenarios_command.main(args[1:])
    if args and args[0] in ("trace", "verify"):
        # Imported here so these subcommands never load Qt (live runs load it themselves).
        from authflow.app import cli

        return cli.main(args)
    if args and args[0] == "render":
        from authflow.app.export import render

        return render.main(args[1:])
    from authflow.app import gui

    return gui.main(args)


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush at exit cannot fail
    again with a second traceback (the Python documentation's advice for SIGPIPE)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real file descriptor (tests capture stdout)
        pass


if __name__ == "__main__":
    sys.exit(main())
