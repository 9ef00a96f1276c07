"""Results that do not change while a release is served, kept per worker (bounded LRU).

A release is immutable, so aggregate pages (home, dashboard, matrix, figures, sources),
institution pages and an institution's partners are computed by SPARQL once per language and
filter, then reused.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from kg.endpoint.errors import EndpointError


class Memo:
    """A bounded LRU of computed results; a computation that ran out of time is remembered
    too, for ``failed_s`` seconds, so that a page too heavy for the time limit is refused at
    once rather than keeping a query worker busy on every visit."""

    def __init__(self, size: int = 512, failed_s: float = 60.0, clock=time.monotonic):
        self.size = size
        self.failed_s = failed_s
        self.clock = clock
        self._items: OrderedDict[tuple, Any] = OrderedDict()
        self._failed: dict[tuple, tuple[float, BaseException]] = {}
        self._lock = threading.Lock()
        self.hits = self.misses = 0  # what a benchmark reports beside its figures

    def get(self, key: tuple, compute: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
            self.misses += 1
            failed = self._failed.get(key)
            if failed is not None and self.clock() < failed[0]:
                raise failed[1]
        try:
            value = compute()
        except Exception as exc:
            if not too_slow(exc):
                raise
            with self._lock:
                if len(self._failed) > self.size:
                    self._failed.clear()
                self._failed[key] = (self.clock() + self.failed_s, exc)
            raise
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


def too_slow(error: BaseException) -> bool:
    """A page's query ran out of time: the workers' time limit, or a SPARQL server's."""
    return isinstance(error, TimeoutError) or (
        isinstance(error, EndpointError) and error.code == "timeout"
    )
