"""Live tests need Qt WebEngine (the live extra). CI installs it and runs them; a
laptop without it skips them with the reason, unless AUTHFLOW_CI=1 says they must run."""

from __future__ import annotations

import os

import pytest

from app.live import availability

FAST = {"scrypt_n": "1024"}

if availability() and os.environ.get("AUTHFLOW_CI") != "1":
    pytest.skip(availability(), allow_module_level=True)
