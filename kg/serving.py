"""Run the web browser under granian. Imported only by ``kg serve``: the library itself never
imports Flask; this module is the command's bridge to the ``web`` package.

granian (a Rust HTTP server) rather than gunicorn: its header-read timeout closes clients
that send headers slowly on its event loop, where gunicorn's threads would wait on them
(slowloris); ``web.asgi.BufferedWSGI`` reads bodies whole under the same deadline. With two
processes it served ``ASK {}`` at 2260 requests/s against gunicorn's 2100 (wrk, 4
connections, measured on this machine).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

from kg.config import setting

BACKLOG = 4096
BACKPRESSURE = 16384


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


@contextlib.contextmanager
def holding_port(host: str, port: int) -> Iterator[None]:
    """Hold ``host:port`` for this ``kg serve`` while it runs, or raise PortHeldError.

    Why: granian binds with SO_REUSEPORT, and two servers started at the same instant both
    pass the probe of address_in_use before either binds, then share the port. An
    exclusive lock on a file named after the address decides between them; the probe
    still finds any other program on the port."""
    name = re.sub(r"[^A-Za-z0-9.]", "_", f"{host}-{port}")
    path = os.path.join(tempfile.gettempdir(), f"kg-serve-{name}.lock")
    with open(path, "a+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PortHeldError(f"another kg serve holds {host}:{port}") from None
        yield


class PortHeldError(Exception):
    """Another ``kg serve`` of this machine listens on the address."""


def run_server(host: str, port: int, workers: int, threads: int, environ: dict[str, str]) -> None:
    """Serve ``web.asgi.create_server_app`` until interrupted; ``environ`` carries the
    settings to the server processes, which build their own app and store."""
    os.environ.update(environ)
    os.environ["KG_SERVER_THREADS"] = str(threads)  # read again by web.asgi in each process
    read_timeout_ms = int(float(setting("KG_READ_TIMEOUT")) * 1000)
    with tempfile.TemporaryDirectory(prefix="kg-serve-") as shared:
        # one table of per-client limits for all the server processes (web.limits)
        os.environ["KG_LIMITS_FILE"] = os.path.join(shared, "limits")
        with shared_zygote(os.path.join(shared, "zygote")) as path:
            if path:
                os.environ["KG_ZYGOTE_SOCKET"] = path
            _server(host, port, workers, read_timeout_ms).serve()


@contextlib.contextmanager
def shared_zygote(path: str) -> Iterator[str | None]:
    """One query worker zygote, holding the one copy of the embedded store, for every
    server process: each used to spawn its own (at a million facts, 680 MB each; issue
    23). Yields the Unix socket the server processes connect to (in ``kg serve``'s private
    folder), or None on a remote store or where the zygote cannot start (each server
    process then starts its own and says why)."""
    from kg.endpoint.workers import Source
    from kg.endpoint.workers import Zygote
    from kg.release import Release

    release = setting("KG_RELEASE")
    if setting("KG_SPARQL_ENDPOINT") or release is None:
        yield None
        return
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind(path)
        listener.listen(64)
        held = Release(release).named_graphs()
        timeout = setting("KG_SPARQL_TIMEOUT")
        memory = setting("KG_SPARQL_MEMORY_MB")
        zygote = Zygote(Source(release=str(release)), held, memory, timeout + 2, listener)
    except RuntimeError:
        yield None
        return
    finally:
        listener.close()  # the zygote holds its own copy
    try:
        yield path
    finally:
        zygote.close()


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
        respawn_failed_workers=True,  # a server process that dies is replaced, not fatal
        respawn_interval=0.5,
        # connections a process takes at once: granian's default (backlog / workers, 512
        # here) let 2,000 slow clients hold every place while the header timeout ran;
        # a waiting connection costs the Rust event loop a few KiB
        backlog=BACKLOG,
        backpressure=BACKPRESSURE,
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
        from web.query_service import close_pools

        close_pools(app)
    old = target.with_name(f".{target.name}.old")
    if target.exists():
        target.rename(old)
    staged.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return counts
