"""Per-client limits on /sparql, shared by every process of one server.

For each client address: a token bucket of queries (sustained rate and burst), a bucket of
query *time* (seconds earned per second, as Wikidata's query service counts them: a client
that keeps long queries running spends it and waits) and a count of queries in flight,
kept in a table of fixed slots in shared memory: a file that ``kg serve`` creates
and names in ``KG_LIMITS_FILE`` (so every server process sees the same budget), or private
memory for a single process. With ``KG_LIMITS_REDIS`` set, Redis keeps them instead, for
every process on every machine (web.limits_redis). A slot is chosen by a hash of the
address; two addresses that share a slot share a budget, which errs on the strict side. A
count in flight older than the query time limit is stale (its process died mid-query) and
is dropped.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import math
import mmap
import os
import struct
import threading
import time
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass

from kg.config import default
from kg.endpoint.errors import EndpointError

# tokens, refilled at, running since, seconds, load, running
SLOT = struct.Struct("=dddddq")
SLOTS = 8192
HEAVY_S = 1.0  # a client whose recent load passes this many seconds is heavy
LOAD_S = 60.0  # the load forgets past query time with this time constant


@dataclass(frozen=True)
class Entered:
    """A query counted in: is its client heavy, and how many of its queries were in
    flight already (the fewer, the sooner it gets a place)."""

    heavy: bool
    in_flight: int
    load: float = 0.0  # seconds of query time lately, decaying over LOAD_S
    client: str = ""


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
        clock: Callable[[], float] = time.monotonic,
    ):
        self.rate, self.burst, self.concurrent, self.stale_s = rate, burst, concurrent, stale_s
        self.time = time_budget
        self.clock = clock  # a test stops it, so that no budget refills between two steps
        self.lock = threading.Lock()  # flock does not exclude threads of one process
        size = SLOT.size * SLOTS
        if path:
            self.fd: int | None = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            if os.fstat(self.fd).st_size < size:
                os.ftruncate(self.fd, size)
            self.table = mmap.mmap(self.fd, size)
        else:
            self.fd, self.table = None, mmap.mmap(-1, size)

    def enter(self, client: str) -> Entered:
        """Count a query in, or raise 429 with the seconds to wait; with whether the client
        is heavy (its query time lately, decaying over LOAD_S, passes HEAVY_S: the bucket
        of seconds refills too fast to tell an address that keeps a worker busy) and how
        many of its queries were in flight already."""
        offset = self._slot(client)
        now = self.clock()
        with self._locked():
            tokens, refilled, since, seconds, load, running = SLOT.unpack_from(self.table, offset)
            if refilled == 0:
                tokens, seconds = self.burst, self.time.burst
            elapsed = max(0.0, now - refilled)
            tokens = min(self.burst, tokens + elapsed * self.rate)
            seconds = min(self.time.burst, seconds + elapsed * self.time.rate)
            load *= math.exp(-elapsed / LOAD_S)
            if running and now - since > self.stale_s:
                running = 0
            if tokens < 1 or seconds <= 0 or running >= self.concurrent:
                SLOT.pack_into(self.table, offset, tokens, now, since, seconds, load, running)
                raise limited(self._wait(tokens, seconds), seconds <= 0)
            record = (tokens - 1, now, now, seconds, load, running + 1)
            SLOT.pack_into(self.table, offset, *record)
            return Entered(load > HEAVY_S, running, load, client)

    def in_flight(self, client: str) -> int:
        """The client's queries in flight now, in every server process."""
        with self._locked():
            return SLOT.unpack_from(self.table, self._slot(client))[-1]

    def _wait(self, tokens: float, seconds: float) -> int:
        return wait_seconds(tokens, seconds, self.rate, self.time.rate)

    def leave(self, client: str, spent_s: float = 0.0) -> None:
        """Count a query out, and its seconds from admission (waiting for a worker
        included, as the time limit counts them) against the client's time."""
        offset = self._slot(client)
        with self._locked():
            tokens, refilled, since, seconds, load, running = SLOT.unpack_from(self.table, offset)
            seconds -= spent_s
            load += spent_s
            running = max(0, running - 1)
            record = (tokens, refilled, since, seconds, load, running)
            SLOT.pack_into(self.table, offset, *record)

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


def wait_seconds(tokens: float, seconds: float, rate: float, time_rate: float) -> int:
    """How long a refused client waits: for a query token, and for query time it owes."""
    wait = int((1 - tokens) / rate) + 1 if tokens < 1 else 1
    if seconds <= 0:
        wait = max(wait, int(-seconds / time_rate) + 1)
    return wait


def limited(wait: int, out_of_time: bool) -> EndpointError:
    message = (
        "This client has used its query time; wait before the next query."
        if out_of_time
        else "Too many queries from this client; slow down."
    )
    return EndpointError(429, "rate_limited", message, {"Retry-After": str(wait)})
