"""Live tests need Qt WebEngine (the live extra). Without it they are skipped with the
reason, unless AUTHFLOW_LIVE=1 says they must run: .ci/run installs the extra and runs
them again that way, in a pytest process of their own."""

from __future__ import annotations

import os

import pytest

from app.live import availability

if availability() and os.environ.get("AUTHFLOW_LIVE") != "1":
    pytest.skip(availability(), allow_module_level=True)
