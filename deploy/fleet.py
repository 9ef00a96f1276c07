"""A deployment past one process: nginx in front, browsers (``kg serve``) over a read-only
Oxigraph store of their release, one Redis for the per-client limits; and the release
switch, blue/green.

Each release gets a side of its own: a store folder loaded by Oxigraph's bulk loader
(``oxigraph load``, about ten times faster than ``kg load`` through the Graph Store
Protocol), served read-only, and browsers that serve that release only (``KG_RELEASE``), so
that every answer comes from one release. A switch starts the new side, checks its store
against the release, points nginx at it (``nginx -s reload``: old connections finish, new
ones go to the new side), then stops the old side and deletes its store: no reader sees a
mix, and no graph of the old release stays behind.

``python deploy/fleet.py --help`` runs it by hand; ``tests/test_deploy.py`` runs it on
loopback addresses, with a switch under load; deploy/README.md says how to run it as
services.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_ready(url: str, process: subprocess.Popen, bound_s: float = 120) -> None:
    """Wait until ``url`` answers 200 (a state, not a time); fail if the process ends."""
    deadline = time.monotonic() + bound_s
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None:
            raise RuntimeError(f"the process for {url} stopped before it answered")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer")
        time.sleep(0.1)


@dataclass
class Side:
    """One release's store and browsers."""

    release: Path
    store: Path
    store_port: int
    browser_ports: list[int]
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.store_port}/query"

    def stop(self) -> None:
        """Browsers first (nginx no longer sends them anything), then the store."""
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in reversed(self.processes):
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)


def oxigraph() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        raise RuntimeError("the oxigraph server is needed (pip install oxigraph)")
    return found


def load_store(release: Path, stores: Path) -> Path:
    """The release's load file, bulk-loaded into a store folder of its own (made beside
    and renamed, so a folder there is always whole)."""
    target = stores / release.name
    if target.exists():
        return target
    partial = stores / f".{release.name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    stores.mkdir(parents=True, exist_ok=True)
    command = [oxigraph(), "load", "--location", str(partial), "--file", str(release / "kg.nq")]
    subprocess.run(command, check=True, capture_output=True)
    partial.rename(target)
    return target


def named_quads(release: Path) -> int:
    """The quads of the release's named graphs, as its load file holds them."""
    quads = ox.parse(path=str(release / "kg.nq"), format=ox.RdfFormat.N_QUADS)
    return sum(1 for q in quads if isinstance(q.graph_name, ox.NamedNode))


def check_store(side: Side) -> None:
    """The store holds the release: as many quads in named graphs as its load file."""
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    url = side.endpoint + "?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.loads(response.read())
    held = int(answer["results"]["bindings"][0]["n"]["value"])
    expected = named_quads(side.release)
    if held != expected:
        raise RuntimeError(f"the store of {side.release.name} holds {held} quads, not {expected}")


def start_side(
    release: Path, stores: Path, browsers: int, redis_url: str, out: Path, env: dict | None = None
) -> Side:
    """Load, serve and check the release's store, then start its browsers."""
    release = release.resolve()
    store = load_store(release, stores)
    side = Side(release, store, free_port(), [])
    try:
        server = subprocess.Popen(
            [oxigraph(), "serve-read-only", "--location", str(store)]
            + ["--bind", f"127.0.0.1:{side.store_port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        side.processes.append(server)
        wait_ready(side.endpoint + "?query=ASK%7B%7D", server)
        check_store(side)
        settings = {
            **os.environ,
            **(env or {}),
            "KG_RELEASE": str(release),  # this release, whatever OUT/dist points to later
            "KG_SPARQL_ENDPOINT": side.endpoint,
            "KG_LIMITS_REDIS": redis_url,
            "KG_TRUSTED_PROXIES": "127.0.0.1",  # nginx, on this machine
        }
        for _ in range(browsers):
            port = free_port()
            browser = subprocess.Popen(
                [sys.executable, "-m", "kg", "serve", "--out", str(out), "--port", str(port)]
                + ["--workers", "1"],
                env=settings,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            side.processes.append(browser)
            side.browser_ports.append(port)
            wait_ready(f"http://127.0.0.1:{port}/", browser)
    except BaseException:
        side.stop()
        raise
    return side


def nginx_conf(side: Side, listen: int, folder: Path) -> str:
    """deploy/nginx.conf with the side's browsers as the upstream."""
    template = (HERE / "nginx.conf").read_text(encoding="utf-8")
    servers = "\n".join(f"    server 127.0.0.1:{port};" for port in side.browser_ports)
    return (
        template.replace("    server 127.0.0.1:5000;\n", servers + "\n")
        .replace("listen 127.0.0.1:8080;", f"listen 127.0.0.1:{listen};")
        .replace("/var/cache/kg", str(folder / "cache"))
        .replace('set $kg_release "RELEASE";', f'set $kg_release "{side.release.name}";')
    )


def point_nginx(conf: Path, side: Side, listen: int, master_pid: int | None) -> None:
    """Write nginx's server block for ``side`` and have a running nginx reload it."""
    partial = conf.with_name(f".{conf.name}.partial")
    partial.write_text(nginx_conf(side, listen, conf.parent), encoding="utf-8")
    partial.replace(conf)
    if master_pid is not None:
        os.kill(master_pid, signal.SIGHUP)  # nginx -s reload: old workers finish their requests


def switch(
    old: Side,
    release: Path,
    stores: Path,
    redis_url: str,
    out: Path,
    conf: Path,
    listen: int,
    master_pid: int | None,
    env: dict | None = None,
) -> Side:
    """Blue/green: start and check the new side, point nginx at it, stop the old side and
    delete its store."""
    new = start_side(release, stores, len(old.browser_ports), redis_url, out, env)
    point_nginx(conf, new, listen, master_pid)
    wait_for_upstream(listen, new.release.name)
    old.stop()
    if old.store != new.store:
        shutil.rmtree(old.store, ignore_errors=True)
    return new


def wait_for_upstream(listen: int, release_id: str, bound_s: float = 60) -> None:
    """Wait until nginx answers from the new release (its reload has taken)."""
    deadline = time.monotonic() + bound_s
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(f"http://127.0.0.1:{listen}/", method="HEAD")
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.headers.get("KG-Release") == release_id:
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError("nginx did not take the new release")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("release", type=Path, help="the release folder to serve")
    parser.add_argument("--out", type=Path, required=True, help="the build's output folder")
    parser.add_argument("--stores", type=Path, required=True, help="where store folders go")
    parser.add_argument("--browsers", type=int, default=2)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    side = start_side(args.release, args.stores, args.browsers, args.redis, args.out)
    print(json.dumps({"store": side.endpoint, "browsers": side.browser_ports}))


if __name__ == "__main__":
    main()
