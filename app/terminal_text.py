"""Text from lessons, tokens and headers made safe to print to a terminal.

A hostile lesson must not clear or retitle the terminal, and a CR or LF in a header
value must not break the line it sits on: every line the command line prints passes
through `terminal_safe` (or `json_safe` for a JSON line).
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""C0 and C1 controls (ESC starts terminal commands; 0x9b is CSI on its own), line and
paragraph separators, and the bidirectional overrides that reorder what is shown."""
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""What json.dumps leaves raw with ensure_ascii=False (it escapes C0 itself)."""
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or (
        f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
    )


def terminal_safe(text: str) -> str:
    """`text` with every control character written as a visible escape (ESC -> \\x1b)."""
    return _CONTROL.sub(_escape, text)


def json_safe(line: str) -> str:
    """A JSON line with the characters a terminal would act on written as \\u escapes
    (the same JSON value; `ensure_ascii=False` keeps them raw)."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", line)
