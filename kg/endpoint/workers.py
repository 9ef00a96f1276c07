"""Query workers: separate processes, so a runaway query can be killed.

Python threads cannot stop a REGEX that never ends; a process can be killed. Workers are
forked by a zygote process that holds the loaded store (kg.endpoint.zygote), so they share
it and start in milliseconds; each caps its memory (RLIMIT_AS) and CPU per job
(RLIMIT_CPU), refuses file access, has no network, and answers one job at a time
(kg.endpoint.jobs). A job's deadline covers everything from the moment the client was
admitted: waiting for a worker, checking (parsing) the query, evaluating it and writing the
results; past it the worker is killed, a new one forked, and the client gets 503.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import signal
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection

from kg.backends.base import Answer
from kg.backends.base import PlainRows
from kg.config import default
from kg.endpoint.errors import EndpointError
from kg.endpoint.executor import Job
from kg.endpoint.executor import PageQuery
from kg.endpoint.executor import Planned
from kg.endpoint.executor import Reply
from kg.endpoint.zygote import PID
from kg.endpoint.zygote import zygote_main


@dataclass(frozen=True)
class Source:
    release: str | None = None  # the release folder: its graphs, and its store when local
    endpoint: str | None = None  # a remote SPARQL endpoint: workers then only check
    # the Unix socket of a zygote ``kg serve`` shares among its server processes, holding
    # this release's store (kg.endpoint.zygote); None: this process spawns its own
    shared_zygote: str | None = None


@dataclass(frozen=True)
class ExecLimits:
    workers: int = default("KG_SPARQL_WORKERS")  # kept ready
    max_workers: int = default("KG_SPARQL_MAX_WORKERS")
    timeout_s: float = default("KG_SPARQL_TIMEOUT")
    memory_mb: int = default("KG_SPARQL_MEMORY_MB")
    queue_wait_s: float = 2.0  # at most, for a busy pool
    spare_s: float = 10.0  # spares stay this long after a query last waited (see SPARES)


class Worker:
    """The server's handle on one forked worker: its pid, its end of the socket, and the
    memory file its standard error writes to."""

    def __init__(self, pid: int, connection: Connection, stderr: int | None = None):
        self.pid = pid
        self.connection = connection
        self.stderr = stderr

    def last_words(self, limit: int = 32768) -> str:
        """What the worker wrote to its standard error since its last answered job: the
        start and the end, where it is long (a panic's message comes before its backtrace)."""
        if self.stderr is None:
            return ""
        try:
            size = os.fstat(self.stderr).st_size
            head = os.pread(self.stderr, min(size, limit), 0)
            tail = os.pread(self.stderr, limit, size - limit) if size > 2 * limit else b""
        except OSError:
            return ""
        return (head + b"\n" + tail).decode(errors="replace")

    def forget_words(self) -> None:
        """Empty the error file after an answered job: a long-lived worker's warnings must
        not grow it without end (the worker appends, so its next words start at 0)."""
        if self.stderr is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self.stderr, 0)

    def alive(self) -> bool:
        """An idle worker never speaks first: anything to read is its end of file."""
        try:
            return not self.connection.poll(0)
        except OSError:
            return False

    def kill(self) -> None:
        self.stop()
        self.connection.close()
        if self.stderr is not None:
            os.close(self.stderr)
            self.stderr = None

    def stop(self) -> None:
        """Kill the process, from any thread: the one waiting on its answer reads its end."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)


class Zygote:
    """The server's handle on the zygote (kg.endpoint.zygote): spawn it, ask it for workers."""

    process: multiprocessing.process.BaseProcess | None

    def __init__(
        self,
        source: Source,
        held_graphs: frozenset[str],
        memory_mb: int,
        cpu_s: float,
        listener: socket.socket | None = None,
    ):
        """Spawn a zygote; with ``listener`` it serves whoever connects there too."""
        context = multiprocessing.get_context("spawn")
        self.control, child = socket.socketpair()
        store = source.release if not source.endpoint else None
        self.process = context.Process(
            target=zygote_main,
            args=(child, store, held_graphs, memory_mb, cpu_s, listener),
            daemon=True,
        )
        self.process.start()
        child.close()
        self.lock = threading.Lock()
        self._wait_ready()

    @classmethod
    def connect(cls, path: str) -> Zygote:
        """The zygote listening at ``path`` (started by ``kg serve``); OSError or
        RuntimeError if it is not there."""
        zygote = cls.__new__(cls)
        zygote.process = None
        zygote.lock = threading.Lock()
        zygote.control = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            zygote.control.connect(path)
        except OSError:
            zygote.control.close()
            raise
        zygote._wait_ready()
        return zygote

    def _wait_ready(self) -> None:
        self.control.settimeout(300)  # loading the store
        try:
            first = self.control.recv(256)
        except OSError:
            first = b""
        if first != b"r":
            self.close()
            reason = first[1:].decode(errors="replace") if first[:1] == b"x" else "it stopped"
            raise RuntimeError(f"the query worker zygote did not start: {reason}")
        self.control.settimeout(30)

    def fork(self) -> Worker:
        """A new worker; RuntimeError if the zygote is gone."""
        try:
            with self.lock:
                self.control.sendall(b"f")
                message, fds, _flags, _address = socket.recv_fds(self.control, PID.size, 2)
        except OSError:
            message, fds = b"", []
        if len(message) != PID.size or len(fds) != 2:
            for fd in fds:
                os.close(fd)
            raise RuntimeError("the query worker zygote stopped")
        worker = Worker(PID.unpack(message)[0], Connection(fds[0]), stderr=fds[1])
        if not worker.connection.poll(30) or worker.connection.recv()[0] != "ready":
            worker.kill()
            raise RuntimeError("a query worker did not start")
        return worker

    def close(self) -> None:
        self.control.close()  # EOF: the zygote exits (a shared one: it forgets this process)
        if self.process is not None:
            self.process.join(5)
            if self.process.is_alive():
                self.process.kill()

    def __del__(self) -> None:
        """An app dropped without closing its pool (tests make many) lets its zygote go."""
        control = getattr(self, "control", None)
        if control is not None:
            control.close()


