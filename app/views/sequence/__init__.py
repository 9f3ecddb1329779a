"""The sequence diagram: a lifeline diagram of a whole trace, drawn with QGraphicsScene.

`SequenceScene` lays the trace out (actors as columns, one row per event) and paints
only the rows a view or an export exposes, so a 100,000-event trace costs one item.
`SequenceView` keeps it in step with the player and jumps the player on a click.
"""

from __future__ import annotations

from authflow.app.views.sequence.scene import SequenceScene
from authflow.app.views.sequence.theme import DiagramTheme, theme_named
from authflow.app.views.sequence.view import SequenceView

__all__ = ["DiagramTheme", "SequenceScene", "SequenceView", "theme_named"]
