"""Dependencies run one way: web imports kg; kg (but the serve bridge) never imports Flask."""

from __future__ import annotations

import subprocess
import sys

from kg.config import ROOT

MODULES = [
    p.relative_to(ROOT).with_suffix("").as_posix().replace("/", ".")
    for p in sorted((ROOT / "kg").rglob("*.py"))
    if p.name != "__main__.py" and p.stem != "serving"
]


def test_kg_never_imports_flask():
    code = (
        "import sys, importlib\n"
        f"for name in {MODULES!r}:\n"
        "    importlib.import_module(name.removesuffix('.__init__'))\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'web', 'werkzeug'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == ""