# Spares forked while queries overlap are kept ExecLimits.spare_s (10 s) after the last
# query that found no idle worker. Letting each go as soon as its job ended meant a fork for
# nearly every query while a server process had more requests in flight than kept workers:
# at 100k facts the hub institution's page went from 101 requests/s with 2 clients to 87
# with 4 and 70 with 8 (issue 23).
SPARES = 2  # kept beyond KG_SPARQL_WORKERS at most: each may hold memory of its own


# what Oxigraph 0.5's sort says as it panics (an upstream bug: docs/endpoint.md)
UNORDERABLE = "does not correctly implement a total order"


def died(last_words: str, memory_mb: int) -> EndpointError:
    """Why a worker stopped before it answered, from what it wrote as it died."""
    if UNORDERABLE in last_words:
        return EndpointError(
            500,
            "engine_failed",
            "The engine could not order these values: Oxigraph 0.5 stops when ORDER BY "
            "meets literals it cannot order, such as values of mixed types (an upstream bug; "
            "docs/endpoint.md). Order by STR(?x) instead.",
        )
    if "memory allocation" in last_words:
        return EndpointError(
            503,
            "resource_limit",
            f"The query needed more memory than a query may use ({memory_mb} MB). Ask for less.",
        )
    return EndpointError(
        503,
        "resource_limit",
        "The query worker stopped before it answered: the query needed more memory than a "
        "query may use, or the engine failed on it (docs/endpoint.md). Ask for less.",
    )


