"""The settings dock: every simulator setting, to change and watch what it breaks.

The rows are generated from `simulator.config.settings.SETTINGS` (grouped, default marked, the
setting's help as tooltip). A change goes to `RunController.set_setting`, which
re-runs the lesson; what changed because of it is worked out by
`simulator.analysis.compare.describe_change` between the run before and the run after, and only
shown here (and in the window's status bar).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from authflow.app import plain_text

if TYPE_CHECKING:
    from authflow.app.session.player import Player
    from authflow.app.session.run_controller import RunController
    from authflow.simulator.config.settings import Setting
    from authflow.simulator.trace.trace import Trace

GROUPS: tuple[tuple[str, str], ...] = (
    ("cookie", "Cookie (the credential cookie)"),
    ("token", "Tokens"),
    ("server", "Server"),
    ("user", "User"),
    ("browser", "Browser"),
)
BOOL_TEXT = {"true": "on", "false": "off"}
DEFAULT_MARK = " (default)"
CHANGED_MARK = "● "
"""Before the label of a setting that differs from the lesson's own value."""


def label_for(key: str) -> str:
    """ "same_site" -> "Same site"; a few keys read better spelled out."""
    special = {
        "same_site": "SameSite",
        "http_only": "HttpOnly",
        "max_age": "Max-Age",
        "cookie_path": "Path",
        "access_ttl": "Access token lifetime (s)",
        "refresh_ttl": "Refresh token lifetime (s)",
        "session_ttl": "Session idle lifetime (s)",
        "csrf_token": "CSRF token",
        "csrf_defence": "CSRF defence",
        "cors": "CORS",
        "scrypt_n": "scrypt cost N",
    }
    return special.get(key, key.replace("_", " ").capitalize())


class SettingRow:
    """One setting's editor: a combo box for choices and flags, a line edit otherwise."""

    def __init__(self, setting: Setting, on_change: Any) -> None:
        self.setting = setting
        self._on_change = on_change
        self.label = QLabel(label_for(setting.key))
        self.label.setToolTip(setting.help)
        self.editor: QComboBox | QLineEdit
        if setting.choices is not None:
            combo = QComboBox()
            for choice in setting.choices:
                text = BOOL_TEXT.get(choice, choice) if setting.kind == "bool" else choice
                combo.addItem(text + (DEFAULT_MARK if choice == setting.default else ""), choice)
            combo.activated.connect(lambda _i: self._on_change(self.key, self.value()))
            self.editor = combo
        else:
            edit = QLineEdit()
            edit.setPlaceholderText(setting.default)
            edit.editingFinished.connect(self._edited)
            # Room for a 7-digit value; a row that cannot give it wraps (see _build).
            edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("0" * 8) + 12)
            self.editor = edit
        self.editor.setObjectName(f"setting_{setting.key}")
        self.editor.setToolTip(setting.help)
        self.default_note = QLabel(f"default {setting.default}")
        self.default_note.setObjectName(f"default_{setting.key}")
        self.default_note.setEnabled(False)  # drawn muted by the style
        self.field = QWidget()
        line = QHBoxLayout(self.field)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.editor, 1)
        if isinstance(self.editor, QLineEdit):
            line.addWidget(self.default_note)
        self._shown = ""

    @property
    def key(self) -> str:
        return self.setting.key

    def value(self) -> str:
        if isinstance(self.editor, QComboBox):
            return str(self.editor.currentData())
        return self.editor.text().strip() or self.setting.default

    def _edited(self) -> None:
        if self.value() != self._shown:
            self._on_change(self.key, self.value())

    def show_value(self, value: str, lesson_value: str, changed: bool) -> None:
        """Show `value` without emitting; bold when the user changed it."""
        self._shown = value
        self.editor.blockSignals(True)
        if isinstance(self.editor, QComboBox):
            self.editor.setCurrentIndex(max(0, self.editor.findData(value)))
        else:
            self.editor.setText(value)
        self.editor.blockSignals(False)
        font = QFont(self.label.font())
        font.setBold(changed)
        self.label.setFont(font)
        # Bold alone is easy to miss on a projector: a mark says it in text too.
        self.label.setText(CHANGED_MARK * changed + label_for(self.key))
        tip = self.setting.help + f"\nDefault: {self.setting.default}."
        if lesson_value != self.setting.default:
            tip += f" This lesson sets {lesson_value}."
        if changed:
            tip += f" Changed from the lesson's {lesson_value}: the story is not the lesson's."
        self.label.setToolTip(plain_text.tip(tip))  # the lesson's value is the lesson's text
        self.editor.setToolTip(plain_text.tip(tip))

    def set_visible(self, visible: bool) -> None:
        self.label.setVisible(visible)
        self.field.setVisible(visible)


