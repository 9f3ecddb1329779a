"""The README's set-up is honest on a minimal Debian or Ubuntu: every system library Qt
needs comes from a package `.ci/system-packages` installs, or from the minimal base.

The check: start the window offscreen as the tests do and note every Qt library and
plugin it loads, add the xcb platform plugin the window uses on a desktop, run `ldd` on
each, and map each system library to its Debian package with `dpkg -S`. A package that
is neither in the script's list (with what apt installs along with it) nor in the
minimal base (the Essential packages and apt, with their dependencies) is a library a
fresh machine lacks. A library `ldd` cannot find fails the test outright.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / ".ci" / "system-packages"
DEBIAN = all(shutil.which(tool) for tool in ("dpkg-query", "dpkg", "ldd"))
debian_only = pytest.mark.skipif(
    not (DEBIAN and sys.platform.startswith("linux")), reason="checks Debian packages"
)

LOADED = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from authflow.app.window.shell import MainWindow
    from authflow.app.export import files
    from authflow.app.export.options import ExportOptions
    window = MainWindow(scenario="basics", mode="hybrid", seed=1, animation_ms=0)
    window.start(-1)
    window.finish_panels()
    window.show()
    app.processEvents()
    import tempfile
    folder = tempfile.mkdtemp()
    for name in ("stage.svg", "stage.png"):  # QtSvg and the image writers too
        files.export(window.controller.trace, os.path.join(folder, name),
                      ExportOptions(view="stage"))
    window.grab()
    for line in open("/proc/self/maps"):
        fields = line.split()
        if len(fields) >= 6 and ".so" in fields[5]:
            print(fields[5])
    """
)


def _readme_command(marker: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"<!-- {marker} -->\n\s+(.+)\n", text)
    assert match is not None
    return match.group(1).strip()


def test_both_readme_commands_install_the_system_packages_first() -> None:
    for marker in ("run-command", "test-command"):
        assert _readme_command(marker).startswith("sh .ci/system-packages && python3 -m venv")


def test_the_script_is_posix_sh_and_uses_sudo_only_when_not_root() -> None:
    subprocess.run(["sh", "-n", str(SCRIPT)], check=True)
    text = SCRIPT.read_text(encoding="utf-8")
    assert 'if [ "$(id -u)" -eq 0 ]; then\n    as_root=""' in text
    assert "sudo apt-get" not in text  # only through $as_root


def script_packages() -> list[str]:
    done = subprocess.run(["sh", str(SCRIPT), "--list"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@cache
def _installed() -> dict[str, tuple[list[str], list[str], bool]]:
    """package -> (dependencies, provides, essential) for every installed package."""
    out = subprocess.run(
        [
            "dpkg-query",
            "-W",
            "-f=${Package}\t${Status}\t${Depends}, ${Pre-Depends}\t${Provides}\t${Essential}\n",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    table: dict[str, tuple[list[str], list[str], bool]] = {}
    for line in out.splitlines():
        name, status, depends, provides, essential = (line.split("\t") + [""] * 5)[:5]
        if "ok installed" not in status:
            continue
        table[name] = (_names(depends, alternatives=True), _names(provides), essential == "yes")
    return table


def _names(field: str, alternatives: bool = False) -> list[str]:
    names = []
    for group in field.split(","):
        for choice in group.split("|") if alternatives else [group]:
            name = choice.strip().split(" ")[0].split(":")[0]
            if name:
                names.append(name)
    return names


def closure(roots: set[str]) -> set[str]:
    """`roots` and everything installed that they depend on, virtual names resolved."""
    installed = _installed()
    providers: dict[str, set[str]] = {}
    for name, (_deps, provides, _essential) in installed.items():
        for virtual in provides:
            providers.setdefault(virtual, set()).add(name)
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(providers.get(name, ()))
        if name in installed:
            todo.extend(installed[name][0])
    return seen


def minimal_base() -> set[str]:
    """What every Debian or Ubuntu image has: the Essential packages and apt."""
    essential = {name for name, (_d, _p, ess) in _installed().items() if ess}
    return closure(essential | {"apt"})


def owners(libraries: set[str]) -> dict[str, str]:
    """library path -> the installed package that ships it, in one `dpkg -S` call."""
    variants: dict[str, str] = {}
    for library in libraries:
        real = os.path.realpath(library)
        # Merged /usr: dpkg may know a file under /lib that ldd reports under /usr/lib.
        for path in (library, real, library.removeprefix("/usr"), real.removeprefix("/usr")):
            variants.setdefault(path, library)
    done = subprocess.run(["dpkg", "-S", *variants], capture_output=True, text=True)
    found: dict[str, str] = {}
    for line in done.stdout.splitlines():
        packages, _, path = line.partition(": ")
        if path in variants:
            found.setdefault(variants[path], packages.split(",")[0].split(":")[0].strip())
    return found


def qt_libraries() -> list[Path]:
    """Every Qt library and plugin the window loads offscreen, plus the xcb plugin."""
    done = subprocess.run(
        [sys.executable, "-c", LOADED],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    import PySide6

    qt = Path(PySide6.__file__).resolve().parent
    loaded = {Path(p).resolve() for p in done.stdout.split()}
    ours = sorted(p for p in loaded if qt in p.parents)
    assert any(p.name == "libqoffscreen.so" for p in ours), "the offscreen plugin was not seen"
    xcb = qt / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return [*ours, *([xcb] if xcb.exists() else [])]


def ldd(library: Path) -> dict[str, str | None]:
    """soname -> resolved path (None when not found) for everything `library` needs."""
    out = subprocess.run(["ldd", str(library)], capture_output=True, text=True).stdout
    found: dict[str, str | None] = {}
    for line in out.splitlines():
        match = re.match(r"\s*(\S+) => (not found|(\S+))", line)
        if match:
            found[match.group(1)] = match.group(3)
    return found


@debian_only
def test_every_library_qt_loads_comes_from_the_listed_packages_or_the_base() -> None:
    import PySide6

    venv_qt = Path(PySide6.__file__).resolve().parent.parent
    allowed = closure(set(script_packages())) | minimal_base()
    missing: dict[str, list[str]] = {}
    system: dict[str, str] = {}  # path -> soname
    for library in qt_libraries():
        for soname, path in ldd(library).items():
            if path is None:
                missing.setdefault(soname, []).append(library.name)
            elif not Path(path).resolve().is_relative_to(venv_qt):  # not shipped in the wheel
                system[path] = soname
    packages = owners(set(system))
    unlisted: dict[str, set[str]] = {}
    for path, soname in system.items():
        package = packages.get(path)
        if package is None or package not in allowed:
            unlisted.setdefault(package or path, set()).add(soname)
    assert not missing, (
        f"not found (run `sh .ci/system-packages`, or add their package to it): {missing}"
    )
    assert not unlisted, f"system libraries from packages .ci/system-packages lacks: {unlisted}"
    assert len(system) > 20  # the check saw the system's libraries at all


@debian_only
def test_the_script_finds_nothing_missing_once_it_has_run() -> None:
    done = subprocess.run(["sh", str(SCRIPT), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
