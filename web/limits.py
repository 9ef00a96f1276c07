"""Per-client limits on /sparql, shared by every process of one server, and admission to
one process's query workers.

For each client address: a token bucket of queries (sustained rate and burst), a bucket of
query *time* (seconds earned per second, as Wikidata's query service counts them: a client
that keeps long queries running spends it and waits) and a count of queries in flight,
kept in a table of fixed slots in shared memory: a file that ``kg serve`` creates
and names in ``KG_LIMITS_FILE`` (so every server process sees the same budget), or private
memory for a single process. A slot is chosen by a hash of the address; two addresses that
share a slot share a budget, which errs on the strict side. A count in flight older than
the query time limit is stale (its process died mid-query) and is dropped.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import mmap
import os
import struct
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

from kg.config import default
from kg.endpoint.errors import EndpointError

SLOT = struct.Struct("=ddddq")  # tokens, refilled at, running since, seconds, running
SLOTS = 8192
HEAVY_S = 1.0  # a client that spent more query time than this lately is heavy


@dataclass(frozen=True)
class TimeBudget:
    rate: float = default("KG_SPARQL_TIME_RATE")  # seconds earned per second
    burst: float = default("KG_SPARQL_TIME_BURST")


class Clients:
    def __init__(
        self,
        rate: float,
        burst: float,
        concurrent: int,
        stale_s: float,
        path: str | None = None,
        time_budget: TimeBudget = TimeBudget(),
    ):
        self.rate, self.burst, self.concurrent, self.stale_s = rate, burst, concurrent, stale_s
        self.time = time_budget
        self.lock = threading.Lock()  # flock does not exclude threads of one process
        size = SLOT.size * SLOTS
        if path:
            self.fd: int | None = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            if os.fstat(self.fd).st_size < size:
                os.ftruncate(self.fd, size)
            self.table = mmap.mmap(self.fd, size)
        else:
            self.fd, self.table = None, mmap.mmap(-1, size)

    def enter(self, client: str) -> bool:
        """Count a query in, or raise 429 with the seconds to wait. True when the client
        is heavy: it spent more than HEAVY_S of query time lately."""
        offset = self._slot(client)
        now = time.monotonic()
        with self._locked():
            tokens, refilled, since, seconds, running = SLOT.unpack_from(self.table, offset)
            if refilled == 0:
                tokens, seconds = self.burst, self.time.burst
            elapsed = max(0.0, now - refilled)
            tokens = min(self.burst, tokens + elapsed * self.rate)
            seconds = min(self.time.burst, seconds + elapsed * self.time.rate)
            if running and now - since > self.stale_s:
                running = 0
            if tokens < 1 or seconds <= 0 or running >= self.concurrent:
                SLOT.pack_into(self.table, offset, tokens, now, since, seconds, running)
                raise _limited(self._wait(tokens, seconds), seconds <= 0)
            SLOT.pack_into(self.table, offset, tokens - 1, now, now, seconds, running + 1)
            return seconds < self.time.burst - HEAVY_S

    def _wait(self, tokens: float, seconds: float) -> int:
        wait = int((1 - tokens) / self.rate) + 1 if tokens < 1 else 1
        if seconds <= 0:
            wait = max(wait, int(-seconds / self.time.rate) + 1)
        return wait

    def leave(self, client: str, spent_s: float = 0.0) -> None:
        """Count a query out, and the seconds it ran against the client's time."""
        offset = self._slot(client)
        with self._locked():
            tokens, refilled, since, seconds, running = SLOT.unpack_from(self.table, offset)
            seconds -= spent_s
            running = max(0, running - 1)
            SLOT.pack_into(self.table, offset, tokens, refilled, since, seconds, running)

    def _slot(self, client: str) -> int:
        digest = hashlib.blake2b(client.encode(), digest_size=8).digest()
        return int.from_bytes(digest, "little") % SLOTS * SLOT.size

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """The thread lock, then (for a shared table) an exclusive flock on its file."""
        with self.lock:
            if self.fd is None:
                yield
                return
            fcntl.flock(self.fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self.fd, fcntl.LOCK_UN)


def _limited(wait: int, out_of_time: bool) -> EndpointError:
    message = (
        "This client has used its query time; wait before the next query."
        if out_of_time
        else "Too many queries from this client; slow down."
    )
    return EndpointError(429, "rate_limited", message, {"Retry-After": str(wait)})


class Admission:
    """The queries one server process runs at once (``places``: its query workers), and
    who may take the last ``reserve`` of them: only light clients, so that many heavy
    addresses together never hold every worker and a light client (a page, a quick
    query) is served while they attack. A heavy query finds no place within
    ``wait_s``: 503, try later; a light one waits for its place until its deadline."""

    def __init__(self, places: int, reserve: int, wait_s: float = 2.0):
        self.places, self.reserve, self.wait_s = places, min(reserve, places - 1), wait_s
        self.running = self.heavy = 0
        self.changed = threading.Condition()

    @contextlib.contextmanager
    def place(self, heavy: bool, deadline: float) -> Iterator[None]:
        self._enter(heavy, deadline)
        try:
            yield
        finally:
            with self.changed:
                self.running -= 1
                self.heavy -= heavy
                self.changed.notify_all()

    def _enter(self, heavy: bool, deadline: float) -> None:
        until = min(deadline, time.monotonic() + self.wait_s) if heavy else deadline
        with self.changed:
            while not self._room(heavy):
                left = until - time.monotonic()
                if left <= 0:
                    raise EndpointError(
                        503,
                        "busy",
                        "The endpoint is busy with long queries; retry soon.",
                        {"Retry-After": "5"},
                    )
                self.changed.wait(left)
            self.running += 1
            self.heavy += heavy

    def _room(self, heavy: bool) -> bool:
        if self.running >= self.places:
            return False
        return not heavy or self.heavy < self.places - self.reserve
