"""The simulator and the command line never load Qt."""

from __future__ import annotations

import subprocess
import sys


def test_simulator_import_loads_no_qt() -> None:
    code = (
        "import sys, simulator, authflow.app.cli, authflow.simulator.formats.text\n"
        "simulator.run_scenario('basics', 'hybrid', {'scrypt_n': '1024'}, seed=1)\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_trace_command_loads_no_qt() -> None:
    code = (
        "import sys, io, contextlib\n"
        "from authflow.app.__main__ import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    rc = main(['trace', 'basics', '--mode', 'jwt', '--set', 'scrypt_n=1024'])\n"
        "assert rc == 0\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
