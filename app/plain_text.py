"""Showing text from a trace, a token, a lesson or a file exactly as it is written.

Qt guesses: a QLabel, a tooltip or a message box whose text merely *looks* like HTML
(`Qt.mightBeRichText`) is rendered as rich text. A token whose `alg` is
`<b style="font-size:80px;color:red">VALID</b><img src="file:///…">` would then draw a
large red VALID and load a local image in the decoder. So:

- every QLabel is made with `Qt.TextFormat.PlainText` (`label`, or `make_plain` on one
  that exists); the few labels that are rich on purpose set RichText themselves and
  hold only the app's own words;
- every tooltip that can carry such text goes through `tip`, which leaves ordinary
  text as it is and turns text Qt would misread into HTML that shows it literally;
- warnings go through `warn` (QMessageBox.warning given `tip` of the text), other
  message boxes are made by `message_box`, in plain text;
- menu entries named after a file go through `menu_text` (`&` marks a shortcut key).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget


def tip(text: str) -> str:
    """A tooltip (or ToolTipRole value) that shows `text` as written."""
    if not text or not QtGui.mightBeRichText(text):
        return text  # Qt shows it as plain text already; keep it byte for byte
    return QtGui.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)


def make_plain(*labels: QLabel) -> None:
    """Show each label's text as written, whatever it looks like."""
    for one in labels:
        one.setTextFormat(Qt.TextFormat.PlainText)


def label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A QLabel that shows `text` as written."""
    made = QLabel(parent)
    made.setTextFormat(Qt.TextFormat.PlainText)
    made.setText(text)
    return made


def menu_text(text: str) -> str:
    """`text` for a QAction or menu entry, with `&` shown rather than taken as a mnemonic."""
    return text.replace("&", "&&")


def message_box(
    parent: QWidget | None,
    title: str,
    text: str,
    icon: QMessageBox.Icon = QMessageBox.Icon.Warning,
) -> QMessageBox:
    """A message box showing `text` as written (QMessageBox's static functions guess)."""
    box = QMessageBox(icon, title, "", QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    return box


def warn(parent: QWidget | None, title: str, text: str) -> None:
    """QMessageBox.warning, showing `text` as written."""
    QMessageBox.warning(parent, title, tip(text))
