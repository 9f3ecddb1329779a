"""The README's two set-up commands are the ones CI and users run."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _command(marker: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"<!-- {marker} -->\n\s+(.+)\n", text)
    assert match is not None, f"README.md lacks the {marker}"
    return match.group(1).strip()


def test_readme_has_run_and_test_commands() -> None:
    run = _command("run-command")
    test = _command("test-command")
    assert run.endswith("authflow")
    assert "pip install ." in run
    assert test.endswith("python -m pytest -q")
    assert '.[test]"' in test


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "<!-- test-command -->" in ci  # .ci/run reads the command from the README
    assert "QT_QPA_PLATFORM=offscreen" in ci


def test_every_package_directory_ships() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for init in [*ROOT.glob("app/**/__init__.py"), *ROOT.glob("simulator/**/__init__.py")]:
        if init.parent == ROOT / "app" / "installed":
            continue  # it is `authflow` itself (package-dir)
        package = "authflow." + ".".join(init.parent.relative_to(ROOT).parts)
        assert f'"{package}"' in pyproject, f"{package} is missing from pyproject packages"


def test_mypy_reads_the_tree_under_its_installed_names() -> None:
    """mypy checks `authflow.app` and `authflow.simulator` through two links (the code
    imports itself by those names); a link that points elsewhere would check nothing."""
    links = ROOT / ".ci" / "typecheck" / "authflow"
    for name in ("app", "simulator"):
        assert (links / name).resolve() == (ROOT / name).resolve()
