"""Per-client limits on /sparql, shared by every process of one server.

A token bucket (sustained rate and burst) and a count of queries in flight for each client
address, kept in a table of fixed slots in shared memory: a file that ``kg serve`` creates
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

from kg.endpoint.errors import EndpointError

SLOT = struct.Struct("=dddq")  # tokens, refilled at, running since, running
SLOTS = 8192


class Clients:
    def __init__(
        self, rate: float, burst: float, concurrent: int, stale_s: float, path: str | None = None
    ):
        self.rate, self.burst, self.concurrent, self.stale_s = rate, burst, concurrent, stale_s
        self.lock = threading.Lock()  # flock does not exclude threads of one process
        size = SLOT.size * SLOTS
        if path:
            self.fd: int | None = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            if os.fstat(self.fd).st_size < size:
                os.ftruncate(self.fd, size)
            self.table = mmap.mmap(self.fd, size)
        else:
            self.fd, self.table = None, mmap.mmap(-1, size)

    def enter(self, client: str) -> None:
        """Count a query in, or raise 429 with the seconds to wait."""
        offset = self._slot(client)
        now = time.monotonic()
        with self._locked():
            tokens, refilled, since, running = SLOT.unpack_from(self.table, offset)
            tokens = self.burst if refilled == 0 else tokens
            tokens = min(self.burst, tokens + max(0.0, now - refilled) * self.rate)
            if running and now - since > self.stale_s:
                running = 0
            if tokens < 1 or running >= self.concurrent:
                SLOT.pack_into(self.table, offset, tokens, now, since, running)
                wait = int((1 - tokens) / self.rate) + 1 if tokens < 1 else 1
                raise EndpointError(
                    429,
                    "rate_limited",
                    "Too many queries from this client; slow down.",
                    {"Retry-After": str(wait)},
                )
            SLOT.pack_into(self.table, offset, tokens - 1, now, now, running + 1)

    def leave(self, client: str) -> None:
        offset = self._slot(client)
        with self._locked():
            tokens, refilled, since, running = SLOT.unpack_from(self.table, offset)
            SLOT.pack_into(self.table, offset, tokens, refilled, since, max(0, running - 1))

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
