"""Run every benchmark and write their figures into one report (``make bench``).

Each benchmark runs as its own process, one after another (they compete for the same two
cores otherwise), with the sizes given; their tables go, in order, into one Markdown file,
each under the command that printed it, so that a figure can be reproduced. A benchmark
that fails is reported as failed and the others still run; the exit status says whether
all ran.

    python benchmarks/run_all.py [--sizes real,100k,1M] [--work DIR] [--out FILE]
    python benchmarks/run_all.py --quick        # every benchmark at a tiny size (a test)
"""

from __future__ import annotations

import argparse
import datetime
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def commands(sizes: str, work: Path, quick: bool) -> dict[str, list[str]]:
    """benchmark → its arguments: the full run, or the tiny one a test makes."""
    generated = ",".join(s for s in sizes.split(",") if s != "real") or "100k"
    largest = generated.split(",")[0] if quick else "100k"
    triples = {"tiny": "2000", "5k": "5000", "100k": "100000", "1M": "1000000"}
    kept = ["--work", str(work)]
    if quick:
        return {
            "bench_build": ["--sizes", "tiny", "--repeat", "1", "--pyshacl-max", "0"],
            "bench_pages": ["--sizes", "real,tiny", "--runs", "1", "--langs", "lv", *kept],
            "bench_sparql": ["--sizes", "tiny", "--runs", "1", "--seconds", "1", *kept],
            "bench_web": ["--sizes", "tiny", "--runs", "2", "--seconds", "1", "--no-remote"],
            "bench_guard": ["--runs", "1", "--filters", "50"],
            "bench_static": ["--seconds", "1"],
            "bench_engines": ["--rounds", "1"],
            "bench_fairness": ["--seconds", "2", "--timeout", "1"],
        }
    return {
        "bench_build": ["--sizes", sizes, "--repeat", "3"],
        "bench_pages": ["--sizes", sizes, "--runs", "5", *kept],
        "bench_sparql": ["--sizes", sizes, *kept],
        "bench_web": ["--sizes", generated],
        "bench_trifid": ["--triples", triples.get(largest, "100000")],
        "bench_static": [],
        "bench_engines": [],
        "bench_guard": [],
        "bench_fairness": ["--seconds", "12"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="real,100k,1M")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "bench-work")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench-report.md")
    parser.add_argument("--quick", action="store_true", help="every benchmark, tiny")
    parser.add_argument("--only", help="comma-separated benchmark names")
    args = parser.parse_args()

    args.work.mkdir(parents=True, exist_ok=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    wanted = set(args.only.split(",")) if args.only else None
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    lines = [
        "# Benchmark report",
        "",
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, commit {commit or '?'}, "
        f"sizes {'tiny (--quick)' if args.quick else args.sizes}.",
        "",
    ]
    failed = []
    for name, arguments in commands(args.sizes, args.work, args.quick).items():
        if wanted is not None and name not in wanted:
            continue
        command = [sys.executable, str(ROOT / "benchmarks" / f"{name}.py"), *arguments]
        print(f"== {name}: {' '.join(command[1:])}", flush=True)
        start = time.monotonic()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        took = time.monotonic() - start
        print(done.stdout, end="", flush=True)
        shown = " ".join(["python", f"benchmarks/{name}.py", *arguments])
        lines += [f"## {name}", "", f"`{shown}` ({took:.0f} s)", "", "```", done.stdout.rstrip()]
        if done.returncode != 0:
            failed.append(name)
            print(done.stderr[-3000:], file=sys.stderr, flush=True)
            lines += ["", f"FAILED (exit {done.returncode}):", done.stderr[-3000:].rstrip()]
        lines += ["```", ""]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"report: {args.out}" + (f"; failed: {', '.join(failed)}" if failed else ""))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
