"""How fast each page type of the browser answers, on the real data, in process.

For every overview page (those the static export holds), the workbench, search and a few
resource pages of different kinds: the first answer (labels and aggregates not yet kept)
and the median of --runs further answers, in Latvian and English. Run it on two checkouts in the
same session to compare them (``--out`` to keep the figures as JSON).

    python benchmarks/bench_pages.py [--runs 20] [--out figures.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OTHER_PAGES = [
    "/search?q=LSM",
    "/search?q=491",
    "/workbench?example=0",
    "/doc/org/kulturas-ministrija",
    "/doc/plan/nipsipp-2019-2020",
    "/doc/plan/nipsipp-2019-2020/result/d2-lsm",
    "/doc/source/km-2021-slides/slide/7",
    "/doc/plan/nipsipp-2019-2020/unidentified/not-funded",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    from kg.build.pipeline import build
    from kg.config import Config
    from kg.export_site import AGGREGATES
    from web import create_app

    with tempfile.TemporaryDirectory() as folder:
        release = build(Config(out=Path(folder), data=ROOT / "data")).release
        client = create_app({"RELEASE": str(release)}).test_client()
        figures = {}
        print(f"{'page':58} {'lang':4} {'first ms':>9} {'p50 ms':>8}")
        for path in [*AGGREGATES, *OTHER_PAGES]:
            for lang in ("lv", "en"):
                url = f"{path}{'&' if '?' in path else '?'}lang={lang}"
                start = time.perf_counter()
                status = client.get(url).status_code
                first = (time.perf_counter() - start) * 1000
                if status != 200:
                    print(f"{path:58} {lang:4} {'(' + str(status) + ')':>9}")
                    continue
                times = []
                for _ in range(args.runs):
                    start = time.perf_counter()
                    client.get(url)
                    times.append((time.perf_counter() - start) * 1000)
                p50 = statistics.median(times)
                figures[url] = {"first_ms": round(first, 1), "p50_ms": round(p50, 2)}
                print(f"{path:58} {lang:4} {first:9.1f} {p50:8.2f}")
        if args.out:
            args.out.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
