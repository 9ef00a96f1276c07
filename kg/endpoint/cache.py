"""Recent /sparql answers, kept per server process: an LRU bounded in bytes and in age.

Researchers and the workbench repeat the same queries (the examples above all), and an
answer over an immutable release never changes; the time limit is there for a remote
server whose data may be reloaded. The Wikidata Query Service keeps answers about five
minutes for the same reasons (shared/security/threats.md, T5). Only successful answers are
kept; a client that sends ``Cache-Control: no-cache`` gets a freshly computed one.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Generic
from typing import TypeVar

Value = TypeVar("Value")


class AnswerCache(Generic[Value]):
    def __init__(self, max_bytes: int, max_age_s: float):
        self.max_bytes = max_bytes
        self.max_age_s = max_age_s
        self.size = 0
        self._items: OrderedDict[tuple, tuple[float, int, Value]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Value | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            stored, size, value = item
            if time.monotonic() - stored > self.max_age_s:
                self._drop(key)
                return None
            self._items.move_to_end(key)
            return value

    def put(self, key: tuple, value: Value, size: int) -> None:
        """Keep ``value`` (``size`` bytes) unless it would take over an eighth of the cache."""
        if size > self.max_bytes // 8:
            return
        with self._lock:
            if key in self._items:
                self._drop(key)
            self._items[key] = (time.monotonic(), size, value)
            self.size += size
            while self.size > self.max_bytes:
                self._drop(next(iter(self._items)))

    def _drop(self, key: tuple) -> None:
        self.size -= self._items.pop(key)[1]
