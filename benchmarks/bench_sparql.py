"""/sparql against Oxigraph server on the same data, and throughput under a hostile query.

For each size: generate tables, build, load the dump into `oxigraph serve-read-only`
(RocksDB on disk) and serve the release with `kg serve` (granian, 2 processes with 2 query
workers each). Every example query (kg/queries/cq) goes to both over HTTP, alternating,
--runs times, in three ways: as a **new text** each time (a comment with a fresh number
at its end, to both servers: nothing of ours has seen it, so the guard parses it), as the
**same text** again (computed: `Cache-Control: no-cache`; the guard's parse is
remembered), and **remembered** (our answer cache may answer). The median ratio ours /
Oxigraph of each is printed (target ≤ 1.2×). Our row cap is raised for the
run (it is policy, not speed); an example that still ends differently on the two servers
(our time limit) is left out of the medians. Then, while a
Cartesian-product query runs into its time limit again and again, wrk (or Python threads)
measures requests per second of `ASK {}` and of a typical SELECT.

    python benchmarks/bench_sparql.py [--sizes real,100k,1M] [--runs 7] [--seconds 8]
                                      [--work DIR]
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

from benchmarks.common import built  # noqa: E402

RUN = iter(range(1 << 62))  # makes each "new text" new
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


def compare(ours: str, theirs: str, queries: list[str], keys: list[str], runs: int) -> None:
    """Each query new, repeated and remembered on ours, new and repeated on Oxigraph."""
    ratios: dict[str, list[float]] = {"new": [], "same": [], "remembered": []}
    print(
        f"  {'example':32} {'new: ours':>10} {'oxigraph':>9} {'ratio':>6}  "
        f"{'same: ours':>10} {'oxigraph':>9} {'ratio':>6}  {'remembered':>10} {'ratio':>6}  rows",
        flush=True,
    )
    for key, query in zip(keys, queries, strict=True):
        times: dict[str, list[float]] = {k: [] for k in ("new", "ox-new", "same", "ox", "mem")}
        statuses = set()
        for _ in range(runs):
            fresh = f"{query}\n# run {next(RUN)}"
            for name, url, text, no_cache in (
                ("new", ours, fresh, True),
                ("ox-new", theirs, fresh, True),
                ("same", ours, query, True),
                ("ox", theirs, query, True),
                ("mem", ours, query, False),
            ):
                ms, status = post(url, text, fresh=no_cache)
                times[name].append(ms)
                statuses.add(status)
        med = {k: statistics.median(v) for k, v in times.items()}
        new = med["new"] / max(med["ox-new"], 1e-6)
        same = med["same"] / max(med["ox"], 1e-6)
        mem = med["mem"] / max(med["ox"], 1e-6)
        if statuses == {200}:  # else: over our row cap or time limit
            ratios["new"].append(new)
            ratios["same"].append(same)
            ratios["remembered"].append(mem)
        print(
            f"  {key[:32]:32} {med['new']:8.2f}ms {med['ox-new']:7.2f}ms {new:5.2f}x  "
            f"{med['same']:8.2f}ms {med['ox']:7.2f}ms {same:5.2f}x  {med['mem']:8.2f}ms "
            f"{mem:5.2f}x  {rows_of(theirs, query)}{'' if statuses == {200} else ' (not 200)'}",
            flush=True,
        )
    for name, found in ratios.items():
        if found:
            print(
                f"  {name}: median ratio {statistics.median(found):.2f}x, worst "
                f"{max(found):.2f}x, within 1.2x: {sum(r <= 1.2 for r in found)} of "
                f"{len(found)} (examples answered 200 by both)",
                flush=True,
            )


def rows_of(url: str, query: str) -> str:
    """How many rows (or triples) Oxigraph answers: an example that returns none measures
    little."""
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(
        url, data=data, headers={"Accept": "application/n-triples, text/tab-separated-values"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            lines = response.read().decode().splitlines()
    except urllib.error.HTTPError as exc:
        return f"({exc.code})"
    tsv = response.headers.get("Content-Type", "").startswith("text/tab-separated-values")
    return str(len(lines) - 1 if tsv else len(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="real,100k,1M")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--work", type=Path, help="keep generated tables and builds here")
    args = parser.parse_args()

    from kg.examples import examples
    from kg.namespaces import with_prefixes
    from tests.web_fixtures import free_port
    from tests.web_fixtures import oxigraph_binary

    base = "https://w3id.org/lvpolicy/"
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        for size in args.sizes.split(","):
            release = built(size, work)
            out, db = release.parent.parent, Path(tmp) / f"db-{size}"
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
                        "KG_SPARQL_MAX_ROWS": "100000",  # the most it takes
                        "KG_SPARQL_MEMORY_MB": "4096",
                    },
                ),
            ]
            ours, theirs = f"http://127.0.0.1:{kg_port}/sparql", f"http://127.0.0.1:{ox_port}/query"
            try:
                wait(theirs)
                wait(ours)
                print(f"{size}: {sum(1 for _ in open(release / 'kg.nq', 'rb'))} quads", flush=True)
                compare(
                    ours,
                    theirs,
                    [with_prefixes(e.query, base) for e in examples()],
                    [e.key for e in examples()],
                    args.runs,
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
