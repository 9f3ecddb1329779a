"""Argument types shared by `authflow`'s command lines (the window, trace, render).

argparse quotes a refused value in full ("invalid int value: '999…'"); these types
raise `ArgumentTypeError` with a message that states the rule instead.
"""

from __future__ import annotations

import argparse


def seed(text: str) -> int:
    """--seed: a whole number of at most `authflow.simulator.config.entropy.SEED_DIGITS` digits."""
    # Imported on use: the window parses its arguments before it loads the simulator.
    from authflow.simulator.config.entropy import parse_seed

    try:
        return parse_seed(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
