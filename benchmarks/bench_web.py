"""Page latency and throughput of the browser on generated data, both backends.

For each size: generate tables, build, then
- p50 / p99 of the home, institution, measure, dashboard and search pages through the
  Flask app (in process), next to the page's main query run directly on pyoxigraph, as a
  ratio (target: page ≤ 1.3× its main query);
- requests per second on the institution page (a median institution) under `kg serve` with
  2 workers and a bounded local load for --seconds: wrk (1 thread, 4 connections) when
  Debian's wrk is installed, else 8 Python client threads; embedded store only.
The remote backend is an in-memory `oxigraph serve` on 127.0.0.1 loaded with `kg load`.

    python benchmarks/bench_web.py [--sizes 100k,1M] [--runs 50] [--seconds 10] [--work DIR]
"""

from __future__ import annotations

import argparse
import http.client
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import built  # noqa: E402
from benchmarks.common import tree_pss_mb  # noqa: E402


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def timed(fn, runs: int) -> list[float]:
    fn()  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def pages(app, base: str) -> dict[str, tuple[str, str | None]]:
    """page name → (path, main query): the institution page for a median institution and
    for the most connected one, whose activities are paged."""
    from kg.explore.institutions import role_iris
    from kg.queries import checked_iri
    from kg.queries import paged
    from kg.queries import query

    backend = app.extensions["kg"]["backend"]
    ranked = backend.select(paged(query("top-institutions", base, role=role_iris()), 100000, 0))
    top, median = str(ranked[0]["institution"]), str(ranked[len(ranked) // 2]["institution"])
    measure = backend.select(
        "SELECT ?m WHERE { ?m a <https://w3id.org/lvpolicy/def#Measure> } LIMIT 1"
    )
    measure_iri = (
        str(measure[0]["m"]) if measure else base + "id/plan/nipsipp-2019-2020/result/d2-lsm"
    )
    plan = str(app.extensions["kg"]["site"]["focus"])

    def roles_of(iri: str) -> str:
        text = query("institution-roles", base, institution=[checked_iri(iri)], role=role_iris())
        return paged(text, 51, 0)

    return {
        "home": ("/", query("home", base, plan=[checked_iri(plan)])),
        "institution": ("/doc/" + median[len(base) + 3 :], roles_of(median)),
        "institution-top": ("/doc/" + top[len(base) + 3 :], roles_of(top)),
        "measure": (
            "/doc/" + measure_iri[len(base) + 3 :],
            query("facts-out", base, s=[checked_iri(measure_iri)]),
        ),
        "dashboard": ("/dashboard", query("dashboard", base, plan=[checked_iri(plan)])),
        "search": ("/search?q=riga%20pasakums", None),
    }


def latency(release: Path, base: str, runs: int, endpoint: str | None, store) -> None:
    """Pages on the remote server; on the embedded store twice, the pages' queries run in
    the query workers (as served) and on a store in the server process (as before 0.1.0's
    one-store-per-process change), so the cost of that change is measured in the run."""
    from kg.backends.local import LocalBackend
    from kg.explore.common import LabelStore
    from web import create_app
    from web.cache import Memo

    settings = {"RELEASE": str(release), "SPARQL_ENDPOINT": endpoint}
    variants = ["remote"] if endpoint else ["workers", "in-process"]
    for variant in variants:
        app = create_app(settings)
        if variant == "in-process":
            state = app.extensions["kg"]
            state.update(backend=LocalBackend(store), memo=Memo(), labels=LabelStore())
        _latency(app, base, runs, variant, store)
        if "pool" in app.extensions["kg"]:
            app.extensions["kg"]["pool"].close()


def _latency(app, base: str, runs: int, backend_name: str, store) -> None:
    client = app.test_client()
    for name, (path, main) in pages(app, base).items():
        page = timed(lambda p=path: client.get(p), runs)
        line = (
            f"  {backend_name:>10} {name:>15}  p50 {statistics.median(page):8.2f} ms  "
            f"p99 {percentile(page, 99):8.2f} ms"
        )
        if main is not None:
            direct = timed(lambda q=main: list(store.query(q)), runs)
            ratio = statistics.median(page) / max(statistics.median(direct), 1e-6)
            line += f"  main query {statistics.median(direct):8.2f} ms  ratio {ratio:5.2f}x"
        print(line, flush=True)


def throughput(release: Path, path: str, seconds: float) -> tuple[float, float, float]:
    """Requests per second on ``path``, and the PSS of `kg serve` (all its processes) once
    started and after the load, in MB."""
    port = 5000 + int(time.time()) % 1000
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kg",
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
            "--out",
            str(release.parent.parent),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(port)
        started = tree_pss_mb(server.pid)
        rate = _load(port, path, seconds)
        return rate, started, tree_pss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(10)


def _load(port: int, path: str, seconds: float) -> float:
    if shutil.which("wrk"):  # a C client leaves the two cores to the server
        out = subprocess.run(
            ["wrk", "-t1", "-c4", f"-d{int(seconds)}s", f"http://127.0.0.1:{port}{path}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return float(out.split("Requests/sec:")[1].split()[0])
    count, stop = [0], time.monotonic() + seconds
    lock = threading.Lock()

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        done = 0
        while time.monotonic() < stop:
            connection.request("GET", path)
            connection.getresponse().read()
            done += 1
        with lock:
            count[0] += done

    threads = [threading.Thread(target=worker) for _ in range(8)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return count[0] / (time.monotonic() - start)


def _wait(port: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100k,1M")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--no-remote", action="store_true")
    parser.add_argument("--work", type=Path, help="keep generated tables and builds here")
    args = parser.parse_args()

    import pyoxigraph as ox

    from kg.config import DEFAULT_BASE
    from kg.load import load
    from tests.web_fixtures import free_port
    from tests.web_fixtures import oxigraph_binary
    from tests.web_fixtures import wait_for

    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes.split(","):
            release = built(size, args.work or Path(tmp))
            store = ox.Store()
            store.bulk_load(path=str(release / "kg.nq"), format=ox.RdfFormat.N_QUADS)
            print(f"{size}: {len(store)} quads", flush=True)
            latency(release, DEFAULT_BASE, args.runs, None, store)
            if not args.no_remote:
                port = free_port()
                server = subprocess.Popen(
                    [oxigraph_binary(), "serve", "--bind", f"127.0.0.1:{port}"],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                try:
                    wait_for(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D")
                    load(release, f"http://127.0.0.1:{port}/store")
                    latency(
                        release, DEFAULT_BASE, args.runs, f"http://127.0.0.1:{port}/query", store
                    )
                finally:
                    server.terminate()
                    server.wait(10)
            from web import create_app

            institution_path = pages(create_app({"RELEASE": str(release)}), DEFAULT_BASE)[
                "institution"
            ][0]
            rps, started, loaded = throughput(release, institution_path, args.seconds)
            client = "wrk" if shutil.which("wrk") else "python threads"
            print(
                f"  kg serve 2 processes, institution page: {rps:.0f} requests/s ({client}); "
                f"memory (PSS, all processes) {started:.0f} MB started, {loaded:.0f} MB after",
                flush=True,
            )


if __name__ == "__main__":
    main()
