"""Results that do not change while a release is served, kept per worker (bounded LRU).

A release is immutable, so aggregate pages (home, dashboard, matrix, figures, sources),
institution pages and an institution's partners are computed by SPARQL once per language and
filter, then reused.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any


class Memo:
    def __init__(self, size: int = 512):
        self.size = size
        self._items: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, compute: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value
