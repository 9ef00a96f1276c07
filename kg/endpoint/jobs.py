"""The query worker's side: caps on memory, CPU and file access, and the job loop."""

from __future__ import annotations

import math
import os
import re
import resource
from pathlib import Path

WORKER_NICE = 10
# A worker that holds more memory of its own than KG_SPARQL_WORKER_MB is let go after its
# job, and a fresh fork takes its place (milliseconds). Why: pyoxigraph's in-memory store
# writes to the pages it reads (reference counts), so every page a query visits becomes the
# worker's own copy; at 1M facts each worker of a busy server came to hold 230-300 MB of its
# own, and `kg serve` 3.0 GB after a load (issue 23). The true figure (Private_Dirty) costs
# 10 ms to read at 1M, so it is read only once the worker has taken CHECK_MB more page
# faults (getrusage, microseconds): copies and fresh allocations each cost one.
CHECK_MB = 32


def _vm_size() -> int:
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[0]) * resource.getpagesize()


def serve_jobs(
    connection, backend, held_graphs: frozenset[str], memory_mb: int, cpu_s: float
) -> None:
    """The worker's loop: check and answer jobs from ``backend`` (the embedded store; or
    plan them for a remote server when there is none) until the server hangs up. Runs in
    a freshly forked worker (no network: kg.endpoint.sandbox), before anything reads a job."""
    limit = _vm_size() + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    smaps = os.open("/proc/self/smaps_rollup", os.O_RDONLY)  # before files are refused
    _deny_file_access()
    connection.send(("ready", os.getpid()))
    # from here below the server processes and the zygote: however many runaway queries
    # run, the threads that admit and answer the others, and the forks that give them
    # workers, get the CPU first (once ready, so a fork is as quick as ever)
    os.nice(WORKER_NICE)
    from kg.config import setting

    own_mb = setting("KG_SPARQL_WORKER_MB")
    check_bytes = min(CHECK_MB, own_mb / 2) * 1024 * 1024
    faults = _faults()
    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        _cap_cpu(cpu_s)
        reply = _reply(job, backend, held_graphs)
        spent = False  # this worker should be let go: it holds too much of its own
        if (_faults() - faults) * resource.getpagesize() > check_bytes:
            spent = _private_mb(smaps) > own_mb
            faults = _faults()
        connection.send((*reply, spent))


def _reply(job, backend, held_graphs: frozenset[str]) -> tuple[str, object]:
    from kg.endpoint.errors import EndpointError
    from kg.endpoint.executor import answer

    try:
        return ("ok", answer(job, backend, held_graphs))
    except EndpointError as exc:
        return ("error", (exc.status, exc.code, exc.message, exc.headers))
    except MemoryError:
        return ("error", (503, "resource_limit", "The query needs too much memory."))
    except (SyntaxError, ValueError) as exc:
        return ("error", (400, "malformed_query", str(exc).splitlines()[0][:300]))
    except RecursionError:
        return ("error", (400, "too_complex", "The query is too deeply nested."))
    except Exception:  # never a traceback to the client, nor what the engine tried
        return ("error", (500, "internal_error", "The query failed."))


def _faults() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def _private_mb(smaps: int) -> float:
    """The memory only this process holds (written pages, its copies of shared ones)."""
    text = os.pread(smaps, 4096, 0).decode("ascii", "replace")
    found = re.search(r"^Private_Dirty:\s+(\d+) kB", text, re.M)
    return int(found.group(1)) / 1024 if found else 0.0


def _cap_cpu(seconds: float) -> None:
    """Let this job use at most ``seconds`` more CPU time; past it the kernel ends the
    worker (SIGXCPU). The server kills a worker at the wall-clock limit, but a worker whose
    server died (SIGKILL) would otherwise run a runaway query for ever."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = math.ceil(usage.ru_utime + usage.ru_stime + seconds)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, resource.RLIM_INFINITY))


def _deny_file_access() -> None:
    """From here on the worker opens no file but Python's own and the project's code, read
    only: a query never needs one (defence in depth behind the guard, which already refuses
    SERVICE, FROM <file:…> and updates; the network is closed by kg.endpoint.sandbox)."""
    import sys

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
