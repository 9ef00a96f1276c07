"""Waiting for states, not times: processes and their CPU seconds, read from /proc.

A test on a busy machine cannot trust a sleep or a wall-clock limit; it can wait until a
state holds (a worker is busy, a process was replaced), with a bound that only ends a wait
that would otherwise never end.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable


def await_state(condition: Callable[[], object], message: str, bound_s: float = 60) -> None:
    """Return once ``condition()`` is true; fail with ``message`` if it never becomes so."""
    deadline = time.monotonic() + bound_s
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.05)


def _stat(pid: int) -> list[str]:
    with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
        return stat.read().rsplit(")", 1)[1].split()


def children(pid: int) -> set[int]:
    """The processes whose parent is ``pid``."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                if int(_stat(int(entry))[1]) == pid:
                    found.add(int(entry))
    return found


def descendants(pid: int) -> set[int]:
    """Every process below ``pid``: children, theirs, and so on."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        below = children(todo.pop()) - found
        found |= below
        todo.extend(below)
    return found


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (0 for one that is gone)."""
    try:
        fields = _stat(pid)
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def gone(pid: int) -> bool:
    """The process has ended: no such process, or a zombie its parent has not yet reaped."""
    try:
        return _stat(pid)[0] in ("Z", "X")
    except OSError:
        return True


def parent(pid: int) -> int:
    """The parent of ``pid`` (0 once it is gone)."""
    try:
        return int(_stat(pid)[1])
    except OSError:
        return 0


def sandboxed(pid: int) -> bool:
    """The process runs under a seccomp filter (the query zygote and its workers do)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            return any(line.split() == ["Seccomp:", "2"] for line in status)
    except OSError:
        return False