class Pool:
    """Workers kept ready (``workers``), more forked when queries overlap, up to
    ``max_workers``. A worker killed at the time limit, or found dead, is replaced; so is
    a zygote found dead (it reloads the store, the one slow step)."""

    def __init__(self, source: Source, limits: ExecLimits, held_graphs: frozenset[str]):
        self.source = source
        self.limits = limits
        self.held_graphs = held_graphs
        self.idle: queue.LifoQueue[Worker] = queue.LifoQueue()
        self.workers: dict[int, Worker] = {}  # every live worker, idle or busy, by pid
        self.count_lock = threading.Lock()
        self.zygote_lock = threading.Lock()
        self.closed = False
        self.running = 0  # jobs a worker holds now: a state tests and operators can wait on
        self.grew_at = -limits.spare_s  # when a query last found no idle worker (time.monotonic)
        self.zygote = self._zygote()
        for _ in range(limits.workers):
            self._put(self._new_worker())

    @property
    def pids(self) -> set[int]:
        return set(self.workers)

    def _zygote(self) -> Zygote:
        """The shared zygote where there is one, else one of this process's own (also
        when the shared one has gone: queries go on, at the cost of a second store)."""
        if self.source.shared_zygote:
            with contextlib.suppress(OSError, RuntimeError):
                return Zygote.connect(self.source.shared_zygote)
        cpu_s = self.limits.timeout_s + 2
        return Zygote(self.source, self.held_graphs, self.limits.memory_mb, cpu_s)

    def _new_worker(self) -> Worker:
        """Fork a worker, counted in ``workers``; a dead zygote is replaced first."""
        zygote = self.zygote
        try:
            worker = zygote.fork()
        except RuntimeError:
            with self.zygote_lock:
                if self.closed:
                    raise
                if self.zygote is zygote:  # nobody replaced it yet
                    zygote.close()
                    self.zygote = self._zygote()
            worker = self.zygote.fork()
        with self.count_lock:
            self.workers[worker.pid] = worker
        return worker

    def _put(self, worker: Worker) -> None:
        self.idle.put(worker)

    def _retire(self, worker: Worker) -> None:
        with self.count_lock:
            self.workers.pop(worker.pid, None)
        worker.kill()

    def _replace(self, worker: Worker) -> None:
        """Kill ``worker``; fork another in the background while fewer than ``workers``."""
        self._retire(worker)
        if len(self.workers) < self.limits.workers:
            threading.Thread(target=self._refill, daemon=True).start()

    def _refill(self) -> None:
        with contextlib.suppress(RuntimeError):
            self._put(self._new_worker())

    def _checkout(self, deadline: float) -> Worker:
        """A live idle worker, a new one while under ``max_workers``, or a wait for one."""
        while True:
            try:
                worker = self.idle.get_nowait()
            except queue.Empty:
                self.grew_at = time.monotonic()
                with self.count_lock:
                    grow = len(self.workers) < self.limits.max_workers
                if grow:
                    try:
                        return self._new_worker()
                    except RuntimeError:
                        raise _busy("The query workers could not be started; retry soon.") from None
                wait = min(self.limits.queue_wait_s, deadline - time.monotonic())
                try:
                    worker = self.idle.get(timeout=max(wait, 0.001))
                except queue.Empty:
                    raise _busy("All query workers are busy; retry soon.") from None
            if worker.alive():
                self._trim()
                return worker
            self._replace(worker)  # killed while idle: never given a job

    def run(
        self,
        job: Job | PageQuery,
        deadline: float,
        attach: Callable[[Callable[[], None]], None] | None = None,
    ) -> Reply | Planned | Answer | PlainRows | bool:
        """Check and run ``job`` in a worker; everything (waiting for a worker included)
        ends by ``deadline`` (time.monotonic), or the worker is killed and 503 raised.
        ``attach`` is given a function that stops the job (its worker is killed: the
        admission preempts a long query with it)."""
        worker = self._checkout(deadline)
        with self.count_lock:
            self.running += 1
        try:
            return self._run(worker, job, deadline, attach)
        finally:
            with self.count_lock:
                self.running -= 1

    def _run(
        self,
        worker: Worker,
        job: Job | PageQuery,
        deadline: float,
        attach: Callable[[Callable[[], None]], None] | None,
    ) -> Reply | Planned | Answer | PlainRows | bool:
        if attach is not None:
            attach(worker.stop)
        try:
            worker.connection.send(job)
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not worker.connection.poll(remaining):
                self._replace(worker)
                raise EndpointError(
                    503,
                    "timeout",
                    f"The query exceeded the time limit of {self.limits.timeout_s:g} s.",
                )
            status, payload, spent = worker.connection.recv()
        except (EOFError, OSError):
            words = worker.last_words()
            self._replace(worker)
            raise died(words, self.limits.memory_mb) from None
        worker.forget_words()
        if spent:  # it holds much memory of its own (KG_SPARQL_WORKER_MB)
            self._replace(worker)
        elif self.idle.qsize() < self.limits.workers or (
            self.idle.qsize() < self.limits.workers + SPARES and not self._calm()
        ):
            self._put(worker)
        else:
            self._retire(worker)  # a spare forked for a burst that has passed: let it go
        if status == "ok":
            return payload
        raise EndpointError(*payload)

    def _calm(self) -> bool:
        """No query has waited for a worker for ``spare_s`` seconds."""
        return time.monotonic() - self.grew_at >= self.limits.spare_s

    def _trim(self) -> None:
        """Let one idle spare go once the burst it was forked for has passed."""
        if self.idle.qsize() >= self.limits.workers and self._calm():
            with contextlib.suppress(queue.Empty):
                self._retire(self.idle.get_nowait())

    def close(self) -> None:
        """Stop every worker, idle or busy, and the zygote."""
        with self.zygote_lock:
            self.closed = True
            with self.count_lock:
                workers, self.workers = list(self.workers.values()), {}
            for worker in workers:
                worker.kill()
            self.zygote.close()


def _busy(message: str) -> EndpointError:
    return EndpointError(503, "resource_limit", message, {"Retry-After": "2"})
