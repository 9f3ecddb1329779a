"""One action a lesson step can ask for: its arguments, its label, whose lane it opens
on, and the function that carries it out.

Modules that add actions (the user's own, the attacks, the faults) each list their
specs as a plain tuple; catalogue.py puts the catalogue together from them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from authflow.simulator.config.modes import MODES

if TYPE_CHECKING:
    from authflow.simulator.browser.page_script import PageScript
    from authflow.simulator.world.engine import World

Runner = Callable[["World", "PageScript", Mapping[str, Any]], None]
"""Carries out the action in a world, with its checked arguments."""
Label = Callable[[Mapping[str, Any]], str]
"""The label of the note that opens the step: what the user (or attacker) does."""

_NO_CHOICES: Mapping[str, tuple[str, ...]] = MappingProxyType({})


# A NamedTuple, not a frozen dataclass: as immutable, and a tenth of the cost to define
# (the catalogue loads with the first run).
class ActionSpec(NamedTuple):
    name: str
    args: Mapping[str, tuple[type, Any]]
    """argument -> (type, default)."""
    help: str
    run: Runner
    label: Label
    modes: tuple[str, ...] = MODES
    """Modes in which the action means something (others still run it, harmlessly)."""
    lane: Literal["browser", "attacker"] = "browser"
    """Whose lane the step's opening note is on: the attacker's own actions open on theirs."""
    choices: Mapping[str, tuple[str, ...]] = _NO_CHOICES
    """argument -> the only values it may take (checked when a lesson loads)."""


def fixed(text: str) -> Label:
    """A label that does not depend on the arguments."""
    return lambda _args: text
