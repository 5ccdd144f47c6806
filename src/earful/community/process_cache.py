"""A small cache in this process's memory: bounded, oldest-first, with an age limit.

For what the question page remembers per question and reader (views counted, related
questions): Django's default cache keeps 300 entries, and an entry per question or
reader there would push out the posting rate limits it holds. Each web process keeps its
own copy; what is kept here is a hint (views) or slow to change (related questions).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

_MISSING = object()


class ProcessCache:
    def __init__(self, max_items: int, max_age: float) -> None:
        self.max_items = max_items
        self.max_age = max_age
        self._items: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, default: Any = None, now: float | None = None) -> Any:
        now = time.monotonic() if now is None else now
        with self._lock:
            found = self._items.get(key, _MISSING)
            if found is _MISSING or now - found[0] >= self.max_age:
                return default
            return found[1]

    def add(self, key: Hashable, value: Any = True, now: float | None = None) -> bool:
        """Keep the value unless a fresh one is kept already; True when it was added."""
        now = time.monotonic() if now is None else now
        with self._lock:
            found = self._items.get(key)
            if found is not None and now - found[0] < self.max_age:
                return False
            self._put(key, value, now)
            return True

    def set(self, key: Hashable, value: Any, now: float | None = None) -> None:
        with self._lock:
            self._put(key, value, time.monotonic() if now is None else now)

    def _put(self, key: Hashable, value: Any, now: float) -> None:
        self._items[key] = (now, value)
        self._items.move_to_end(key)
        while len(self._items) > self.max_items:
            self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
