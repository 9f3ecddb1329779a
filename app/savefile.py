"""Writing a user's file whole or not at all, and saying in words why not.

Every file the app writes (workspaces, the autosave, exports, screenshots, the
scoreboard) goes through `save_bytes`. QSaveFile writes to a temporary file and renames
it over the target only on `commit()`, but it does not check that `write()` took every
byte: on a nearly full disk Qt writes part of anything larger than its buffer, sets no
error and commits the truncated file over the old one. So the count is checked here, a
short write cancels the save (the old file stays whole), and a full disk is named as
such rather than as Qt's "Unknown error".

QSaveFile also follows a symlink and replaces what it points to; a FIFO or a device
there would silently become a regular file. `check_target` refuses any target that
exists and is not a regular file, through links included.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QIODevice, QSaveFile


class SaveError(OSError):
    """A file that could not be written; the message names it, says why and that the
    previous file (if any) is unchanged."""


OpenSaveFile = Callable[[str], QSaveFile]
"""Makes the QSaveFile for a path; tests inject one whose writes come up short."""


def check_target(path: str | Path) -> None:
    """Refuse to write where a save would replace something that is not a regular file."""
    from authflow.simulator.config.userfiles import (
        kind_of,  # Qt-free; loaded by the time anything is saved
    )

    target = Path(path)
    try:
        info = os.stat(target)  # follows links: what would be replaced is the target
    except FileNotFoundError:
        if target.is_symlink():
            raise SaveError(
                f"Cannot write {target}: it is a link to {os.readlink(target)}, which does "
                "not exist. Nothing was saved."
            ) from None
        return
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the name
        raise SaveError(f"Cannot write {target}: {exc}. Nothing was saved.") from None
    if not stat.S_ISREG(info.st_mode):
        through = " (through a link)" if target.is_symlink() else ""
        raise SaveError(
            f"Cannot write {target}: it is {kind_of(info.st_mode)}{through}, not a regular "
            "file. Nothing was saved."
        )


def _why_unwritable(path: Path) -> str:
    """A plain reason a file cannot be created there, or "" to use Qt's own words."""
    parent = path.parent
    if not parent.exists():
        return f"the folder {parent} does not exist"
    if not parent.is_dir():
        return f"{parent} is not a folder"
    if not os.access(parent, os.W_OK):
        return f"you may not write in the folder {parent}; choose another folder"
    return ""


def _free_bytes(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def _why(out: QSaveFile, target: Path, needed: int, written: int) -> str:
    """Words for a failed write: a full disk by name, else Qt's reason if it has one."""
    free = _free_bytes(target.parent if str(target.parent) else Path("."))
    # After a failed write the temporary file still holds what fitted, so a full disk
    # shows as (almost) nothing free; Qt itself reports it only as "Unknown error".
    if free is not None and free < max(needed - max(written, 0), 1) + 4096:
        return f"the disk is full ({needed:,} bytes to write, {free:,} bytes free)"
    reason = out.errorString()
    if reason and reason != "Unknown error":
        return reason[0].lower() + reason[1:]
    if 0 <= written < needed:
        return f"only {written:,} of {needed:,} bytes could be written (disk full or over quota?)"
    return "the system refused the write (disk full or over quota?)"


def save_bytes(path: str | Path, data: bytes, open_save_file: OpenSaveFile | None = None) -> None:
    """Write `data` to `path` atomically, or raise SaveError and leave the old file whole."""
    target = Path(path)
    check_target(target)
    out = (open_save_file or QSaveFile)(str(target))
    if not out.open(QIODevice.OpenModeFlag.WriteOnly):
        why = _why_unwritable(target) or out.errorString()
        raise SaveError(f"Cannot write {target}: {why}. Nothing was saved.")
    written = out.write(QByteArray(data)) if data else 0
    if written != len(data):
        reason = _why(out, target, len(data), written)
        out.cancelWriting()
        out.commit()  # with writing cancelled this only removes the temporary file
        raise SaveError(f"Could not save {target}: {reason}. {_kept(target)}")
    if not out.commit():  # the last buffered bytes, flushed here, can fail the same way
        raise SaveError(
            f"Could not save {target}: {_why(out, target, len(data), -1)}. {_kept(target)}"
        )


def _kept(target: Path) -> str:
    if target.exists():
        return "Nothing was saved; the previous file is unchanged."
    return "Nothing was saved."
