"""Reading a file a user named: regular files only, never more than a limit, BOM-tolerant.

A lesson, a workspace or an autosave path can name anything: `/dev/zero` (endless),
a FIFO (opening it blocks until someone writes), a folder, a device. Each is refused
before it is read: the path is checked with `stat` first, then opened without blocking
and checked again on the open descriptor (the name could have been swapped in
between), and at most `limit + 1` bytes are read, so a file too large is told apart
from one that just fits without reading the rest.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

BOM = "\ufeff"

_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a pipe (FIFO)",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
}


class UserFileError(OSError):
    """A file that cannot be read; the message says why in words ("it is a folder, not a
    regular file"), for the caller to put after the file's name."""


def kind_of(mode: int) -> str:
    """What a file that is not a regular one is, in words ("a pipe (FIFO)")."""
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def _regular(mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise UserFileError(f"it is {kind_of(mode)}, not a regular file")


def read_bytes(path: str | Path, limit: int) -> bytes:
    """The bytes of the regular file at `path`; UserFileError if it is anything else or
    holds more than `limit` bytes."""
    where = Path(path)
    try:
        _regular(os.stat(where).st_mode)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        fd = os.open(where, flags)
    except UserFileError:
        raise
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the name
        raise UserFileError(_reason(exc)) from None
    try:
        _regular(os.fstat(fd).st_mode)
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except UserFileError:
        raise
    except OSError as exc:
        raise UserFileError(_reason(exc)) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise UserFileError(f"it is larger than {limit:,} bytes, too large to be read")
    return data


def read_text(path: str | Path, limit: int) -> str:
    """`read_bytes` decoded as UTF-8; a leading byte-order mark (Windows editors write
    one) is dropped."""
    data = read_bytes(path, limit)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserFileError(
            f"it is not UTF-8 text (byte {exc.start + 1} is not valid UTF-8)"
        ) from None
    return text.removeprefix(BOM)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
