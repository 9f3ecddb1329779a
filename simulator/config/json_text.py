"""JSON that a user typed or a file holds: parsed, or refused with a sentence.

`json.loads` raises more than `JSONDecodeError`: `RecursionError` for deep nesting and
a bare `ValueError` for an integer of more than 4,300 digits (Python's guard against
slow conversions, whose message points at `sys.set_int_max_str_digits`). Every caller
that shows the reason to a person goes through `loads` and catches `JsonTextError`.
"""

from __future__ import annotations

import json
import sys
from typing import Any

MAX_DIGITS = sys.get_int_max_str_digits() or 4300
"""The longest integer Python converts from text (0 means unlimited; we still cap)."""


class JsonTextError(ValueError):
    """Text that is not JSON we can read; the message says why and where."""


class NumberTooLong(JsonTextError):
    """Valid JSON holding an integer too long for Python to convert."""


def loads(text: str) -> Any:
    """`json.loads(text)`, raising only JsonTextError."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise JsonTextError(f"{exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise JsonTextError("nested too deeply") from None
    except ValueError:  # int() refused a number too long to convert
        raise NumberTooLong(f"a number has more than {MAX_DIGITS:,} digits") from None
