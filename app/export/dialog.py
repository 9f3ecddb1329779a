"""The Export dialog: what to export, in which format, and the options that format has.

Only the options of the chosen format are enabled. A transparent picture is drawn for a
page of a given shade: the light theme's dark text vanishes on a dark slide and the dark
theme's light text on a white page, so the dialog asks which page it is for and says so
when the theme does not suit it.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from authflow.app.export.options import ANIMATED, SCALES, ExportOptions, Format, View
from authflow.app.views.sequence.theme import THEME_NAMES

FORMATS: tuple[tuple[str, Format], ...] = (
    ("PNG image", "png"),
    ("SVG (text stays text)", "svg"),
    ("PDF handout (a page per action or event)", "pdf"),
    ("Animated WebP (one frame per step)", "webp"),
    ("Animated GIF (one frame per step)", "gif"),
    ("Animated PNG (APNG)", "apng"),
    ("Mermaid sequenceDiagram", "mermaid"),
    ("HAR network log (DevTools, mitmproxy)", "har"),
)
SIZES: tuple[tuple[int, int], ...] = ((1280, 720), (1920, 1080), (960, 540), (640, 360))
DARK_THEMES = frozenset({"dark"})
"""Themes whose text is light: meant for dark pages."""


class ExportDialog(QDialog):
    """Asks what to export and how; `options()` and `file_format()` give the answer."""

    def __init__(
        self,
        parent: QWidget | None = None,
        default_theme: str = "light",
        steps: int = 1,
        current: int = 0,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.steps = max(1, steps)
        self.view_combo = QComboBox(self)
        self.view_combo.addItem("Sequence diagram", "sequence")
        self.view_combo.addItem("Stage", "stage")
        self.format_combo = QComboBox(self)
        for text, fmt in FORMATS:
            self.format_combo.addItem(text, fmt)
        self.scale_combo = QComboBox(self)
        for scale in SCALES:
            self.scale_combo.addItem(f"{scale:g}x", scale)
        self.scale_combo.setCurrentIndex(1)
        self.background_combo = QComboBox(self)
        self.background_combo.addItem("Theme background", "")
        self.background_combo.addItem("Transparent, for light pages", "light")
        self.background_combo.addItem("Transparent, for dark pages", "dark")
        self.theme_combo = QComboBox(self)
        for name in THEME_NAMES:
            self.theme_combo.addItem(name.capitalize(), name)
        self.theme_combo.setCurrentIndex(max(0, self.theme_combo.findData(default_theme)))
        self.background_warning = QLabel(self)
        self.background_warning.setWordWrap(True)
        self.page_combo = QComboBox(self)
        self.page_combo.addItem("As drawn", False)
        self.page_combo.addItem("16:9 slide", True)
        self.rows_combo = QComboBox(self)
        self.rows_combo.addItem("Whole diagram", None)
        for n in (1, 2, 3):
            self.rows_combo.addItem(f"Current step and {n} either side", n)
        self.from_spin = self._spin(1)
        self.to_spin = self._spin(self.steps)
        self.size_combo = QComboBox(self)
        for i, (w, h) in enumerate(SIZES):
            # An index as data: a tuple does not survive the trip through QVariant.
            self.size_combo.addItem(f"{w} x {h}", i)
        self.speed_spin = QDoubleSpinBox(self)
        self.speed_spin.setRange(0.2, 20.0)
        self.speed_spin.setSingleStep(0.5)
        self.speed_spin.setValue(1.5)
        self.speed_spin.setSuffix(" s per step")
        self.caption_check = QCheckBox("Narration under the stage", self)
        self.caption_check.setChecked(True)
        self.per_combo = QComboBox(self)
        self.per_combo.addItem("One page per action", "action")
        self.per_combo.addItem("One page per event", "event")
        self.current = current
        form = QFormLayout(self)
        form.addRow("What", self.view_combo)
        form.addRow("Format", self.format_combo)
        form.addRow("Theme", self.theme_combo)
        form.addRow("Background", self.background_combo)
        form.addRow("", self.background_warning)
        form.addRow("Scale", self.scale_combo)
        form.addRow("Page", self.page_combo)
        form.addRow("Rows", self.rows_combo)
        form.addRow("From step", self.from_spin)
        form.addRow("To step", self.to_spin)
        form.addRow("Frame size", self.size_combo)
        form.addRow("Speed", self.speed_spin)
        form.addRow("Caption", self.caption_check)
        form.addRow("Handout", self.per_combo)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        for combo in (self.format_combo, self.view_combo, self.theme_combo):
            combo.currentIndexChanged.connect(self._update_enabled)
        self.background_combo.currentIndexChanged.connect(self._background_chosen)
        self.from_spin.valueChanged.connect(lambda v: self.to_spin.setMinimum(v))
        self._update_enabled()

    def _spin(self, value: int) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setRange(1, self.steps)
        spin.setValue(value)
        return spin

    def _background_chosen(self) -> None:
        """Picking a page shade picks a theme drawn for it (the user may still change it)."""
        page = self.background_combo.currentData()
        theme = self.theme_combo.currentData()
        if page == "dark" and theme not in DARK_THEMES:
            self.theme_combo.setCurrentIndex(self.theme_combo.findData("dark"))
        elif page == "light" and theme in DARK_THEMES:
            self.theme_combo.setCurrentIndex(self.theme_combo.findData("light"))
        self._update_enabled()

    def background_mismatch(self) -> str:
        """A warning when a transparent picture's theme does not suit its page, else ""."""
        page = self.background_combo.currentData()
        if not page or not self.background_combo.isEnabled():
            return ""
        dark_theme = self.theme_combo.currentData() in DARK_THEMES
        if page == "dark" and not dark_theme:
            return "This theme has dark text: on a dark page the title, labels and legend vanish."
        if page == "light" and dark_theme:
            return "This theme has light text: on a white page the title and labels vanish."
        return ""

    def _update_enabled(self) -> None:
        fmt = self.file_format()
        picture = fmt in ("png", "svg")
        animated = fmt in ANIMATED
        sequence = self.view_combo.currentData() == "sequence"
        self.view_combo.setEnabled(picture)
        self.theme_combo.setEnabled(picture or animated or fmt == "pdf")
        self.background_combo.setEnabled(picture)
        self.scale_combo.setEnabled(fmt == "png")
        self.page_combo.setEnabled(picture)
        self.rows_combo.setEnabled(picture and sequence)
        for widget in (
            self.from_spin,
            self.to_spin,
            self.size_combo,
            self.speed_spin,
            self.caption_check,
        ):
            widget.setEnabled(animated)
        self.per_combo.setEnabled(fmt == "pdf")
        warning = self.background_mismatch()
        self.background_warning.setText(warning)
        self.background_warning.setVisible(bool(warning))

    def file_format(self) -> Format:
        fmt: Format = self.format_combo.currentData()
        return fmt

    def options(self, step: int | None = None) -> ExportOptions:
        animated = self.file_format() in ANIMATED
        view: View = (
            self.view_combo.currentData() if self.file_format() in ("png", "svg") else "stage"
        )
        return ExportOptions(
            view=view,
            theme=self.theme_combo.currentData(),
            scale=float(self.scale_combo.currentData()),
            transparent=bool(self.background_combo.currentData()),
            step=step,
            animate=animated,
            neighbours=self.rows_combo.currentData() if view == "sequence" else None,
            widescreen=bool(self.page_combo.currentData()),
            first=self.from_spin.value() - 1,
            last=self.to_spin.value() - 1,
            size=SIZES[self.size_combo.currentData()],
            seconds_per_step=self.speed_spin.value(),
            caption=self.caption_check.isChecked(),
            per=self.per_combo.currentData(),
        )
