"""An innocent client's `ASK {}` while runaway clients use all their limits, on a real
`kg serve`, directly and behind nginx.

Serves the real data with `kg serve` (granian, 2 processes, default pool and limits) and
measures the failures, median and p99 latency (and p99 once the attackers' first queries
have reached the time limit: "steady") of fresh (`Cache-Control: no-cache`) `ASK {}`
requests from other addresses while 1, 3 or 20 addresses each keep two runaway queries (a
Cartesian product that runs into the time limit) in flight. Clients are told apart by their
source address: every request leaves from its own loopback address (127.0.x.y), so nothing
leaves this machine. Compared in the same run: `kg serve` asked directly, and behind
Debian's nginx with the recipe of docs/security.md (`KG_TRUSTED_PROXIES=127.0.0.1`).

    python benchmarks/bench_fairness.py [--seconds 12] [--timeout 5]
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import http.client
import multiprocessing
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNAWAY = "SELECT (COUNT(*) AS ?c) { ?a ?b ?c1 . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def post(port: int, query: str, source: str, timeout: float) -> tuple[float, int]:
    body = urllib.parse.urlencode({"query": query})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cache-Control": "no-cache",
    }
    start = time.perf_counter()
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=timeout, source_address=(source, 0)
    )
    try:
        connection.request("POST", "/sparql", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        status = response.status
    except OSError:
        status = 0
    finally:
        connection.close()
    return (time.perf_counter() - start) * 1000, status


@contextlib.contextmanager
def kg_serve(out: Path, port: int, timeout: float, **settings: str):
    env = {**os.environ, "KG_SPARQL_TIMEOUT": str(timeout), "PYTHONPATH": str(ROOT), **settings}
    command = [sys.executable, "-m", "kg", "serve", "--port", str(port), "--out", str(out)]
    process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while post(port, "ASK {}", "127.0.0.1", 2)[1] != 200:
            if time.monotonic() > deadline:
                raise RuntimeError("kg serve did not start")
            time.sleep(0.3)
        yield
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def attack(port: int, attackers: int, timeout: float, stop, results) -> None:
    """In a process of its own (so the measuring client never waits for the attackers'
    threads): each attacking address keeps two runaway queries in flight, again and again,
    until ``stop``; the statuses it got go to ``results``."""
    statuses: collections.Counter[int] = collections.Counter()
    lock = threading.Lock()

    def attacker(address: str) -> None:
        while not stop.is_set():
            status = post(port, RUNAWAY, address, timeout + 5)[1]
            with lock:
                statuses[status] += 1

    threads = [
        threading.Thread(target=attacker, args=(f"127.0.2.{a + 1}",), daemon=True)
        for a in range(attackers)
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put(dict(sorted(statuses.items())))


def scenario(port: int, attackers: int, seconds: float, timeout: float) -> dict:
    context = multiprocessing.get_context("fork")
    stop, results = context.Event(), context.Queue()
    process = context.Process(target=attack, args=(port, attackers, timeout, stop, results))
    process.start()
    time.sleep(0.5)
    latencies, failures, count = [], collections.Counter[int](), 0
    steady: list[float] = []  # after the attackers' first queries reached the time limit
    start = time.monotonic()
    end = start + seconds
    while time.monotonic() < end:
        source = f"127.0.1.{count % 200 + 1}"  # 200 other clients, each well under its rate
        sent = time.monotonic()
        elapsed, status = post(port, "ASK {}", source, timeout + 5)
        count += 1
        if status == 200:
            latencies.append(elapsed)
            if sent - start > timeout:
                steady.append(elapsed)
        else:
            failures[status] += 1
        time.sleep(0.02)
    stop.set()
    runaway = results.get(timeout=timeout + 30)
    process.join(10)
    latencies.sort()
    return {
        "requests": count,
        "failures": sum(failures.values()),
        "failed": dict(failures),
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p99": _p99(latencies),
        "runaway": runaway,
        "steady p99": _p99(sorted(steady)),
    }


def _p99(latencies: list[float]) -> float:
    return latencies[max(0, int(len(latencies) * 0.99) - 1)] if latencies else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=12, help="per scenario")
    parser.add_argument("--timeout", type=float, default=5, help="KG_SPARQL_TIMEOUT")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from kg.build.pipeline import build
    from kg.config import Config
    from tests.nginx import nginx_in_front
    from tests.web_fixtures import free_port

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "build"
        build(Config(out=out))
        print(
            f"{'front':<14}{'runaway addresses':>18}{'ASK {}':>8}{'failed':>8}"
            f"{'p50 ms':>9}{'p99 ms':>9}{'steady':>9}  runaway answers (status: count)"
        )
        for front in ("direct", "nginx"):
            kg_port = free_port()
            trusted = {"KG_TRUSTED_PROXIES": "127.0.0.1"} if front == "nginx" else {}
            with contextlib.ExitStack() as stack:
                stack.enter_context(kg_serve(out, kg_port, args.timeout, **trusted))
                port = kg_port
                if front == "nginx":
                    port = stack.enter_context(nginx_in_front(kg_port, Path(folder)))
                for attackers in (1, 3, 20):
                    r = scenario(port, attackers, args.seconds, args.timeout)
                    print(
                        f"{front:<14}{attackers:>18}{r['requests']:>8}{r['failures']:>8}"
                        f"{r['p50']:>9.1f}{r['p99']:>9.1f}{r['steady p99']:>9.1f}  {r['runaway']}"
                        f"  failed: {r['failed']}",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
