"""Query workers: separate processes, so a runaway query can be killed.

Python threads cannot stop a REGEX that never ends; a process can be killed. Workers are
forked by a zygote process that holds the loaded store (kg.endpoint.zygote), so they share
it and start in milliseconds; each caps its memory (RLIMIT_AS) and CPU per job
(RLIMIT_CPU), refuses file access, and answers one job at a time (kg.endpoint.jobs). The
pool waits for an answer up to the time limit (which covers evaluation and writing the
results); past it the worker is killed, a new one forked, and the client gets 503.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import signal
import socket
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection

from kg.endpoint.errors import EndpointError
from kg.endpoint.executor import Job
from kg.endpoint.executor import Reply
from kg.endpoint.zygote import PID
from kg.endpoint.zygote import zygote_main


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


class Worker:
    """The server's handle on one forked worker: its pid and its end of the socket."""

    def __init__(self, pid: int, connection: Connection):
        self.pid = pid
        self.connection = connection

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self.connection.close()


class Zygote:
    """The server's handle on the zygote (kg.endpoint.zygote): spawn it, ask it for workers."""

    def __init__(self, source: Source, memory_mb: int, cpu_s: float):
        context = multiprocessing.get_context("spawn")
        self.control, child = socket.socketpair()
        self.process = context.Process(
            target=zygote_main,
            args=(child, source.release, source.endpoint, memory_mb, cpu_s),
            daemon=True,
        )
        self.process.start()
        child.close()
        self.lock = threading.Lock()
        self.control.settimeout(300)  # loading the store
        if self.control.recv(1) != b"r":
            self.close()
            raise RuntimeError("the query worker zygote did not start")
        self.control.settimeout(30)

    def fork(self) -> Worker:
        with self.lock:
            self.control.sendall(b"f")
            message, fds, _flags, _address = socket.recv_fds(self.control, PID.size, 1)
        if len(message) != PID.size or len(fds) != 1:
            raise RuntimeError("the query worker zygote stopped")
        worker = Worker(PID.unpack(message)[0], Connection(fds[0]))
        if not worker.connection.poll(30) or worker.connection.recv()[0] != "ready":
            worker.kill()
            raise RuntimeError("a query worker did not start")
        return worker

    def close(self) -> None:
        self.control.close()  # EOF: the zygote exits
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()


class Pool:
    def __init__(self, source: Source, limits: ExecLimits):
        self.source = source
        self.limits = limits
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.pids: set[int] = set()
        self.zygote = Zygote(source, limits.memory_mb, limits.timeout_s + 2)
        for _ in range(limits.workers):
            self._add(self.zygote.fork())

    def _add(self, worker: Worker) -> None:
        self.pids.add(worker.pid)
        self.idle.put(worker)

    def _replace(self, worker: Worker) -> None:
        self.pids.discard(worker.pid)
        worker.kill()

        def start() -> None:
            self._add(self.zygote.fork())

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
        """Stop every worker, idle or busy, and the zygote."""
        while not self.idle.empty():
            worker = self.idle.get()
            self.pids.discard(worker.pid)
            worker.kill()
        for pid in list(self.pids):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.zygote.close()
