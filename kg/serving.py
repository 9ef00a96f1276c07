"""Run the web browser under granian. Imported only by ``kg serve``: the library itself never
imports Flask; this module is the command's bridge to the ``web`` package.

granian (a Rust HTTP server) rather than gunicorn: its header-read timeout closes clients
that send headers slowly on its event loop, where gunicorn's threads would wait on them
(slowloris); ``web.asgi.BufferedWSGI`` reads bodies whole under the same deadline. With two
processes it served ``ASK {}`` at 2260 requests/s against gunicorn's 2100 (wrk, 4
connections, measured on this machine).
"""

from __future__ import annotations

import os
import socket
import tempfile
from pathlib import Path

from kg.config import setting


def address_in_use(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be listened on, or None. granian binds with SO_REUSEPORT,
    so a second server on a busy port would start silently and the kernel would share the
    traffic between the two (even two different releases): a plain bind, without
    SO_REUSEPORT, finds out first."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        return exc.strerror
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is no owner
        try:
            probe.bind(address)
        except OSError as exc:
            return exc.strerror or str(exc)
    return None


def run_server(host: str, port: int, workers: int, threads: int, environ: dict[str, str]) -> None:
    """Serve ``web.asgi.create_server_app`` until interrupted; ``environ`` carries the
    settings to the server processes, which build their own app and store."""
    os.environ.update(environ)
    os.environ["KG_SERVER_THREADS"] = str(threads)  # read again by web.asgi in each process
    read_timeout_ms = int(float(setting("KG_READ_TIMEOUT")) * 1000)
    with tempfile.TemporaryDirectory(prefix="kg-serve-") as shared:
        # one table of per-client limits for all the server processes (web.limits)
        os.environ["KG_LIMITS_FILE"] = os.path.join(shared, "limits")
        _server(host, port, workers, read_timeout_ms).serve()


def _server(host: str, port: int, workers: int, read_timeout_ms: int):
    from granian.constants import Interfaces
    from granian.http import HTTP1Settings
    from granian.server import Server

    return Server(
        "web.asgi:create_server_app",
        address=host,
        port=port,
        interface=Interfaces.ASGI,
        factory=True,
        workers=workers,
        http1_settings=HTTP1Settings(header_read_timeout=max(1, min(read_timeout_ms, 60_000))),
        log_access=True,
        workers_kill_timeout=5,  # a worker not stopped 5 s after SIGTERM is killed
    )


def export_site(release: Path, base: str, target: Path) -> dict[str, int]:
    """Render the browser of ``release`` into ``target`` as static files (kg.export_site),
    written beside it and swapped in whole: a web host never serves half an export."""
    import shutil

    from kg.export_site import export
    from web import create_app

    if target.exists() and not (target / "nginx.conf").is_file():
        raise FileExistsError(f"{target} exists and is not an earlier export: choose another")
    staged = target.with_name(f".{target.name}.partial")
    shutil.rmtree(staged, ignore_errors=True)
    app = create_app({"RELEASE": str(release), "BASE": base})
    try:
        counts = export(app, release, base, staged)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    finally:
        pool = app.extensions["kg"].get("pool")
        if pool is not None:
            pool.close()
    old = target.with_name(f".{target.name}.old")
    if target.exists():
        target.rename(old)
    staged.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return counts
