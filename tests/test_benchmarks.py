"""Every benchmark runs, at a tiny size, as `make bench` runs it: a documented command
that no longer works fails here, not in a reader's hands. The figures themselves live in
the benchmarks' output (docs/benchmarks.md); nothing here asserts a time."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_every_benchmark_runs_at_a_tiny_size(tmp_path):
    report = tmp_path / "report.md"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run_all.py"),
            "--quick",
            "--work",
            str(tmp_path / "work"),
            "--out",
            str(report),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    text = report.read_text(encoding="utf-8")
    ran = re.findall(r"^## (\w+)$", text, re.M)
    on_disk = sorted(p.stem for p in (ROOT / "benchmarks").glob("bench_*.py"))
    assert sorted({*ran, "bench_trifid"}) == on_disk  # Trifid: npm, in the full run only
    assert "FAILED" not in text
    assert "NOT ANSWERED" not in text  # every page type answered (bench_pages)


def test_the_benchmark_commands_the_docs_give_exist():
    """Each `python benchmarks/NAME.py --option` in the docs names a benchmark and options it
    takes (argparse's --help lists them)."""
    docs = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md"))
    docs += (ROOT / "README.md").read_text(encoding="utf-8")
    cited = re.findall(r"python benchmarks/(\w+)\.py((?: --[\w-]+(?: [^\s`\]\)]+)?)*)", docs)
    assert cited
    for name, options in cited:
        script = ROOT / "benchmarks" / f"{name}.py"
        assert script.exists(), name
        helped = subprocess.run(
            [sys.executable, str(script), "--help"], capture_output=True, text=True, cwd=ROOT
        ).stdout
        for option in re.findall(r"--[\w-]+", options):
            assert option in helped, f"{name} has no {option}"


@pytest.mark.parametrize(
    ("given", "expected"), [(None, "real,100k,1M"), ("100k", "100k"), ("real,1M", "real,1M")]
)
def test_make_bench_runs_the_sizes_the_docs_name(given, expected):
    """`make bench` measures the real data, 100k and 1M unless SIZES says otherwise (make's
    $(or ...) once cut the default at its first comma: the real data alone)."""
    command = ["make", "-n", "bench", *([f"SIZES={given}"] if given else [])]
    env = {k: v for k, v in os.environ.items() if k != "SIZES"}
    planned = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert planned.returncode == 0, planned.stderr
    assert f"benchmarks/run_all.py --sizes {expected}\n" in planned.stdout
