"""The store inspector: keys and values per store, grouped, with TTLs on the simulated clock."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from authflow.app.views.inspectors import clock_text
from authflow.app.views.inspectors.tints import change_brush
from authflow.app.views.inspectors.trace_lookup import baseline, step_events
from authflow.app.views.inspectors.tree_inspector import TreeInspector
from authflow.app.views.inspectors.tree_model import Node
from authflow.app.views.wording import plural
from authflow.simulator.trace.details import StoreDetail, as_store
from authflow.simulator.trace.trace import StoreEntry, Trace

GROUPS: tuple[tuple[str, str], ...] = (
    ("sess", "Sessions"),
    ("refresh", "Refresh tokens"),
    ("family", "Refresh token families"),
    ("deny", "Denylist"),
    ("user", "Users"),
)
GROUP_NOTES: dict[str, str] = {
    "Sessions": "one record per logged-in browser, keyed by the session id",
    "Refresh tokens": "keyed by a hash of the token, never the token itself",
    "Refresh token families": "reuse of a rotated token revokes its whole family",
    "Denylist": "jti of revoked JWTs, kept until they would have expired anyway",
    "Users": "password hashes exactly as stored (scrypt)",
}
COLUMNS = ("Key", "Value", "TTL", "This step")
_WRITES = frozenset({"SET", "DEL", "EXPIRE"})


def group_of(key: str) -> str:
    prefix = key.split(":", 1)[0]
    for known, title in GROUPS:
        if prefix == known:
            return title
    return "Other keys"


def touched_keys(store_ops: Sequence[tuple[str, StoreDetail]], store: str) -> dict[str, str]:
    """key -> "read" / "written" for this step's store commands, each with the store
    section its key belongs to."""
    marks: dict[str, str] = {}
    for section, op in store_ops:
        if section != store:
            continue
        key = op.key
        command = op.command.upper()
        if command in _WRITES:
            marks[key] = "written"
        elif command and marks.get(key) != "written":
            marks[key] = "read"
    return marks


def holder(
    stores: Mapping[str, Mapping[str, StoreEntry]],
    before: Mapping[str, Mapping[str, StoreEntry]] | None,
    key: str,
    actor: str,
) -> str:
    """Which store section a store event's key belongs to.

    The event's actor (e.g. "store-1") unless the key lives in another section, as the
    users table does ("users") while the hop is drawn to the server's store.
    """
    for snapshot in (stores, before or {}):
        if key in snapshot.get(actor, {}):
            return actor
        for name, entries in snapshot.items():
            if key in entries:
                return name
    return actor


def store_nodes(
    stores: Mapping[str, Mapping[str, StoreEntry]],
    before: Mapping[str, Mapping[str, StoreEntry]] | None,
    touched: Mapping[str, Mapping[str, str]],
    now: float,
) -> list[Node]:
    """One node per store (with several), then one per group, then one per key."""
    roots: list[Node] = []
    for store_name in sorted(stores):
        entries = stores[store_name]
        old = (before or {}).get(store_name, {})
        marks = touched.get(store_name, {})
        store_node = Node((store_name, plural(len(entries), "key"), "", ""), bold=True)
        groups: dict[str, Node] = {}
        keys = sorted(set(entries) | (set(old) - set(entries)))
        for key in keys:
            group = groups.get(group_of(key))
            if group is None:
                group = Node((group_of(key), "", "", ""), bold=True)
                groups[group_of(key)] = group
            gone = key not in entries
            entry = old[key] if gone else entries[key]
            mark = marks.get(key, "")
            if gone:
                mark = "deleted"
            elif before is not None and key not in old:
                mark = "written (new)"
            ttl = "no TTL" if entry.expires is None else clock_text.expiry(entry.expires, now)
            tint = "deleted" if gone else ("written" if mark.startswith("written") else mark)
            group.add(
                Node(
                    (key, entry.value, "(deleted)" if gone else ttl, mark),
                    change=mark,
                    background=change_brush(tint),
                    bold=bool(mark) and not gone,
                    strike=gone,
                    monospace=True,
                    tooltip=f"{key}\n{entry.value}",
                )
            )
        for title in sorted(groups, key=_group_order):
            removed = sum(1 for n in groups[title].children if n.change == "deleted")
            count = f"{len(groups[title].children) - removed}" + (
                f", {removed} deleted" if removed else ""
            )
            groups[title].texts = (f"{title} ({count})", GROUP_NOTES.get(title, ""), "", "")
            store_node.add(groups[title])
        roots.append(store_node)
    return roots


def _group_order(title: str) -> int:
    titles = [t for _, t in GROUPS]
    return titles.index(title) if title in titles else len(titles)


class StoreInspector(TreeInspector):
    """A tree: store → group (sessions, refresh tokens, denylist, users) → key."""

    COLUMNS = COLUMNS
    WIDTHS = (300, 420, 260, 90)
    FIT_TO_CONTENTS = (0, 2)
    EMPTY_TITLE = "Store"

    def show_tree(self, trace: Trace, index: int) -> list[Node]:
        event = trace.events[index]
        start = baseline(trace, index)
        before = None if start is None else start.stores
        stores = event.state.stores
        placed: list[tuple[str, StoreDetail]] = []
        for e in step_events(trace, index):
            if e.kind == "store":
                op = as_store(e)
                placed.append((holder(stores, before, op.key, e.dst), op))
        touched = {name: touched_keys(placed, name) for name in stores}
        count = sum(len(v) for v in stores.values())
        self.title.setText(
            f"Server-side store at {clock_text.at(event.t)} — {plural(count, 'key')}; "
            "keys this action read or wrote are tinted and marked in “This step”"
        )
        return store_nodes(stores, before, touched, event.t)