class SettingsPanel(QWidget):
    """Every setting, grouped; a change re-runs the lesson and says what it changed."""

    change_explained = Signal(str)
    """The sentence shown in the banner after a change (or why it was refused)."""

    def __init__(
        self, controller: RunController, player: Player, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settings_panel")
        self.controller = controller
        self.player = player
        self.rows: dict[str, SettingRow] = {}
        self.groups: dict[str, QGroupBox] = {}
        self.changed_steps: tuple[int, ...] = ()
        """0-based lesson steps whose outcome the last change changed."""

        self.banner = QLabel("Change a setting: the lesson re-runs and this says what changed.")
        self.banner.setObjectName("settings_banner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.go_to_step = QPushButton("Show that step")
        self.go_to_step.setObjectName("settings_go_to_step")
        self.go_to_step.setToolTip("Jump to the first step whose outcome changed")
        self.go_to_step.setVisible(False)
        self.go_to_step.clicked.connect(self.show_changed_step)
        self.reset_button = QPushButton("Back to the lesson's settings")
        self.reset_button.setObjectName("settings_reset")
        self.reset_button.setToolTip(
            f"Drop every change (the settings marked {CHANGED_MARK.strip()}): back to the "
            "lesson's own settings"
        )
        self.reset_button.clicked.connect(self.reset)
        self.only_changed = QCheckBox("Show only what I changed")
        self.only_changed.setObjectName("settings_only_changed")
        self.only_changed.toggled.connect(lambda _on: self._update_visibility())

        buttons = QHBoxLayout()
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.only_changed, 1)
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.body)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.go_to_step, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(buttons)
        layout.addWidget(scroll, 1)
        self.built = False
        # The simulator is imported with the first run, after the window paints.
        controller.run_changed.connect(self.refresh)
        if controller.trace is not None:
            self.refresh()

    # Building ---------------------------------------------------------------------------
    def _build(self) -> None:
        from authflow.simulator.config.settings import SETTINGS

        self.built = True
        titles = dict(GROUPS)
        # A group added to the simulator later still gets a box, after the known ones.
        for setting in SETTINGS:
            titles.setdefault(setting.group, setting.group.capitalize())
        for group, title in titles.items():
            box = QGroupBox(title)
            box.setObjectName(f"settings_group_{group}")
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            # A laptop's side column is narrow: a row that does not fit puts its field
            # under its label instead of pushing the panel wider than the dock (which
            # clipped every "default …" note at the right edge).
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
            for setting in SETTINGS:
                if setting.group == group:
                    row = SettingRow(setting, self.apply)
                    self.rows[setting.key] = row
                    form.addRow(row.label, row.field)
            self.groups[group] = box
            self.body_layout.addWidget(box)
        # One label width in every group, so the editors line up down the whole panel.
        width = max(row.label.sizeHint().width() for row in self.rows.values())
        for row in self.rows.values():
            row.label.setMinimumWidth(width)
        self.body_layout.addStretch(1)

    # Reading the controller ---------------------------------------------------------------
    def lesson_settings(self) -> dict[str, str]:
        """The lesson's own settings for the current mode, resolved (defaults filled in)."""
        from authflow.simulator import load_scenario
        from authflow.simulator.config.settings import resolve

        scenario = load_scenario(self.controller.scenario)
        return resolve(scenario.settings_for(self.controller.mode))

    def changed(self) -> dict[str, str]:
        """The user's changes: overrides that differ from the lesson's own value."""
        lesson = self.lesson_settings()
        return {k: v for k, v in self.controller.overrides.items() if lesson.get(k) != v}

    def refresh(self) -> None:
        """Show the values in force (after a run, a mode or a lesson change)."""
        if not self.built:
            self._build()
        trace = self.controller.trace
        lesson = self.lesson_settings()
        values = dict(trace.settings) if trace is not None else lesson
        changed = self.changed()
        for key, row in self.rows.items():
            value = str(values.get(key, row.setting.default))
            row.show_value(value, lesson.get(key, row.setting.default), key in changed)
        self.reset_button.setEnabled(bool(self.controller.overrides))
        self._update_visibility()

    def _update_visibility(self) -> None:
        only = self.only_changed.isChecked()
        changed = self.changed() if only and self.built else {}
        for key, row in self.rows.items():
            row.set_visible(not only or key in changed)
        for group, box in self.groups.items():
            box.setVisible(
                not only
                or any(r.setting.group == group and r.key in changed for r in self.rows.values())
            )

    # Changing ---------------------------------------------------------------------------
    def apply(self, key: str, value: str) -> bool:
        """Set one setting, re-run, and say which steps' outcomes changed."""
        from authflow.simulator.analysis.compare import compare, describe_change
        from authflow.simulator.config.settings import SettingError, resolve

        before = self.controller.trace
        try:
            value = resolve({key: value})[key]
        except SettingError as exc:
            self._say(f"Not changed: {exc}.", ())
            self.refresh()
            return False
        old_value = before.settings.get(key) if before is not None else None
        if value == old_value:
            self.refresh()
            return False
        previous = dict(self.controller.overrides)
        try:
            if value == self.lesson_settings().get(key):
                overrides = dict(previous)
                overrides.pop(key, None)
                self.controller.set_settings(overrides)
            else:
                self.controller.set_setting(key, value)
        except Exception as exc:  # the simulator's own message is the explanation
            self.controller.overrides = previous
            self._say(f"Not changed: {exc}", ())
            self.refresh()
            return False
        after = self.controller.trace
        head = f"{label_for(key)}: {old_value} → {value}. "
        if before is None or after is None:
            self._say(head, ())
            return True
        self._say(head + describe_change(before, after), compare((before, after)).changed_steps)
        return True

    def reset(self) -> None:
        """Back to the lesson's own settings; says what that changed."""
        from authflow.simulator.analysis.compare import compare, describe_change

        if not self.controller.overrides:
            return
        before = self.controller.trace
        self.controller.set_settings({})
        after = self.controller.trace
        if before is not None and after is not None:
            self._say(
                "Back to the lesson's settings. " + describe_change(before, after),
                compare((before, after)).changed_steps,
            )

    def _say(self, text: str, changed_steps: tuple[int, ...]) -> None:
        self.changed_steps = changed_steps
        self.banner.setText(text)
        style = "font-weight: bold;" if changed_steps else ""
        self.banner.setStyleSheet(style)
        self.go_to_step.setVisible(bool(changed_steps))
        if changed_steps:
            self.go_to_step.setText(f"Show step {changed_steps[0] + 1}")
        self.change_explained.emit(text)

    def show_changed_step(self) -> None:
        """Jump the player to the last event of the first step whose outcome changed."""
        trace: Trace | None = self.player.trace
        if trace is None or not self.changed_steps:
            return
        step = self.changed_steps[0]
        indexes = [i for i, e in enumerate(trace.events) if e.step == step]
        if indexes:
            self.player.pause()
            self.player.jump(indexes[-1])
