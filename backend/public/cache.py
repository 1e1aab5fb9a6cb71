"""A tiny per-process cache with expiry, so public pages cannot load the database hard."""

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class TtlCache:
    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self._values: dict[Hashable, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value of `key`, or `compute()` when missing or expired.

        Computing happens outside the lock: two requests at expiry may both
        compute, which costs one query more and never blocks the others.
        """
        now = self.clock()
        with self._lock:
            hit = self._values.get(key)
        if hit is not None and hit[0] > now:
            value: T = hit[1]
            return value
        value = compute()
        with self._lock:
            self._values[key] = (now + self.seconds, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
