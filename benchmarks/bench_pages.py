"""Every page type of the browser, computed and remembered, at each size, in process.

For each size (the real data, and generated tables of 100k and 1M facts): every overview
page (those the static export holds), a page for one thing of every class, the institution
with most links (the hub), search and a workbench example; in Latvian and English. Each page
is measured twice over:

- **computed**: the page memos and the label cache are emptied before every request, so
  every figure includes all of its SPARQL queries (the cost a crawler or a new release pays);
- **cached**: asked again with the memos kept (what a returning reader gets).

It prints p50 and p99 of each, the status and the HTML bytes, and flags a page over 1 MB
or not answered (503: over the page time limit). The Flask test client is the server: no
HTTP, so the figures are the app's own.

    python benchmarks/bench_pages.py [--sizes real,100k,1M] [--runs 5] [--work DIR]
                                     [--langs lv,en] [--out figures.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.common import SIZES  # noqa: E402
from benchmarks.common import built  # noqa: E402
from benchmarks.common import p50  # noqa: E402
from benchmarks.common import percentile  # noqa: E402

LARGE = 1_000_000  # bytes of HTML: a page larger than this is flagged (issue 23)
KINDS = """SELECT ?type (MIN(STR(?s)) AS ?one) WHERE { ?s a ?type FILTER isIRI(?s) }
GROUP BY ?type"""


def page_types(app) -> dict[str, str]:
    """name → path: the overview pages, one thing per class, the hub, search, workbench."""
    from kg.explore.institutions import role_iris
    from kg.export_site import AGGREGATES
    from kg.queries import paged
    from kg.queries import query

    backend = app.extensions["kg"]["backend"]
    base = app.config["BASE"]
    paths = {path: path for path in AGGREGATES}
    for row in sorted(backend.select(KINDS), key=lambda r: str(r["type"])):
        iri, kind = str(row["one"]), str(row["type"]).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        for prefix, route in ((f"{base}id/", "/doc/"), (f"{base}graph/", "/graph/")):
            if iri.startswith(prefix):
                paths.setdefault(f"{kind} (first)", route + iri[len(prefix) :])
    hub = backend.select(paged(query("top-institutions", base, role=role_iris()), 1, 0))
    if hub:
        paths["institution (hub)"] = "/doc/" + str(hub[0]["institution"])[len(base) + 3 :]
    paths["search"] = "/search?q=R%C4%ABga"
    paths["workbench example"] = "/workbench?example=03-structure-counts"
    return paths


class QueryTimes:
    """The time of every query the pages ask (through the backend, so the crossing from the
    query workers is counted), by the name of the query file (kg/queries/NAME.rq)."""

    def __init__(self, backend) -> None:
        from kg.queries import HERE

        texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(HERE.glob("*.rq"))}
        self.names = {self._opening(t): n for n, t in texts.items()}
        self.firsts = {self._opening(t, 1): n for n, t in texts.items()}
        self.times: dict[str, list[float]] = {}
        self.on = False
        execute = backend.execute

        def timed(text, *args, **kwargs):
            start = time.perf_counter()
            try:
                return execute(text, *args, **kwargs)
            finally:
                if self.on:
                    name = self.names.get(self._opening(text)) or self.firsts.get(
                        self._opening(text, 1), "(other)"
                    )
                    self.times.setdefault(name, []).append((time.perf_counter() - start) * 1000)

        backend.execute = timed

    @staticmethod
    def _opening(text: str, count: int = 2) -> str:
        lines = [line for line in text.splitlines() if not line.startswith("PREFIX ")]
        return "\n".join(lines[:count])


def forget(app) -> None:
    """Empty what the app keeps between requests: the page memos and the label cache."""
    from kg.explore.common import LabelStore
    from web.cache import Memo

    state = app.extensions["kg"]
    state.update(memo=Memo(), overview_memo=Memo(), labels=LabelStore())


def measure(app, url: str, runs: int) -> dict:
    client = app.test_client()
    computed, cached = [], []
    status, size = 0, 0
    for _ in range(runs):
        forget(app)
        timer = app.extensions["kg"].get("query_times")
        if timer is not None:
            timer.on = True
        start = time.perf_counter()
        response = client.get(url)
        computed.append((time.perf_counter() - start) * 1000)
        if timer is not None:
            timer.on = False
        status, size = response.status_code, len(response.data)
        if status != 200:
            break  # a page over the time limit is not asked again and again
    for _ in range(runs if status == 200 else 0):
        start = time.perf_counter()
        client.get(url)
        cached.append((time.perf_counter() - start) * 1000)
    return {
        "status": status,
        "bytes": size,
        "computed_p50_ms": round(p50(computed), 2),
        "computed_p99_ms": round(percentile(computed, 99), 2),
        "cached_p50_ms": round(p50(cached), 3) if cached else None,
        "cached_p99_ms": round(percentile(cached, 99), 3) if cached else None,
    }


def run_size(size: str, work: Path, runs: int, langs: list[str]) -> dict:
    from web import create_app

    release = built(size, work)
    app = create_app({"RELEASE": str(release)})
    timer = app.extensions["kg"]["query_times"] = QueryTimes(app.extensions["kg"]["backend"])
    figures: dict = {}
    try:
        for name, path in page_types(app).items():
            for lang in langs:
                url = f"{path}{'&' if '?' in path else '?'}lang={lang}"
                row = measure(app, url, runs)
                figures[f"{name} {lang}"] = {"path": url, **row}
                flag = "  OVER 1 MB" if row["bytes"] > LARGE else ""
                flag += "" if row["status"] == 200 else f"  NOT ANSWERED ({row['status']})"
                cached = (
                    f"{row['cached_p50_ms']:9.3f} {row['cached_p99_ms']:9.3f}"
                    if row["cached_p50_ms"] is not None
                    else f"{'-':>9} {'-':>9}"
                )
                print(
                    f"{size:>5} {name[:34]:34} {lang:3} {row['computed_p50_ms']:9.1f} "
                    f"{row['computed_p99_ms']:9.1f} {cached} {row['bytes'] / 1024:9.1f}{flag}",
                    flush=True,
                )
    finally:
        if "pool" in app.extensions["kg"]:
            app.extensions["kg"]["pool"].close()
    figures["queries"] = {
        name: {"calls": len(ms), "p50_ms": round(p50(ms), 2), "max_ms": round(max(ms), 2)}
        for name, ms in sorted(timer.times.items())
    }
    return figures


def print_queries(results: dict) -> None:
    """Each page query's median and slowest time per size, and how it grows from one size
    to the next (10× the data should cost about 10×, not 100×)."""
    sizes = list(results)
    names = sorted({n for r in results.values() for n in r.get("queries", {})})
    heads = "".join(f" {s + ' p50':>11} {'max':>9}" for s in sizes)
    grows = "   growth of max, " + " → ".join(sizes) if len(sizes) > 1 else ""
    print(f"\n{'page query (computed)':28}{heads}{grows}")
    for name in names:
        cells, maxima = "", []
        for size in sizes:
            q = results[size].get("queries", {}).get(name)
            cells += f" {q['p50_ms']:11.2f} {q['max_ms']:9.2f}" if q else f" {'-':>11} {'-':>9}"
            maxima.append(q["max_ms"] if q else None)
        growth = [
            f"{b / a:.1f}x" if a and b else "-" for a, b in zip(maxima, maxima[1:], strict=False)
        ]
        print(f"{name[:28]:28}{cells}   {' '.join(growth)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="real,100k,1M", help=f"of {', '.join(SIZES)}")
    parser.add_argument("--runs", type=int, default=5, help="requests per page and mode")
    parser.add_argument("--langs", default="lv,en")
    parser.add_argument("--work", type=Path, help="keep generated tables and builds here")
    parser.add_argument("--out", type=Path, help="write the figures as JSON")
    args = parser.parse_args()

    print(
        f"{'size':>5} {'page':34} {'lng':3} {'comp p50':>9} {'comp p99':>9} "
        f"{'cach p50':>9} {'cach p99':>9} {'KB':>9}   (ms)"
    )
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for size in args.sizes.split(","):
            results[size] = run_size(size, work, args.runs, args.langs.split(","))
    print_queries(results)
    if args.out:
        args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
