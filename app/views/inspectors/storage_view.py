"""The browser-storage inspector: localStorage per origin and the page's memory."""

from __future__ import annotations

from collections.abc import Mapping

from authflow.app.views.inspectors import clock_text
from authflow.app.views.inspectors.tints import change_brush
from authflow.app.views.inspectors.trace_lookup import baseline
from authflow.app.views.inspectors.tree_inspector import TreeInspector
from authflow.app.views.inspectors.tree_model import Node
from authflow.simulator.trace.trace import Trace

COLUMNS = ("Key", "Value", "Change")


def _section(
    title: str, current: Mapping[str, str], before: Mapping[str, str] | None, note: str
) -> Node:
    node = Node((title, note, ""), bold=True)
    old = before or {}
    for key in sorted(set(current) | set(old)):
        if key not in current:
            node.add(
                Node(
                    (key, old[key], "removed"),
                    change="deleted",
                    strike=True,
                    background=change_brush("deleted"),
                    monospace=True,
                )
            )
            continue
        value = current[key]
        change = ""
        if before is not None and key not in old:
            change = "added"
        elif key in old and old[key] != value:
            change = "changed"
        node.add(
            Node(
                (key, value, change),
                change=change,
                bold=bool(change),
                background=change_brush(change),
                monospace=True,
                tooltip=value,
            )
        )
    if not node.children:
        node.add(Node(("(empty)", "", "")))
    return node


def storage_nodes(
    local_storage: Mapping[str, Mapping[str, str]],
    memory: Mapping[str, str],
    before_local: Mapping[str, Mapping[str, str]] | None,
    before_memory: Mapping[str, str] | None,
) -> list[Node]:
    nodes = []
    origins = sorted(set(local_storage) | set(before_local or {}))
    for origin in origins:
        old = None if before_local is None else before_local.get(origin, {})
        nodes.append(
            _section(
                f"localStorage · {origin}",
                local_storage.get(origin, {}),
                old,
                "survives reloads and restarts; any script on the origin can read it",
            )
        )
    if not origins:
        nodes.append(_section("localStorage", {}, None, "no origin has stored anything"))
    nodes.append(
        _section(
            "Page memory (JavaScript variables)",
            memory,
            before_memory,
            "lost on reload; readable by script running in the page",
        )
    )
    return nodes


class StorageInspector(TreeInspector):
    """What the page's script can reach besides cookies; changes this action tinted."""

    COLUMNS = COLUMNS
    WIDTHS = (300, 420, 80)
    EMPTY_TITLE = "Browser storage"

    def show_tree(self, trace: Trace, index: int) -> list[Node]:
        event = trace.events[index]
        before = baseline(trace, index)
        page = event.state.page
        who = f"signed in as {page.signed_in_as}" if page.signed_in_as else "signed out"
        self.title.setText(f"Browser storage at {clock_text.at(event.t)} — page {page.url}, {who}")
        return storage_nodes(
            event.state.local_storage,
            event.state.memory,
            None if before is None else before.local_storage,
            None if before is None else before.memory,
        )
