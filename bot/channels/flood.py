"""A sliding-window limit: at most `limit` accepted events per key in any window.

The pipeline keys it by chat (every channel); the web chat also keys it by client
address, since a web chat costs nothing to start (docs/channels.md).
"""

from collections import deque
from dataclasses import dataclass, field

PRUNE_EVERY = 1000  # checks between sweeps of idle keys


@dataclass
class _Window:
    accepted: deque[float] = field(default_factory=deque)
    warned: bool = False


class FloodLimiter:
    """At most `limit` events per key in any `window_seconds`; idle keys are forgotten."""

    def __init__(self, limit: int, window_seconds: float = 60.0) -> None:
        self._limit = limit
        self._window = window_seconds
        self._keys: dict[str, _Window] = {}
        self._checks = 0

    def check(self, key: str, now: float) -> tuple[bool, bool]:
        """(allowed, warn): warn is true for the first refused event of a burst."""
        self._checks += 1
        if self._checks % PRUNE_EVERY == 0:
            self.forget_idle(now)
        state = self._keys.setdefault(key, _Window())
        while state.accepted and state.accepted[0] <= now - self._window:
            state.accepted.popleft()
        if len(state.accepted) < self._limit:
            state.accepted.append(now)
            state.warned = False
            return True, False
        warn = not state.warned
        state.warned = True
        return False, warn

    def forget_idle(self, now: float) -> None:
        idle = [
            key
            for key, window in self._keys.items()
            if not window.accepted or window.accepted[-1] <= now - self._window
        ]
        for key in idle:
            del self._keys[key]

    def __len__(self) -> int:
        return len(self._keys)
