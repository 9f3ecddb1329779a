"""Hypothesis profiles shared by every test directory."""

from __future__ import annotations

import os

from hypothesis import settings

# CI decides whether a commit lands, so its examples are the same on every run: a new
# counterexample found by chance there would block work that changed nothing near it.
# Runs on a laptop keep drawing fresh examples, which is how such cases get found.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("AUTHFLOW_CI") == "1":
    settings.load_profile("ci")
