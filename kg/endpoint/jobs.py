"""The query worker's side: caps on memory, CPU and file access, and the job loop."""

from __future__ import annotations

import math
import os
import resource
from pathlib import Path


def _vm_size() -> int:
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[0]) * resource.getpagesize()


def serve_jobs(connection, store, endpoint: str | None, memory_mb: int, cpu_s: float) -> None:
    """The worker's loop: answer jobs from ``store`` (or ``endpoint``) until the server
    hangs up. Runs in a freshly forked worker, before anything reads a job."""
    from kg.endpoint.executor import run_local
    from kg.endpoint.executor import run_remote
    from kg.endpoint.results import TooManyResultsError

    limit = _vm_size() + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    _deny_file_access()
    connection.send(("ready", os.getpid()))
    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        _cap_cpu(cpu_s)
        try:
            if store is not None:
                reply = run_local(store, job)
            else:
                reply = run_remote(endpoint, job, timeout=600)
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
