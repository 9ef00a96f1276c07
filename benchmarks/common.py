"""What the benchmarks share: the sizes they run at, and a built release for each.

``real`` is the project's own tables (data/); the others are fictional tables written by
``kg generate`` (kg.build.generate) for about that many facts. A release is built once per
size and work folder: give ``--work DIR`` to a benchmark to keep the 1M build (about a
minute) between runs.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SIZES = {"real": 0, "tiny": 2_000, "5k": 5_000, "100k": 100_000, "1M": 1_000_000}


def built(size: str, work: Path) -> Path:
    """The release folder of ``size`` under ``work``, generated and built when missing."""
    from kg.build.generate import generate
    from kg.build.pipeline import build
    from kg.config import Config

    if size not in SIZES:
        raise SystemExit(f"unknown size {size!r}: one of {', '.join(SIZES)}")
    data = ROOT / "data"
    if SIZES[size]:
        data = work / f"data-{size}"
        if not (data / "measures.csv").exists():
            generate(data, SIZES[size])
    out = work / f"out-{size}"
    current = out / "dist"  # kg.build.publish swaps this link to the newest release
    if current.exists():
        return current.resolve()
    return build(Config(data=data, out=out)).release


def percentile(samples: list[float], p: float) -> float:
    """The ``p``-th percentile by nearest rank (p99 of 20 samples is the largest)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def p50(samples: list[float]) -> float:
    return statistics.median(samples)


def tree_pss_mb(pid: int) -> float:
    """The proportional set size of a process and all its descendants, in MB: memory
    shared copy-on-write by forked workers is counted once in all (Linux /proc)."""
    from pathlib import Path as _Path

    children: dict[int, list[int]] = {}
    for stat in _Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            rollup = _Path(f"/proc/{current}/smaps_rollup").read_text()
        except OSError:
            continue
        total += next(
            int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")
        )
    return total / 1024
