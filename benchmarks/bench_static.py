"""The static export against ``kg serve``, in one run: export time and size, requests per
second of the same page from nginx and from ``kg serve``, and of a plain file of the same
bytes from the same nginx (the floor: what serving any file costs), and bytes on the wire
compressed against plain.

    python benchmarks/bench_static.py [--data data] [--seconds 5] [--clients 4]
"""

from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_trifid import load  # noqa: E402
from kg.build.pipeline import build  # noqa: E402
from kg.config import DEFAULT_BASE  # noqa: E402
from kg.config import Config  # noqa: E402
from kg.serving import export_site  # noqa: E402
from tests.web_fixtures import free_port  # noqa: E402
from tests.web_fixtures import wait_for  # noqa: E402

PAGE = "/doc/org/kulturas-ministrija"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--page", default=PAGE)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out, site = Path(tmp) / "out", Path(tmp) / "site"
        release = build(Config(out=out, data=args.data)).release
        start = time.perf_counter()
        counts = export_site(release, DEFAULT_BASE, site)
        seconds = time.perf_counter() - start
        size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        print(f"export: {sum(counts.values())} files, {size / 1e6:.1f} MB, {seconds:.1f} s")
        page = (site / args.page.strip("/")).with_suffix(".html")
        page = page if page.exists() else Path(str(site / args.page.strip("/")) + ".html")
        (site / "bench-plain.html").write_bytes(page.read_bytes())  # the same bytes, as a file
        nginx_port, serve_port = free_port(), free_port()
        conf = Path(tmp) / "nginx.conf"
        user = "user root;\n" if os.geteuid() == 0 else ""
        conf.write_text(
            f"{user}daemon off; pid {tmp}/nginx.pid; error_log {tmp}/error.log;\n"
            f"events {{}} http {{ access_log off; client_body_temp_path {tmp}/b;\n"
            f"proxy_temp_path {tmp}/p; fastcgi_temp_path {tmp}/f; uwsgi_temp_path {tmp}/u;\n"
            f"scgi_temp_path {tmp}/s; server {{ listen 127.0.0.1:{nginx_port}; root {site};\n"
            f"include {site}/nginx.conf; }} }}\n"
        )
        env = {**os.environ, "KG_OUT": str(out), "PYTHONPATH": str(ROOT)}
        servers = [
            subprocess.Popen(["nginx", "-c", str(conf)], stderr=subprocess.DEVNULL),
            subprocess.Popen(
                [sys.executable, "-m", "kg", "serve", "--port", str(serve_port)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            ),
        ]
        try:
            for port in (nginx_port, serve_port):
                wait_for(f"http://127.0.0.1:{port}{args.page}", 60)
            rates = {
                name: load(port, path, args.seconds, args.clients)
                for name, port, path in (
                    ("plain file", nginx_port, "/bench-plain.html"),
                    ("export", nginx_port, args.page),
                    ("kg serve", serve_port, args.page),
                )
            }
            for name, (rate, p99) in rates.items():
                print(f"{name:10} {rate:8.1f} req/s  p99 {p99:6.1f} ms")
            print(
                f"export / plain file: {rates['export'][0] / rates['plain file'][0]:.2f}x; "
                f"export / kg serve: {rates['export'][0] / rates['kg serve'][0]:.1f}x "
                f"({args.page})"
            )
        finally:
            for server in servers:
                server.terminate()
                server.wait(30)
        for path in (release / "kg.nt", page):
            plain = path.read_bytes()
            print(f"{path.name}: {len(plain)} bytes, gzip {len(gzip.compress(plain))}")


if __name__ == "__main__":
    main()
