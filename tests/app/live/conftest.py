"""Live tests need Qt WebEngine (the live extra). Without it they are skipped with the
reason, unless AUTHFLOW_LIVE=1 says they must run: .ci/run installs the extra and runs
them again that way, in a pytest process of their own."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from authflow.app.live import availability

HERE = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    hint = availability()
    if not hint or os.environ.get("AUTHFLOW_LIVE") == "1":
        return
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.skip(reason=hint))
