"""The period filter and the percentile method."""

from datetime import UTC, date, datetime

import pytest

from backend.kpi.period import Period
from backend.kpi.stats import Durations, percentile

NOW = datetime(2026, 3, 10, 20, 0, tzinfo=UTC)  # 11 March 03:00 WIB


def test_a_period_covers_whole_jakarta_days() -> None:
    first, after = Period(date(2026, 3, 1), date(2026, 3, 7)).bounds()
    assert first == datetime(2026, 2, 28, 17, tzinfo=UTC)
    assert after == datetime(2026, 3, 7, 17, tzinfo=UTC)


def test_the_default_is_the_last_30_days_ending_today_in_jakarta() -> None:
    period, problems = Period.parse("", "", NOW)
    assert period == Period(date(2026, 2, 10), date(2026, 3, 11))
    assert problems == []


def test_bad_and_reversed_dates_are_read_leniently() -> None:
    assert Period.parse("2026-03-07", "2026-03-01", NOW)[0] == Period(
        date(2026, 3, 1), date(2026, 3, 7)
    )
    period, problems = Period.parse("kemarin", "2026-03-05", NOW)
    assert period.end == date(2026, 3, 5)
    assert problems == ["dari"]


def test_a_period_is_at_most_a_year() -> None:
    period, problems = Period.parse("2020-01-01", "2026-03-01", NOW)
    assert period.days == 366
    assert problems == ["rentang"]


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([], 0.5, None),
        ([7.0], 0.9, 7.0),
        ([1, 2, 3, 4], 0.5, 2.5),
        (list(range(1, 11)), 0.9, 9.1),
        ([10, 80, 40], 0.9, 72.0),
    ],
)
def test_percentile_interpolates_between_ranks(
    values: list[float], q: float, expected: float | None
) -> None:
    assert percentile(values, q) == (pytest.approx(expected) if expected is not None else None)


def test_durations_of_hours() -> None:
    assert Durations.of([3.0, 1.0, 2.0]) == Durations(3, 2.0, pytest.approx(2.8))
