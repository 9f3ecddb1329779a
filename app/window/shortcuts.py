"""Keyboard reach and accessibility: shortcuts, the shortcuts sheet, accessible names.

Every action is reachable from the keyboard: through a menu (Alt and the underlined
letter) and, for the frequent ones, a shortcut shown in the menu and in the tooltip.
Help > Keyboard shortcuts lists them all. Every focusable control gets an accessible
name (from its tooltip, its text or its dock's title) so screen readers can say it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFormLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from authflow.app.window import presenter as presenter_mod

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

    from authflow.app.window.host import Host
    from authflow.app.window.presenter import PresenterMode

MODE_KEYS = {"session": "Ctrl+1", "jwt": "Ctrl+2", "hybrid": "Ctrl+3"}
USER_ACTION_KEYS = {
    "login": "Ctrl+L",
    "profile": "Ctrl+P",
    "transfer": "Ctrl+T",
    "logout": "Ctrl+Shift+L",
    "refresh": "Ctrl+Shift+F",
    "wait": "Ctrl+W",
    "reload": "Ctrl+R",
    "restart_browser": "Ctrl+Shift+B",
    "restart_server": "Ctrl+Shift+S",
}
SHEET_KEY = "Ctrl+/"
_TIP_KEYS = re.compile(r"\s*\([^()]*\)$")
_KEYS_PROPERTY = "authflow_keys_in_tooltip"


def plain(text: str) -> str:
    """Menu text without its mnemonic ampersands and ellipsis."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def key_text(action: QAction) -> str:
    return ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts())


def show_keys_in_tooltip(action: QAction) -> None:
    """ "Step (Right, PgDown)": the tooltip says the shortcut, as the menu does."""
    keys = key_text(action)
    if not keys:
        return
    tip = action.toolTip() or plain(action.text())
    suffix = f" ({keys})"
    if tip.endswith(suffix):
        return
    # Only a suffix added here is replaced; a tooltip's own "(...)" stays.
    previous = action.property(_KEYS_PROPERTY)
    if isinstance(previous, str) and previous and tip.endswith(previous):
        tip = tip[: -len(previous)]
    action.setToolTip(tip + suffix)
    action.setProperty(_KEYS_PROPERTY, suffix)


def menu_rows(menu: QMenu, path: str = "") -> list[tuple[str, str, QAction]]:
    """(menu path, keys, action) for every action in `menu` and its submenus."""
    rows: list[tuple[str, str, QAction]] = []
    here = f"{path} > {plain(menu.title())}" if path else plain(menu.title())
    for action in menu.actions():
        if action.isSeparator():
            continue
        sub = action.menu()
        if isinstance(sub, QMenu):
            rows.extend(menu_rows(sub, here))
        else:
            rows.append((f"{here} > {plain(action.text())}", key_text(action), action))
    return rows


def reachable_actions(window: QMainWindow) -> set[QAction]:
    """Actions a keyboard can trigger: in a menu, or with a shortcut."""
    found: set[QAction] = set()
    for top in window.menuBar().actions():
        sub = top.menu()
        if isinstance(sub, QMenu):
            for _path, _keys, action in menu_rows(sub):
                found.add(action)
    for action in window.findChildren(QAction):
        if not action.shortcut().isEmpty():
            found.add(action)
    # A tool button's drop-down menu opens from the keyboard once Tab reaches the button.
    for button in window.findChildren(QToolButton):
        menu = button.menu()
        if isinstance(menu, QMenu) and is_interactive(button):
            found.update(action for _p, _k, action in menu_rows(menu))
    # A focused widget's own context menu opens with the Menu key or Shift+F10.
    for widget in window.findChildren(QWidget):
        if widget.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu and (
            is_interactive(widget)
        ):
            found.update(widget.actions())
    # Toolbars, and the actions on them, are listed in View > Toolbars.
    for bar in window.findChildren(QToolBar):
        found.add(bar.toggleViewAction())
    return found


