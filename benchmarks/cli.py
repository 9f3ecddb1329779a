"""The command line against its floors: trace as JSON, the lesson list, a rendered SVG.

Each figure is a whole process, paired and alternating with a floor that does the
least such a command must do, and printed as min/median/max of the per-pair ratios:

- `authflow trace basics --mode jwt --format json` against
  `python -c "import jwt, itsdangerous"` (target <= 1.5x);
- `authflow scenarios` against a tomllib listing of the lesson files (target <= 1.3x);
- `authflow render basics --view sequence -o x.svg` against a bare QGraphicsScene of
  20 text items written to SVG (target <= 2x).

    python benchmarks/cli.py [--pairs 10] [--only trace|scenarios|render]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from paired import ROOT, Ratios, alternate, env_for_children, load_line, python, spawn

LESSONS = ROOT / "assets" / "scenarios"

TOMLLIB_LISTING = f"""
import tomllib
from pathlib import Path
for path in sorted(Path({str(LESSONS)!r}).glob("*.toml")):
    print(f"{{path.stem:<22}} {{tomllib.loads(path.read_text(encoding='utf-8'))['title']}}")
"""

BARE_SVG = """
import sys
from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QGuiApplication, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication, QGraphicsScene
app = QApplication([])
scene = QGraphicsScene()
for i in range(20):
    scene.addText(f"GET /api/profile {i}").setPos(0, 24 * i)
rect = scene.itemsBoundingRect()
gen = QSvgGenerator()
gen.setFileName(sys.argv[1])
gen.setSize(QSize(int(rect.width()), int(rect.height())))
gen.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
painter = QPainter(gen)
scene.render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
painter.end()
"""


def authflow(*args: str) -> list[str]:
    script = Path(sys.executable).with_name("authflow")
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "authflow", *args]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=10)
    parser.add_argument("--only", choices=("trace", "scenarios", "render"))
    args = parser.parse_args()
    env = env_for_children()
    out = Path(tempfile.mkdtemp(prefix="authflow-cli-bench-"))
    cases = {
        "trace": (
            "trace basics --mode jwt --format json",
            1.5,
            python("import jwt, itsdangerous"),
            authflow("trace", "basics", "--mode", "jwt", "--format", "json"),
        ),
        "scenarios": (
            "scenarios",
            1.3,
            python(TOMLLIB_LISTING),
            authflow("scenarios"),
        ),
        "render": (
            "render basics --mode jwt --view sequence -o x.svg",
            2.0,
            [*python(BARE_SVG), str(out / "bare.svg")],
            authflow(
                "render", "basics", "--mode", "jwt", "--view", "sequence", "-o", str(out / "x.svg")
            ),
        ),
    }
    print(load_line())
    for key, (title, target, floor, ours) in cases.items():
        if args.only and key != args.only:
            continue
        ratios = Ratios(title, target)
        alternate(
            args.pairs,
            lambda floor=floor: spawn(floor, env),
            lambda ours=ours: spawn(ours, env),
            lambda o, f, ratios=ratios: ratios.add(o["exit"], f["exit"]),
        )
        print(ratios.line(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
