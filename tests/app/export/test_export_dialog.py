"""The Export dialog offers every format with its own options and warns about a
transparent picture whose theme would vanish on its page."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtWidgets import QDialog, QFileDialog, QMainWindow, QMessageBox
from pytestqt.qtbot import QtBot

from authflow import simulator
from authflow.app.export.actions import ExportActions
from authflow.app.export.dialog import SIZES, ExportDialog
from authflow.app.session.player import Player


def choose(dialog: ExportDialog, fmt: str) -> None:
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData(fmt))


def test_every_format_is_offered(qtbot: QtBot) -> None:
    dialog = ExportDialog()
    qtbot.addWidget(dialog)
    offered = {dialog.format_combo.itemData(i) for i in range(dialog.format_combo.count())}
    assert offered == {"png", "svg", "pdf", "webp", "gif", "apng", "mermaid", "har"}


def test_picture_options_follow_the_choices(qtbot: QtBot) -> None:
    dialog = ExportDialog(default_theme="dark", steps=24)
    qtbot.addWidget(dialog)
    assert dialog.options().theme == "dark"
    choose(dialog, "svg")
    assert not dialog.scale_combo.isEnabled()
    assert not dialog.from_spin.isEnabled()
    choose(dialog, "png")
    dialog.scale_combo.setCurrentIndex(dialog.scale_combo.findData(3.0))
    dialog.page_combo.setCurrentIndex(dialog.page_combo.findData(True))
    dialog.rows_combo.setCurrentIndex(dialog.rows_combo.findData(2))
    options = dialog.options(step=4)
    assert (options.view, options.theme, options.scale, options.step) == ("sequence", "dark", 3, 4)
    assert (options.widescreen, options.neighbours, options.animate) == (True, 2, False)
    dialog.view_combo.setCurrentIndex(dialog.view_combo.findData("stage"))
    assert not dialog.rows_combo.isEnabled()
    assert dialog.options().neighbours is None
    assert dialog.file_format() == "png"


def test_animation_options(qtbot: QtBot) -> None:
    dialog = ExportDialog(steps=24)
    qtbot.addWidget(dialog)
    choose(dialog, "gif")
    assert dialog.from_spin.isEnabled()
    assert not dialog.view_combo.isEnabled()
    dialog.from_spin.setValue(5)
    dialog.to_spin.setValue(9)
    dialog.size_combo.setCurrentIndex(SIZES.index((640, 360)))
    dialog.speed_spin.setValue(3.0)
    dialog.caption_check.setChecked(False)
    options = dialog.options()
    assert (options.animate, options.view, options.first, options.last) == (True, "stage", 4, 8)
    assert (options.size, options.seconds_per_step, options.caption) == ((640, 360), 3.0, False)
    dialog.to_spin.setValue(2)
    assert dialog.to_spin.value() == 5, "the range cannot end before it starts"


def test_handout_options(qtbot: QtBot) -> None:
    dialog = ExportDialog()
    qtbot.addWidget(dialog)
    assert not dialog.per_combo.isEnabled()
    choose(dialog, "pdf")
    dialog.per_combo.setCurrentIndex(dialog.per_combo.findData("event"))
    assert dialog.options().per == "event"


def test_transparent_for_dark_pages_picks_the_dark_theme(qtbot: QtBot) -> None:
    dialog = ExportDialog(default_theme="light")
    qtbot.addWidget(dialog)
    dialog.background_combo.setCurrentIndex(dialog.background_combo.findData("dark"))
    assert dialog.options().theme == "dark"
    assert dialog.options().transparent
    assert dialog.background_warning.isHidden()
    dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findData("light"))
    assert not dialog.background_warning.isHidden()
    assert "dark page" in dialog.background_warning.text()
    dialog.background_combo.setCurrentIndex(dialog.background_combo.findData("light"))
    assert dialog.background_warning.isHidden()


def export_through_the_dialog(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, fmt: str, path: Path
) -> list[str]:
    """Press Export…, pick `fmt`, accept, and name `path` in the file dialog."""
    window = QMainWindow()
    qtbot.addWidget(window)
    player = Player()
    player.set_trace(simulator.run_scenario("basics", "jwt", {"scrypt_n": "1024"}, seed=1))
    actions = ExportActions(window, player)

    def accept(dialog: ExportDialog) -> int:
        choose(dialog, fmt)
        dialog.size_combo.setCurrentIndex(SIZES.index((640, 360)))
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(ExportDialog, "exec", accept)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    actions.export_action.trigger()
    return shown


def test_file_export_writes_an_animation(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    out = tmp_path / "clip.webp"
    assert export_through_the_dialog(qtbot, monkeypatch, "webp", out) == []
    image = Image.open(io.BytesIO(out.read_bytes()))
    assert (image.n_frames, image.size) == (20, (640, 360))


def test_file_export_writes_a_har(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    out = tmp_path / "run"
    assert export_through_the_dialog(qtbot, monkeypatch, "har", out) == []
    log = json.loads((tmp_path / "run.har").read_text())["log"]
    assert len(log["entries"]) == 4


def test_a_missing_folder_is_named_and_nothing_is_written(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    out = tmp_path / "gone" / "handout.pdf"
    shown = export_through_the_dialog(qtbot, monkeypatch, "pdf", out)
    assert len(shown) == 1
    assert f"the folder {tmp_path / 'gone'} does not exist" in shown[0]
    assert "Nothing was saved" in shown[0]
    assert list(tmp_path.iterdir()) == []
