"""Time and peak memory of `kg build` (map + validate + publish) at several sizes.

Each run is a fresh child process, so peak RSS is that run's own (the larger of its own and
its mapping child's, which it waits for). Sizes: the real data, and
generated data of about 100k and 1M facts (kg.build.generate). Engines: pyshacl-turbo (default)
and pyshacl (the reference; at 1M it took 324 s and 2.6 GB on this kind of machine, so it
runs there only with --pyshacl-max 1000000). Figures are medians of --repeat runs; compare
ratios within one run, since the machine is shared.

    python benchmarks/bench_build.py [--sizes real,100k,1M] [--repeat 3] [--pyshacl-max N]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.common import SIZES  # noqa: E402


def child(data: str, out: str, engine: str) -> None:
    """One build, timed by stage; prints a JSON line."""
    sys.path.insert(0, str(ROOT))
    from kg.build.apart import run_apart
    from kg.build.pipeline import publish_release
    from kg.build.pipeline import write_mapped
    from kg.config import Config

    config = Config(data=Path(data), out=Path(out), shacl_engine=engine)
    start = time.perf_counter()
    # as kg.build.pipeline.build does: mapped in a child process (lines, index, tables)
    folder = Path(tempfile.mkdtemp(dir=out))
    written = run_apart(write_mapped, config, folder)
    mapped = time.perf_counter()
    report = publish_release(config, written).report
    done = time.perf_counter()
    print(
        json.dumps(
            {
                "facts": written.quads,
                "triples": report.triples,
                "map_s": mapped - start,
                # validation runs while the dumps are written: its time is within publish_s
                "validate_s": report.seconds,
                "publish_s": done - mapped,
                "total_s": done - start,
                # the larger of the two processes' peaks (the build waits while the
                # mapping's child runs, whose pages are shared with it until written)
                "peak_mb": max(
                    resource.getrusage(who).ru_maxrss
                    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
                )
                / 1024,
                "mapping_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                "violations": report.counts()["Violation"],
            }
        )
    )


def run_once(data: Path, engine: str) -> dict:
    """One child run; ``process_s`` is its wall clock, interpreter start and imports included."""
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, __file__, "--child", str(data), out, engine],
            capture_output=True,
            text=True,
            check=True,
        )
        wall = time.perf_counter() - start
    return {**json.loads(result.stdout.strip().splitlines()[-1]), "process_s": wall}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="real,100k,1M")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--pyshacl-max",
        type=int,
        default=100_000,
        help="largest size at which the pyshacl reference also runs",
    )
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    sys.path.insert(0, str(ROOT))
    from kg.build.generate import generate

    print(
        f"{'size':>6} {'engine':>8} {'triples':>9} {'map s':>7} {'validate s':>10} "
        f"{'publish s':>9} {'total s':>8} {'process s':>9} {'peak MB':>8} {'map MB':>7}"
    )
    print("(the validation runs while the dumps are written: its seconds are within publish's;")
    print(" map is a child process writing the lines and tables; peak is the larger")
    print(" of its peak, map MB, and the build's own)")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes.split(","):
            target = SIZES[size]
            data = ROOT / "data"
            if target:
                data = Path(tmp) / size
                generate(data, target)
            medians = {}
            for engine in ("turbo", "pyshacl"):
                if engine == "pyshacl" and target > args.pyshacl_max:
                    continue
                runs = [run_once(data, engine) for _ in range(args.repeat)]
                med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
                medians[engine] = med
                print(
                    f"{size:>6} {engine:>8} {med['triples']:>9.0f} {med['map_s']:>7.2f} "
                    f"{med['validate_s']:>10.2f} {med['publish_s']:>9.2f} "
                    f"{med['total_s']:>8.2f} {med['process_s']:>9.2f} {med['peak_mb']:>8.0f} "
                    f"{med['mapping_peak_mb']:>7.0f}",
                    flush=True,
                )
            if len(medians) == 2:
                ratio = medians["pyshacl"]["validate_s"] / max(medians["turbo"]["validate_s"], 1e-9)
                print(f"{size:>6} validation: pyshacl / turbo = {ratio:.1f}x", flush=True)


if __name__ == "__main__":
    main()
