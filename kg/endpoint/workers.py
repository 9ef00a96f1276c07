"""Query workers: separate processes, so a runaway query can be killed.

Python threads cannot stop a REGEX that never ends; a process can be killed. Each worker
loads its own store (or talks to the remote server), caps its memory with RLIMIT_AS, and
answers one job at a time. The pool waits for an answer up to the time limit (which covers
evaluation and writing the results); past it the worker is killed and a new one started in
the background, and the client gets 503. Workers are spawned, not forked, so they never
inherit locks held by the web server's threads.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import resource
import threading
from dataclasses import dataclass
from pathlib import Path

from kg.endpoint.errors import EndpointError
from kg.endpoint.executor import Job
from kg.endpoint.executor import Reply


@dataclass(frozen=True)
class Source:
    release: str | None = None  # the embedded store's release folder
    endpoint: str | None = None  # or a remote SPARQL endpoint


@dataclass(frozen=True)
class ExecLimits:
    workers: int = 2
    timeout_s: float = 10.0
    memory_mb: int = 512
    queue_wait_s: float = 2.0


def _vm_size() -> int:
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[0]) * resource.getpagesize()


def serve_jobs(connection, source: Source, memory_mb: int) -> None:
    """The worker's loop (runs in the child process)."""
    import pyoxigraph as ox

    from kg.endpoint.executor import run_local
    from kg.endpoint.executor import run_remote
    from kg.endpoint.results import TooManyResultsError

    store = None
    if source.release:
        store = ox.Store()
        store.bulk_load(path=str(Path(source.release) / "kg.nq"), format=ox.RdfFormat.N_QUADS)
    limit = _vm_size() + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    _deny_file_access()
    connection.send(("ready", None))
    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        try:
            if store is not None:
                reply = run_local(store, job)
            else:
                reply = run_remote(source.endpoint, job, timeout=600)
            connection.send(("ok", reply))
        except TooManyResultsError as exc:
            connection.send(
                (
                    "error",
                    (400, "too_many_results", f"More than {exc.args[0]} results: add a LIMIT."),
                )
            )
        except MemoryError:
            connection.send(("error", (503, "resource_limit", "The query needs too much memory.")))
        except (SyntaxError, ValueError) as exc:
            connection.send(("error", (400, "malformed_query", str(exc).splitlines()[0][:300])))
        except OSError:
            connection.send(("error", (502, "upstream_error", "The SPARQL server did not answer.")))
        except Exception:  # never a traceback to the client
            connection.send(("error", (500, "internal_error", "The query failed.")))


def _deny_file_access() -> None:
    """From here on the worker opens no file but Python's own and the project's code, read
    only: a query never needs one (defence in depth behind the guard, which already refuses
    SERVICE, FROM <file:…> and updates)."""
    import sys
    import urllib.request  # noqa: F401  (the remote backend's client, imported while allowed)

    allowed = tuple(
        os.path.realpath(p) + os.sep
        for p in {sys.prefix, sys.base_prefix, sys.exec_prefix, str(Path(__file__).parents[2])}
    )

    def hook(event: str, args: tuple) -> None:
        if event not in ("open", "os.listdir", "os.scandir") or not args:
            return
        target = args[0]
        if isinstance(target, int):  # pipes and sockets, by descriptor
            return
        mode = args[1] if event == "open" and len(args) > 1 else "r"
        flags = args[2] if event == "open" and len(args) > 2 and args[2] else 0
        reading = set(str(mode)) <= set("rb") if mode is not None else not flags & WRITE_FLAGS
        path = os.path.realpath(os.fsdecode(target)) if target is not None else ""
        if path.startswith(allowed) and reading:
            return
        raise PermissionError("query workers do not read or write files")

    sys.addaudithook(hook)


WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


class Worker:
    def __init__(self, source: Source, memory_mb: int):
        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe()
        self.process = context.Process(
            target=serve_jobs, args=(child, source, memory_mb), daemon=True
        )
        self.process.start()
        child.close()
        if not self.connection.poll(300) or self.connection.recv()[0] != "ready":
            self.kill()
            raise RuntimeError("a query worker did not start")

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.connection.close()


class Pool:
    def __init__(self, source: Source, limits: ExecLimits):
        self.source = source
        self.limits = limits
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.pids: set[int] = set()
        for _ in range(limits.workers):
            self._add(Worker(source, limits.memory_mb))

    def _add(self, worker: Worker) -> None:
        self.pids.add(worker.process.pid)
        self.idle.put(worker)

    def _replace(self, worker: Worker) -> None:
        self.pids.discard(worker.process.pid)
        worker.kill()

        def start() -> None:
            self._add(Worker(self.source, self.limits.memory_mb))

        threading.Thread(target=start, daemon=True).start()

    def run(self, job: Job) -> Reply:
        try:
            worker = self.idle.get(timeout=self.limits.queue_wait_s)
        except queue.Empty:
            raise EndpointError(
                503,
                "resource_limit",
                "All query workers are busy; retry soon.",
                {"Retry-After": "2"},
            ) from None
        try:
            worker.connection.send(job)
            if not worker.connection.poll(self.limits.timeout_s):
                self._replace(worker)
                raise EndpointError(
                    503,
                    "timeout",
                    f"The query exceeded the time limit of {self.limits.timeout_s:g} s.",
                )
            status, payload = worker.connection.recv()
        except (EOFError, BrokenPipeError, ConnectionResetError):
            self._replace(worker)
            raise EndpointError(
                503,
                "resource_limit",
                "The query worker ran out of memory or stopped; retry with a smaller query.",
            ) from None
        self.idle.put(worker)
        if status == "ok":
            return payload
        raise EndpointError(*payload)

    def close(self) -> None:
        while not self.idle.empty():
            self.idle.get().kill()
