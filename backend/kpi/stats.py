"""Small statistics over fetched durations (the databases disagree on percentile functions)."""

import math
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear interpolation between the closest ranks (NumPy's default, `inclusive`).

    The median of [1, 2, 3, 4] is 2.5; the 90th percentile of 1..10 is 9.1.
    """
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Durations:
    """How long something took, in hours, over `count` complaints."""

    count: int
    median_hours: float | None
    p90_hours: float | None

    @classmethod
    def of(cls, hours: Sequence[float]) -> "Durations":
        return cls(len(hours), percentile(hours, 0.5), percentile(hours, 0.9))


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None
