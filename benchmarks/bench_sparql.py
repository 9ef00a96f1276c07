"""/sparql against Oxigraph server on the same data, and throughput under a hostile query.

For each size: generate tables, build, load the dump into `oxigraph serve-read-only`
(RocksDB on disk) and serve the release with `kg serve` (granian, 2 processes with 2 query
workers each). Every example query (kg/queries/cq) goes to both over HTTP, alternating,
--runs times; the median ratio ours / Oxigraph of the repeated runs is printed (target
≤ 1.2×). "Computed" requests carry `Cache-Control: no-cache`, so our answer is computed
each time as Oxigraph's is (the guard still memoises its parse by query text);
"remembered" ones may be answered from our answer cache. Our row cap is raised for the
run (it is policy, not speed); an example that still ends differently on the two servers
(our time limit) is left out of the medians. Then, while a
Cartesian-product query runs into its time limit again and again, wrk (or Python threads)
measures requests per second of `ASK {}` and of a typical SELECT.

    python benchmarks/bench_sparql.py [--sizes 100k,1M] [--runs 7] [--seconds 8]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = {"5k": 5_000, "100k": 100_000, "1M": 1_000_000}
HOSTILE = "SELECT (COUNT(*) AS ?c) { ?a ?b ?c1 . ?d ?e ?f . ?g ?h ?i }"
TYPICAL = (
    "SELECT ?m ?label WHERE { ?m a <https://w3id.org/lvpolicy/def#Measure> ; "
    "<http://www.w3.org/2004/02/skos/core#prefLabel> ?label } LIMIT 100"
)


def post(url: str, query: str, timeout: float = 60, fresh: bool = True) -> tuple[float, int]:
    """POST one query; ``fresh`` asks our endpoint not to answer from its cache."""
    data = urllib.parse.urlencode({"query": query}).encode()
    headers = {
        "Accept": "application/sparql-results+json, text/turtle;q=0.9",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    if fresh:
        headers["Cache-Control"] = "no-cache"
    request = urllib.request.Request(url, data=data, headers=headers)
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        body = exc.read()
        status = exc.code
        if status != 503 and body not in SEEN:  # each refusal once, not once per run
            SEEN.add(body)
            print(f"    ({status}: {body[:160]!r})", flush=True)
    return (time.perf_counter() - start) * 1000, status


SEEN: set[bytes] = set()


def wait(url: str) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            post(url, "ASK {}", timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not start")


def throughput(url: str, query: str, seconds: float, fresh: bool = True) -> str:
    """Requests per second under 4 connections; ``fresh`` bypasses our answer cache."""
    target = url + "?" + urllib.parse.urlencode({"query": query})
    headers = {"Cache-Control": "no-cache"} if fresh else {}
    if shutil.which("wrk"):
        extra = [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]
        out = subprocess.run(
            ["wrk", "-t1", "-c4", f"-d{int(seconds)}s", "--latency", *extra, target],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        rps = out.split("Requests/sec:")[1].split()[0]
        p99 = out.split("99%")[1].split()[0] if "99%" in out else "?"
        return f"{float(rps):.0f} requests/s, p99 {p99} (wrk)"
    count, stop = [0], time.monotonic() + seconds

    def worker() -> None:
        while time.monotonic() < stop:
            request = urllib.request.Request(target, headers=headers)
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()
            count[0] += 1

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return f"{count[0] / seconds:.0f} requests/s (python threads)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100k,1M")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=8)
    args = parser.parse_args()

    from kg.build.generate import generate
    from kg.build.pipeline import build
    from kg.config import Config
    from kg.examples import examples
    from kg.namespaces import with_prefixes
    from tests.web_fixtures import free_port
    from tests.web_fixtures import oxigraph_binary

    base = "https://w3id.org/lvpolicy/"
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes.split(","):
            data, out, db = (Path(tmp) / f"{n}-{size}" for n in ("data", "out", "db"))
            generate(data, SIZES[size])
            release = build(Config(data=data, out=out)).release
            subprocess.run(
                [
                    oxigraph_binary(),
                    "load",
                    "--location",
                    str(db),
                    "--file",
                    str(release / "kg.nq"),
                ],
                check=True,
                capture_output=True,
            )
            ox_port, kg_port = free_port(), free_port()
            servers = [
                subprocess.Popen(
                    [
                        oxigraph_binary(),
                        "serve-read-only",
                        "--location",
                        str(db),
                        "--bind",
                        f"127.0.0.1:{ox_port}",
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                ),
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "kg",
                        "serve",
                        "--port",
                        str(kg_port),
                        "--out",
                        str(out),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    env={
                        **__import__("os").environ,
                        "KG_SPARQL_RATE": "100000",
                        "KG_SPARQL_BURST": "100000",
                        "KG_SPARQL_PER_CLIENT": "64",
                        "KG_SPARQL_TIMEOUT": "10",
                        # the row cap is policy, not speed: let every example finish
                        "KG_SPARQL_MAX_ROWS": "10000000",
                        "KG_SPARQL_MEMORY_MB": "4096",
                    },
                ),
            ]
            ours, theirs = f"http://127.0.0.1:{kg_port}/sparql", f"http://127.0.0.1:{ox_port}/query"
            try:
                wait(theirs)
                wait(ours)
                print(f"{size}: {sum(1 for _ in open(release / 'kg.nq', 'rb'))} quads", flush=True)
                ratios, cached_ratios = [], []
                for example in examples():
                    query = with_prefixes(example.query, base)
                    a, b, c = [], [], []
                    for _ in range(args.runs):
                        ms, status_a = post(ours, query)
                        a.append(ms)
                        ms, status_b = post(theirs, query)
                        b.append(ms)
                        ms, _ = post(ours, query, fresh=False)
                        c.append(ms)
                    theirs_ms = max(statistics.median(b), 1e-6)
                    ratio = statistics.median(a) / theirs_ms
                    cached_ratio = statistics.median(c) / theirs_ms
                    if status_a == status_b:  # else: over our row cap or time limit
                        ratios.append(ratio)
                        cached_ratios.append(cached_ratio)
                    print(
                        f"  {example.key:32} ours {statistics.median(a):8.2f} ms ({status_a})  "
                        f"oxigraph {theirs_ms:8.2f} ms ({status_b})  ratio {ratio:5.2f}x  "
                        f"(remembered: {statistics.median(c):7.2f} ms, {cached_ratio:5.2f}x)",
                        flush=True,
                    )
                print(
                    f"  median ratio over the examples: {statistics.median(ratios):.2f}x "
                    f"computed, {statistics.median(cached_ratios):.2f}x remembered; "
                    f"worst {max(ratios):.2f}x; within 1.2x: "
                    f"{sum(r <= 1.2 for r in ratios)} of {len(ratios)} (examples answered 200 "
                    "by both)",
                    flush=True,
                )
                stop = threading.Event()

                def hostile(stop: threading.Event = stop, url: str = ours) -> None:
                    while not stop.is_set():
                        try:
                            post(url, HOSTILE, timeout=30)
                        except OSError:  # the server stopped at the end of the run
                            return

                attacker = threading.Thread(target=hostile, daemon=True)
                attacker.start()
                time.sleep(1)
                print(
                    "  ASK {} while a hostile query runs: "
                    f"{throughput(ours, 'ASK {}', args.seconds)}",
                    flush=True,
                )
                print(
                    f"  typical SELECT while a hostile query runs: "
                    f"{throughput(ours, TYPICAL, args.seconds)} computed; "
                    f"{throughput(ours, TYPICAL, args.seconds, fresh=False)} remembered",
                    flush=True,
                )
                stop.set()
            finally:
                for server in servers:
                    server.terminate()
                    server.wait(20)


if __name__ == "__main__":
    main()
