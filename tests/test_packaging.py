"""A wheel builds, and installing it (not editable) gives a working `authflow`."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the project's wheel installed; returns its bin directory."""
    work = tmp_path_factory.mktemp("pkg")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(work / "dist"), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (wheel,) = (work / "dist").glob("authflow-*.whl")
    (work / "wheel-names.txt").write_text("\n".join(zipfile.ZipFile(wheel).namelist()))
    venv.create(work / "venv", with_pip=True)
    bin_dir = work / "venv" / "bin"
    subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)],
        check=True,
        capture_output=True,
        timeout=900,
    )
    return bin_dir


def _run(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        [str(bin_dir / "authflow"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_installed_trace_runs_every_lesson_from_package_data(
    installed: Path, tmp_path: Path
) -> None:
    listing = _run(installed, "scenarios", cwd=tmp_path)
    assert listing.returncode == 0, listing.stderr
    names = [line.split()[0] for line in listing.stdout.splitlines()]
    assert {"basics", "expiry"} <= set(names)
    done = _run(installed, "trace", "basics", "--mode", "jwt", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Outcome: POST /auth/login→200" in done.stdout


def test_installed_render_writes_an_svg(installed: Path, tmp_path: Path) -> None:
    done = _run(installed, "render", "basics", "--mode", "session", "-o", "x.svg", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "x.svg").read_text(encoding="utf-8")
    assert "<svg" in text
    assert "browser" in text.lower()


def test_the_wheel_claims_only_the_authflow_name(installed: Path) -> None:
    """Installed, the code is authflow.app, authflow.simulator and authflow.assets: no
    generic top-level `app` or `simulator` that another package could collide with."""
    names = (installed.parents[1] / "wheel-names.txt").read_text().splitlines()
    tops = {name.split("/")[0] for name in names}
    assert tops == {"authflow", *(t for t in tops if t.endswith(".dist-info"))}
    assert "authflow/app/window/shell.py" in names
    assert "authflow/simulator/web/cookiejar.py" in names
    assert "authflow/assets/scenarios/basics.toml" in names
    site = next((installed.parent / "lib").glob("python3*/site-packages"))
    assert not (site / "app").exists()
    assert not (site / "simulator").exists()


def test_python_dash_m_authflow_runs_the_installed_cli(installed: Path, tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        [str(installed / "python"), "-m", "authflow", "trace", "basics", "--mode", "session"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Outcome: POST /auth/login→200" in done.stdout
