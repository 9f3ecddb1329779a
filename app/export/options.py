"""What an export is asked for, and how it fails: the formats, the options the dialog
and `authflow render` fill in, and the one error whose message is meant for the user."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

View = Literal["sequence", "stage"]
Format = Literal["png", "svg", "mermaid", "pdf", "har", "webp", "gif", "apng"]
ANIMATED: tuple[Format, ...] = ("webp", "gif", "apng")
SCALES: tuple[float, ...] = (1.0, 2.0, 3.0)


class ExportError(Exception):
    """An export that could not be made; the message is meant for the user."""


_BY_SUFFIX: dict[str, Format] = {
    ".png": "png",
    ".svg": "svg",
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
    ".md": "mermaid",
    ".pdf": "pdf",
    ".har": "har",
    ".webp": "webp",
    ".gif": "gif",
    ".apng": "apng",
}


def format_for(path: str | Path, animate: bool = False) -> Format:
    """The export format a file name asks for, by its extension; with `animate` a .png
    is an animated PNG."""
    fmt = _BY_SUFFIX.get(Path(path).suffix.lower())
    if fmt is None:
        raise ExportError(
            f"Cannot tell the format of {path}: use .png, .svg, .mmd, .pdf, .har, "
            ".webp, .gif or .apng."
        )
    if animate and fmt == "png":
        return "apng"
    if animate and fmt not in ANIMATED:
        raise ExportError(f"{Path(path).name}: an animation is written as .webp, .gif or .png.")
    return fmt


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """One export as the dialog or the command line asked for it."""

    view: View = "sequence"
    theme: str = "light"
    scale: float = 1.0
    transparent: bool = False
    step: int | None = None
    """Trace index to show (stage) or highlight (sequence); None: the last / none."""
    animate: bool = False
    """One frame per event (WebP, GIF or APNG) instead of one picture."""
    neighbours: int | None = None
    """Sequence diagram only: keep just `step` and this many rows either side."""
    widescreen: bool = False
    """Pad the picture to a 16:9 page (slides)."""
    first: int = 0
    last: int | None = None
    """Animations: the trace indexes of the first and last frame (None: the end)."""
    size: tuple[int, int] = (1280, 720)
    """Animations: frame size in pixels."""
    seconds_per_step: float = 1.5
    caption: bool = True
    """Animations: the narration under the stage."""
    per: Literal["action", "event"] = "action"
    """Handout PDF: one page per user action, or per event."""
    summary: str = ""
    """Handout PDF: the lesson's summary for its title page."""
