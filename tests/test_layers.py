"""The import graph keeps its layers: who may import whom, and no cycles.

Every import counts, wherever it is written: at the top, inside a function, or under
`if TYPE_CHECKING:` (a cycle of types is a cycle all the same: neither side can be
read, tested or moved without the other). The graph is read from the source with
`ast`, so nothing is imported.

Each package lists its layers from the bottom up. A module may import modules of its
own layer or of a lower one; `app` may import `simulator`, never the reverse. Known
breaches are listed below with the step that removes them; a listed breach that no
longer exists fails the test too, so the lists only shrink.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("simulator", "app")

LAYERS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "simulator": (
        # What a trace is made of; nothing else of the simulator is imported here.
        ("trace", ("trace",)),
        # What a run is set up with (the settings read the clock's limits).
        ("config", ("config",)),
        # The web's rules every actor obeys: HTTP, sites, cookies, CORS.
        ("web", ("web",)),
        # The actors, each handed what it needs: none imports another's package except
        # the attacker's forgery, which signs cookies the way the server does.
        ("actors", ("browser", "server", "attacker")),
        ("world", ("world",)),
        ("actions", ("actions",)),
        ("lessons", ("lessons",)),
        # Readers of finished traces.
        ("analysis", ("analysis",)),
        ("formats", ("formats",)),
        # A real loopback server answering with the world's rules, and the join of a
        # real browser's observations into a trace (compared with the simulated run).
        ("live", ("live",)),
        ("facade", ("",)),
    ),
    "app": (
        # Small shared modules: argument types, text shown as plain text or printed to a
        # terminal safely, atomic writes.
        ("base", ("arguments", "plain_text", "savefile", "terminal_text")),
        ("session", ("session",)),
        ("views", ("views",)),
        ("export", ("export",)),
        ("compare", ("compare",)),
        # Live mode's Qt half: Qt WebEngine, a live run of a lesson, both runs side by side.
        ("live", ("live",)),
        # The shell and its parts; each part is handed what it needs.
        ("window", ("window",)),
        # `installed` is the package pip names `authflow` (its __main__ is `python -m authflow`).
        ("entry", ("", "__main__", "cli", "scenarios_command", "gui", "screenshot", "installed")),
    ),
}
"""package -> (layer, modules) from the bottom up; a name covers its subpackage too,
"" is the package's own __init__."""

KNOWN_UPWARD: set[tuple[str, str]] = set()
"""(importer, imported) pairs that break the layers today (none left)."""

KNOWN_CYCLES: set[frozenset[str]] = set()
"""Strongly connected components of more than one module that exist today: none. The
three issue 19 named (the simulator's seven modules through World/Server, the app's ten
through MainWindow, the exports' own) are gone."""


def modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _imported_names(tree: ast.AST) -> Iterator[str]:
    """Names as the repository's paths spell them: the code imports itself by its installed
    names (`authflow.simulator.web`), which are the paths under the `authflow` prefix."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (_local(alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from authflow.app import palette` imports the module app.palette when there is one.
            yield from (f"{_local(node.module)}.{alias.name}" for alias in node.names)


def _local(name: str) -> str:
    return name.removeprefix("authflow.") if name != "authflow" else ""


def import_graph() -> dict[str, set[str]]:
    """module -> the project modules it imports (anywhere in its source)."""
    known = modules()
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        targets: set[str] = set()
        for imported in _imported_names(ast.parse(path.read_text(encoding="utf-8"))):
            while imported and imported not in known:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def layer_of(module: str) -> tuple[str, int]:
    """(package, index of its layer from the bottom)."""
    package, _, rest = module.partition(".")
    for index, (_layer, members) in enumerate(LAYERS[package]):
        for member in members:
            if rest == member or (member and rest.startswith(member + ".")):
                return package, index
    raise AssertionError(f"{module} belongs to no layer: add it to LAYERS in {__file__}")


def upward_imports(graph: dict[str, set[str]]) -> set[tuple[str, str]]:
    found = set()
    for importer, targets in graph.items():
        package, level = layer_of(importer)
        for target in targets:
            target_package, target_level = layer_of(target)
            if target_package != package:
                if package == "simulator":
                    found.add((importer, target))  # the simulator never imports the app
            elif target_level > level:
                found.add((importer, target))
    return found


def cycles(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: set[frozenset[str]] = set()
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            for target in edges:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.add(frozenset(component))
    return found


def test_every_module_has_a_layer() -> None:
    for module in modules():
        layer_of(module)


def test_imports_go_down_the_layers() -> None:
    upward = upward_imports(import_graph())
    new = sorted(upward - KNOWN_UPWARD)
    assert not new, f"imports against the layers (lower may not import higher): {new}"
    gone = sorted(KNOWN_UPWARD - upward)
    assert not gone, f"fixed, so remove from KNOWN_UPWARD: {gone}"


def test_no_import_cycles() -> None:
    found = cycles(import_graph())
    new = [sorted(c) for c in found - KNOWN_CYCLES]
    assert not new, f"import cycles: {new}"
    gone = [sorted(c) for c in KNOWN_CYCLES - found]
    assert not gone, f"these cycles changed or are gone: update KNOWN_CYCLES: {gone}"


KNOWN_PACKAGE_CYCLES: set[frozenset[str]] = set()
"""Cycles between packages (a module at the top counts as its own package)."""


def package_of(module: str) -> str:
    """The package a module belongs to ("simulator.web" for simulator.web.cookiejar); a
    module at the top of `app` or `simulator` is a unit of its own."""
    return ".".join(module.split(".")[:2])


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """package -> the other packages its modules import."""
    packages: dict[str, set[str]] = {}
    for importer, targets in graph.items():
        home = package_of(importer)
        edges = packages.setdefault(home, set())
        edges.update(package_of(t) for t in targets if package_of(t) != home)
    for edges in list(packages.values()):
        for target in edges:
            packages.setdefault(target, set())
    return packages


def test_no_two_packages_import_each_other() -> None:
    """Modules may be acyclic while their packages are not (a.x imports b.y, b.z imports
    a.w): then neither package can be read or moved without the other."""
    found = cycles(package_graph(import_graph()))
    new = [sorted(c) for c in found - KNOWN_PACKAGE_CYCLES]
    assert not new, f"packages that import each other: {new}"
    gone = [sorted(c) for c in KNOWN_PACKAGE_CYCLES - found]
    assert not gone, f"these cycles changed or are gone: update KNOWN_PACKAGE_CYCLES: {gone}"


def test_the_checks_see_a_planted_cycle_and_an_upward_import() -> None:
    graph = {
        "simulator.trace.clock": {"simulator.world.engine"},
        "simulator.world.engine": {"simulator.trace.clock"},
    }
    assert cycles(graph) == {frozenset(graph)}
    assert upward_imports(graph) == {("simulator.trace.clock", "simulator.world.engine")}
    assert upward_imports(
        {"simulator.trace.trace": {"app.session.player"}, "app.session.player": set()}
    ) == {("simulator.trace.trace", "app.session.player")}
    # Acyclic modules, cyclic packages: web.wire -> trace.details, trace.recorder -> web.http.
    modules = {
        "simulator.web.wire": {"simulator.trace.details"},
        "simulator.trace.recorder": {"simulator.web.http"},
        "simulator.trace.details": set(),
        "simulator.web.http": set(),
    }
    assert not cycles(modules)
    assert cycles(package_graph(modules)) == {frozenset({"simulator.trace", "simulator.web"})}