class ShortcutSheet(QDialog):
    """Help > Keyboard shortcuts: every menu action and its keys, and presenter keys."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts")
        self.setObjectName("shortcut_sheet")
        rows: list[tuple[str, str]] = []
        for top in window.menuBar().actions():
            sub = top.menu()
            if isinstance(sub, QMenu):
                rows.extend((what, keys) for what, keys, _a in menu_rows(sub))
        rows.extend((f"Presenter mode > {what}", keys) for keys, what in presenter_mod.KEYS_HELP)
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setObjectName("shortcut_table")
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Action", "Keys"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for i, (what, keys) in enumerate(rows):
            self.table.setItem(i, 0, QTableWidgetItem(what))
            self.table.setItem(i, 1, QTableWidgetItem(keys or "—  (menu: Alt + underlined letter)"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        layout = QVBoxLayout(self)
        note = QLabel("Menus open with Alt and the underlined letter; Tab moves between controls.")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(720, 560)

    def rows(self) -> list[tuple[str, str]]:
        t = self.table

        def text(row: int, column: int) -> str:
            item = t.item(row, column)
            return item.text() if item is not None else ""

        return [(text(i, 0), text(i, 1)) for i in range(t.rowCount())]


def _dock_title(widget: QWidget) -> str:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QDockWidget):
            return parent.windowTitle()
        parent = parent.parentWidget()
    return ""


def _humanise(name: str) -> str:
    return re.sub(r"[_\-]+", " ", name).strip().capitalize()


def _label_for(widget: QWidget) -> str:
    """The text of the label a form row or a buddy gives `widget`, if any."""
    parent = widget.parentWidget()
    layout = parent.layout() if parent is not None else None
    if isinstance(layout, QFormLayout):
        label = layout.labelForField(widget)
        if isinstance(label, QLabel) and label.text():
            return plain(label.text()).rstrip(":")
    if parent is not None:
        for label in parent.findChildren(QLabel):
            if label.buddy() is widget and label.text():
                return plain(label.text()).rstrip(":")
    return ""


def accessible_name_for(widget: QWidget) -> str:
    """A name a screen reader can say: tooltip, text, placeholder, then where it sits."""
    tip = _TIP_KEYS.sub("", widget.toolTip()).strip()
    if tip and "<" not in tip:
        return tip.split("\n")[0][:80]
    if isinstance(widget, QAbstractButton) and plain(widget.text()):
        return plain(widget.text())
    placeholder = getattr(widget, "placeholderText", None)
    if callable(placeholder) and placeholder():
        return str(placeholder())
    label = _label_for(widget)
    if label:
        return label
    name = _humanise(widget.objectName()) if widget.objectName() else ""
    kind = type(widget).__name__.removeprefix("Q")
    dock = _dock_title(widget)
    parts = [p for p in (dock, name or kind) if p]
    return ": ".join(parts) if parts else kind


def is_interactive(widget: QWidget) -> bool:
    """Takes keyboard focus (or is a button): the controls a screen reader must name."""
    if isinstance(widget, QAbstractButton | QAbstractItemView):
        return True
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)


def name_widgets(root: QWidget) -> int:
    """Give every unnamed interactive widget under `root` an accessible name; count them."""
    named = 0
    for widget in [root, *root.findChildren(QWidget)]:
        if is_interactive(widget) and not widget.accessibleName():
            widget.setAccessibleName(accessible_name_for(widget))
            named += 1
    return named


class KeyboardAccess(QObject):
    """Adds the Actions menu and shortcuts, Help menu entries, names and tooltips."""

    def __init__(self, host: Host, presenter: PresenterMode) -> None:
        window = host.qt
        super().__init__(window)
        self.host = host
        self.window = window
        self.sheet: ShortcutSheet | None = None
        self.sheet_action = QAction("&Keyboard shortcuts", window)
        self.sheet_action.setObjectName("action_shortcuts")
        self.sheet_action.setShortcuts([QKeySequence(SHEET_KEY), QKeySequence("F1")])
        self.sheet_action.triggered.connect(self.show_sheet)
        window.addAction(self.sheet_action)
        self._fill_actions_menu()
        # Panels build their controls late (on a new trace, a new run, the first show):
        # name them once whatever else those signals start has run.
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(0)
        self._later.timeout.connect(self.refresh)
        host.player.trace_changed.connect(lambda _t: self.refresh_soon())
        host.controller.run_changed.connect(self.refresh_soon)
        window.installEventFilter(self)
        # Leaving presenter mode restores the dock layout, which makes new tab bars.
        presenter.active_changed.connect(lambda _on: self.refresh_soon())

    def refresh_soon(self) -> None:
        self.refresh()
        self._later.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Show:
            self.refresh_soon()
        return False

    def _fill_actions_menu(self) -> None:
        h, w = self.host, self.window
        menu = h.menus.actions
        for mode, action in h.mode_actions.items():
            if action.shortcut().isEmpty() and mode in MODE_KEYS:
                action.setShortcut(QKeySequence(MODE_KEYS[mode]))
                w.addAction(action)
            menu.addAction(action)
        menu.addSeparator()
        for key, action in h.user_actions.items():
            if action.shortcut().isEmpty() and key in USER_ACTION_KEYS:
                action.setShortcut(QKeySequence(USER_ACTION_KEYS[key]))
                w.addAction(action)
            menu.addAction(action)
        menu.addMenu(h.menus.wait)  # every duration, not only the default
        toolbars = QMenu("Tool&bars", w)
        toolbars.setObjectName("menu_toolbars")
        for toolbar in w.findChildren(QToolBar):
            toolbars.addAction(toolbar.toggleViewAction())
        h.menus.view.addMenu(toolbars)

    def refresh(self) -> None:
        """Tooltips with keys, accessible names (panels built later are covered too)."""
        for action in self.window.findChildren(QAction):
            show_keys_in_tooltip(action)
        name_widgets(self.window)

    def show_sheet(self) -> ShortcutSheet:
        if self.sheet is None:
            self.sheet = ShortcutSheet(self.window)
            name_widgets(self.sheet)
        self.sheet.show()
        self.sheet.raise_()
        return self.sheet


def install(host: Host, presenter: PresenterMode) -> KeyboardAccess:
    """Keyboard access, with Help > Keyboard shortcuts."""
    access = KeyboardAccess(host, presenter)
    host.menus.help.addAction(access.sheet_action)
    return access
