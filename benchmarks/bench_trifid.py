"""Requests per second against Zazuko's Trifid, in one run, over the same Oxigraph server.

    python benchmarks/bench_trifid.py [--triples 100000] [--seconds 5] [--clients 4]

Generates and builds ``--triples`` facts (kg.build.generate), loads them into an in-memory
Oxigraph server on 127.0.0.1, and starts three servers: ``kg serve`` on the embedded store,
``kg serve`` over the Oxigraph server, and Trifid (npm ``trifid`` with its entity renderer,
installed into ``benchmarks/.trifid`` on first use) over the same server. Each page type is
asked by ``--clients`` kept-alive connections for ``--seconds``, as ``wrk -c4`` would; the
table gives requests per second and p99, and the ratio of each of ours to Trifid's.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.build.generate import generate  # noqa: E402
from kg.build.pipeline import build  # noqa: E402
from kg.config import Config  # noqa: E402
from tests.web_fixtures import free_port  # noqa: E402
from tests.web_fixtures import oxigraph_serving  # noqa: E402
from tests.web_fixtures import wait_for  # noqa: E402

TRIFID = Path(__file__).parent / ".trifid" / "bench-trifid"  # npm: a valid package name
CONFIG = """server:
  logLevel: warn
globals:
  datasetBaseUrl: env:DATASET_BASE_URL
  endpoints:
    default:
      url: /query
plugins:
  entity-renderer:
    module: "@zazuko/trifid-entity-renderer"
    config:
      followRedirects: true
  sparql-proxy:
    module: "@zazuko/trifid-plugin-sparql-proxy"
    paths: /query
    config:
      rewriteQuery: true
      rewriteResults: true
      endpointUrl: env:SPARQL_ENDPOINT_URL
"""
# page type -> path under /id/ (Trifid) and /doc/ (ours) in the generated data
PAGES = {
    "institution (most roles)": "org/org-0",
    "result": "plan/plan/result/r-1-1-4",
    "goal": "plan/plan/goal/1-1",
    "measure": "plan/plan/measure/1-1-1",
}


def install_trifid() -> Path:
    server = TRIFID / "node_modules" / "trifid" / "server.js"
    if not server.exists():
        TRIFID.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "init", "-y"], cwd=TRIFID, check=True, capture_output=True)
        subprocess.run(
            ["npm", "install", "trifid@5", "@zazuko/trifid-entity-renderer"],
            cwd=TRIFID,
            check=True,
            capture_output=True,
        )
    (TRIFID / "config.yaml").write_text(CONFIG, encoding="utf-8")
    return server


def load(port: int, path: str, seconds: float, clients: int) -> tuple[float, float]:
    """Requests per second and p99 (ms) of ``clients`` kept-alive connections."""
    times: list[float] = []
    failures: list[int] = []
    stop = time.monotonic() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            start = time.perf_counter()
            connection.request("GET", path, headers={"Accept": "text/html"})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                failures.append(response.status)
            times.append(time.perf_counter() - start)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{path}: {len(failures)} answers not 200 ({failures[0]})")
    p99 = statistics.quantiles(times, n=100)[98] * 1000 if len(times) > 1 else 0.0
    return len(times) / seconds, p99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    trifid = install_trifid()
    with tempfile.TemporaryDirectory() as tmp:
        data, out = Path(tmp) / "data", Path(tmp) / "out"
        generate(data, args.triples)
        release = build(Config(out=out, data=data)).release
        processes: list[subprocess.Popen] = []
        with oxigraph_serving(release) as oxigraph:
            servers: dict[str, tuple[int, str]] = {}
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            # "computed": no page kept (KG_PAGE_MEMO=0), each request runs its queries, as
            # Trifid's does; "cached": as served, a page computed once per process
            for name, remote, memo in (
                ("embedded, computed", False, "0"),
                ("embedded, cached", False, "512"),
                ("Oxigraph, computed", True, "0"),
                ("Oxigraph, cached", True, "512"),
            ):
                port = free_port()
                server_env = {**env, "KG_OUT": str(out), "KG_PAGE_MEMO": memo}
                if remote:
                    server_env["KG_SPARQL_ENDPOINT"] = f"{oxigraph}/query"
                command = [sys.executable, "-m", "kg", "serve", "--port", str(port)]
                processes.append(
                    subprocess.Popen(
                        command,
                        env=server_env,
                        cwd=tmp,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                )
                servers[name] = (port, "/doc/")
            port = free_port()
            command = ["node", str(trifid), "-c", str(TRIFID / "config.yaml"), "-p", str(port)]
            command += ["--sparql-endpoint-url", f"{oxigraph}/query"]
            command += ["--dataset-base-url", "https://w3id.org/lvpolicy/"]
            processes.append(subprocess.Popen(command, cwd=TRIFID, stdout=subprocess.DEVNULL))
            servers["Trifid"] = (port, "/id/")
            try:
                for port, prefix in servers.values():
                    wait_for(f"http://127.0.0.1:{port}{prefix}{PAGES['result']}", 120)
                print(f"{args.triples} facts, {args.clients} clients, {args.seconds:g} s each")
                print(f"{'page':26} " + " ".join(f"{n:>22}" for n in servers) + "  ours/Trifid")
                print("(ours: kg serve, 2 processes; req/s with p99)")
                for page, path in PAGES.items():
                    rates = {
                        name: load(port, prefix + path, args.seconds, args.clients)
                        for name, (port, prefix) in servers.items()
                    }
                    cells = " ".join(f"{r:7.1f}/s {p:6.1f}ms" + " " * 4 for r, p in rates.values())
                    trifid_rate = rates["Trifid"][0]
                    ratios = " ".join(
                        f"{rates[n][0] / trifid_rate:.1f}x" for n in servers if n != "Trifid"
                    )
                    print(f"{page:26} {cells}  {ratios}")
            finally:
                for process in processes:
                    process.terminate()
                    process.wait(30)


if __name__ == "__main__":
    main()
