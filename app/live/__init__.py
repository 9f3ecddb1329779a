"""Live mode's Qt half: a real Chromium (Qt WebEngine) driven through a lesson.

Qt WebEngine comes with the optional `live` extra (PySide6-Addons). Nothing here is
imported until the user chooses Live, so the app and its startup never pay for it;
`availability()` says whether it can run, and if not, how to install it.
"""

from __future__ import annotations

import importlib.util

INSTALL_HINT = (
    'Live mode needs Qt WebEngine: pip install "authflow[live]" (from a checkout: '
    'pip install ".[live]"), plus the Debian libraries listed in the README.'
)


def availability() -> str:
    """ "" when live mode can run; otherwise what to install."""
    try:
        found = importlib.util.find_spec("PySide6.QtWebEngineCore") is not None
    except (ImportError, ValueError):
        found = False
    return "" if found else INSTALL_HINT
