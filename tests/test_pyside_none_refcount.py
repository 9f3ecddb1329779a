"""Regression guard: PySide6 6.12.0 on Python 3.11 leaks a reference to None on every Qt
call that returns nothing and aborts the interpreter (`Fatal Python error: none_dealloc`)
after ~5,000 such calls. pyproject.toml pins 3.11 below 6.12; this fails if a bump
brings the bug back."""

from __future__ import annotations

import os
import subprocess
import sys

CALLS = 50_000

SCRIPT = f"""
import sys
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QApplication, QGraphicsRectItem

app = QApplication([])
image = QImage(16, 16, QImage.Format.Format_ARGB32)
painter = QPainter(image)
item = QGraphicsRectItem(0, 0, 10, 10)
pen = QPen(QColor("black"))
before = sys.getrefcount(None)
for i in range({CALLS} // 2):
    painter.setPen(pen)          # returns nothing
    item.setPos(QPointF(i, i))   # returns nothing
painter.end()
print("ok", sys.getrefcount(None) - before)
"""


def test_fifty_thousand_void_qt_calls_exit_cleanly() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "none_dealloc" not in done.stderr
    assert done.stdout.startswith("ok")
