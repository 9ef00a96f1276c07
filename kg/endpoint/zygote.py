"""The zygote: one process that loads the store once and forks a query worker on request.

Why: a worker killed at the time limit must be replaced at once. A freshly spawned process
needs seconds per million triples to load the store (6 s at 1M triples, measured), and
while it loads, its place in the pool stays empty: a client who keeps sending runaway
queries could keep every worker busy or loading. A fork of a process that holds the loaded
store starts in milliseconds and shares the store's pages copy-on-write. The zygote is
spawned (not forked from the threaded web server) and stays single-threaded, so its forks
inherit no lock held by another thread.

Protocol on the control socket: the server sends one byte per worker it wants; the zygote
answers with the worker's pid and, as an SCM_RIGHTS file descriptor, the server's end of a
socket pair whose other end the worker serves jobs on. EOF on the control socket ends the
zygote; the kernel reaps its workers (SIGCHLD ignored). The zygote's first act is to close
the network to itself and all its forks (kg.endpoint.sandbox); where the kernel refuses,
it answers ``x`` and a reason instead of ``r``, and no query runs.

Shared: ``kg serve`` runs several server processes, and a zygote each held a store each
(at a million facts 680 MB apiece). It now starts one zygote before them, listening on a
Unix socket in its private folder (``listener``); each server process connects and is
served the same protocol on its own connection, the first byte ``r``. The zygote then ends
with the EOF of ``control``, held by ``kg serve`` itself.
"""

from __future__ import annotations

import fcntl
import os
import selectors
import signal
import socket
import struct
from multiprocessing.connection import Connection
from pathlib import Path

PID = struct.Struct("=i")


def zygote_main(
    control: socket.socket,
    release: str | None,
    held_graphs: frozenset[str],
    memory_mb: int,
    cpu_s: float,
    listener: socket.socket | None = None,
) -> None:
    """``release``: the store to load (None for a remote backend: workers only check);
    ``listener``: serve every process that connects there too (a shared zygote)."""
    from kg.endpoint.sandbox import SandboxError
    from kg.endpoint.sandbox import deny_network

    try:
        deny_network()  # first: nothing below, nor any fork of it, may open a socket
    except SandboxError as exc:
        control.sendall(b"x" + str(exc).encode()[:200])
        return
    from kg.backends.local import LocalBackend

    backend = LocalBackend.from_release(Path(release)) if release else None
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # workers are reaped by the kernel
    control.sendall(b"r")

    def fork(asker: socket.socket) -> None:
        _fork_worker(asker, backend, held_graphs, memory_mb, cpu_s)

    if listener is None:
        while control.recv(1):
            fork(control)
    else:
        _serve_many(control, listener, fork)


def _serve_many(control: socket.socket, listener: socket.socket, fork) -> None:
    """Serve every server process that connects to ``listener``, one byte a worker, until
    ``control`` ends. Single-threaded: a selector, so its forks inherit no held lock."""
    with selectors.DefaultSelector() as selector:
        selector.register(control, selectors.EVENT_READ)
        selector.register(listener, selectors.EVENT_READ)
        while True:
            for key, _ in selector.select():
                asker = key.fileobj
                assert isinstance(asker, socket.socket)
                if asker is listener:
                    connection, _address = listener.accept()
                    connection.sendall(b"r")
                    selector.register(connection, selectors.EVENT_READ)
                elif asker.recv(1):
                    if asker is not control:
                        fork(asker)
                elif asker is control:
                    return  # kg serve has ended
                else:  # a server process has ended
                    selector.unregister(asker)
                    asker.close()


def _fork_worker(
    asker: socket.socket,
    backend,
    held_graphs: frozenset[str],
    memory_mb: int,
    cpu_s: float,
) -> None:
    """Fork one worker and send ``asker`` its pid, its job socket and its error file."""
    from kg.endpoint.jobs import serve_jobs

    ours, theirs = socket.socketpair()
    # the worker's standard error, kept in memory for the server: what an engine that
    # aborts the process says as it dies (a Rust panic) tells the client why
    stderr = os.memfd_create("kg-worker-stderr")
    # appending: once the server empties it after a job, the next words start at 0
    fcntl.fcntl(stderr, fcntl.F_SETFL, fcntl.fcntl(stderr, fcntl.F_GETFL) | os.O_APPEND)
    pid = os.fork()
    if pid == 0:  # the worker
        try:
            theirs.close()
            os.dup2(stderr, 2)
            job_fd = ours.detach()
            _close_inherited(keep=job_fd)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            serve_jobs(Connection(job_fd), backend, held_graphs, memory_mb, cpu_s)
        finally:
            os._exit(0)
    ours.close()
    try:
        socket.send_fds(asker, [PID.pack(pid)], [theirs.fileno(), stderr])
    except OSError:  # the asker left: its worker finds its socket closed and ends
        pass
    finally:
        theirs.close()
        os.close(stderr)


def _close_inherited(keep: int) -> None:
    """A worker holds no descriptor but its job socket and the standard streams (its error
    stream already the server's memory file): not the
    zygote's control socket, nor the pipe by which the server sees the zygote exit (a
    worker holding it would make the server wait for the worker too)."""
    os.closerange(3, keep)
    os.closerange(keep + 1, os.sysconf("SC_OPEN_MAX"))
