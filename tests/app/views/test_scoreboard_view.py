"""app/views/scoreboard.py: the table shows simulator.analysis.scoreboard's figures, as exported."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import factories
import pytest
from PySide6.QtGui import QGuiApplication, QImage

from authflow import simulator
from authflow.app.views.scoreboard import ExportError, ScoreboardView
from authflow.simulator.analysis import scoreboard

run = cache(factories.run)
"""A lesson's fast run, made once per lesson and mode."""


@pytest.fixture
def view(qtbot: Any) -> ScoreboardView:
    widget = ScoreboardView()
    qtbot.addWidget(widget)
    widget.resize(1200, 400)
    widget.show()
    return widget


def markdown_cells(text: str) -> list[tuple[str, ...]]:
    rows = []
    for line in text.splitlines():
        cells = line.strip("|").split(" | ")
        rows.append(tuple(c.strip().replace("\\|", "|") for c in cells))
    return rows


@pytest.mark.parametrize("lesson", simulator.scenario_names())
def test_table_shows_each_modes_counters(view: ScoreboardView, lesson: str) -> None:
    modes = simulator.load_scenario(lesson).modes
    traces = [run(lesson, m) for m in modes]
    view.set_boards([scoreboard.score(t, m) for t, m in zip(traces, modes, strict=True)])
    header, rows = view.cell_texts()
    assert header == ("", *modes)
    cells = {row[0]: row[1:] for row in rows}
    for column, trace in enumerate(traces):
        c = trace.events[-1].state.counters
        assert cells["Requests"][column] == str(c.requests)
        assert cells["Store reads to authenticate"][column] == str(c.store_reads)
        assert cells["Signature checks"][column] == str(c.signature_checks)
        assert cells["Credential bytes sent"][column].startswith(
            f"{c.credential_bytes} B (Cookie {c.cookie_bytes} B, "
        )
    assert (header, rows) == scoreboard.table(view.boards)
    # The Markdown export is the table on screen, cell for cell.
    table = markdown_cells(view.markdown())
    assert table[0] == header
    assert table[2:] == list(rows)


def test_rows_that_differ_are_bold(view: ScoreboardView) -> None:
    view.set_boards([scoreboard.score(run("basics", m)) for m in ("session", "jwt")])
    _header, rows = view.cell_texts()
    labels = [r[0] for r in rows]
    requests = view.table.item(labels.index("Requests"), 0)
    reads = view.table.item(labels.index("Store reads to authenticate"), 0)
    assert requests is not None
    assert reads is not None
    assert not requests.font().bold()  # 4 and 4
    assert reads.font().bold()  # 1 and 0


def test_exports_write_png_and_markdown(view: ScoreboardView, tmp_path: Path) -> None:
    view.set_boards([scoreboard.score(run("basics", m)) for m in ("session", "jwt", "hybrid")])
    png = tmp_path / "board.png"
    md = tmp_path / "board.md"
    view.export_png(png)
    view.export_markdown(md)
    image = QImage(str(png))
    assert not image.isNull()
    assert image.width() > 200
    # The whole table is in the image: at least as tall as all its rows.
    rows = sum(view.table.rowHeight(r) for r in range(view.table.rowCount()))
    assert image.height() >= rows
    assert md.read_text(encoding="utf-8") == view.markdown()
    view.copy_markdown()
    assert QGuiApplication.clipboard().text() == view.markdown()


def test_export_to_a_missing_folder_says_why(view: ScoreboardView, tmp_path: Path) -> None:
    view.set_boards([scoreboard.score(run("basics", "session"))])
    with pytest.raises(ExportError, match=r"(?i)cannot write"):
        view.export_markdown(tmp_path / "missing" / "board.md")
    view._try(lambda: view.export_markdown(tmp_path / "missing" / "board.md"), "board.md")
    assert "cannot write" in view.status.text().lower()
