"""HANDOFF_OFFICE_HOURS: parsing, open or closed, the next opening, the citizen's label."""

import re
from datetime import datetime

import pytest

from backend.conversations.office_hours import JAKARTA, parse

WEEKDAYS = parse("mon-fri 08:00-16:00")


def jakarta(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=JAKARTA)  # 23 Nov 2026 is a Monday


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (jakarta(23, 7, 59), False),
        (jakarta(23, 8, 0), True),
        (jakarta(23, 15, 59), True),
        (jakarta(23, 16, 0), False),
        (jakarta(28, 10, 0), False),  # Saturday
    ],
)
def test_open_within_the_days_and_hours_in_jakarta_time(moment: datetime, is_open: bool) -> None:
    assert WEEKDAYS.is_open(moment) is is_open


def test_the_next_opening_skips_the_weekend() -> None:
    assert WEEKDAYS.next_opening(jakarta(27, 16, 30)) == jakarta(30, 8, 0)
    assert WEEKDAYS.next_opening(jakarta(24, 6, 0)) == jakarta(24, 8, 0)


def test_labels_read_as_citizens_write_them() -> None:
    assert WEEKDAYS.label() == "Senin–Jumat 08.00–16.00"
    assert parse("mon,wed,fri 09:30-12:00").label() == "Senin, Rabu, Jumat 09.30–12.00"


def test_all_day_is_always_open() -> None:
    assert parse("mon-sun 00:00-24:00").is_open(jakarta(29, 23, 59))


@pytest.mark.parametrize(
    "spec", ["", "mon-fri 8-16", "fri-mon 08:00-16:00", "mon-fri 16:00-08:00", "xyz 08:00-16:00"]
)
def test_unreadable_office_hours_are_refused(spec: str) -> None:
    with pytest.raises(ValueError, match="office hours|day"):
        parse(spec)


def test_hours_without_days_mean_every_day() -> None:
    all_day = parse("00:00-24:00")
    for day in range(23, 30):  # a whole week, the weekend too
        assert all_day.is_open(jakarta(day, 0, 0))
        assert all_day.is_open(jakarta(day, 23, 59))
    assert all_day.label() == "setiap hari, 24 jam"
    assert parse("07:00-19:00").label() == "Senin–Minggu 07.00–19.00"


def test_the_documented_values_of_env_example_parse() -> None:
    from backend.config import PROJECT_ROOT

    line = next(
        line
        for line in (PROJECT_ROOT / ".env.example").read_text().splitlines()
        if line.startswith("HANDOFF_OFFICE_HOURS=")
    )
    value, _, comment = line.removeprefix("HANDOFF_OFFICE_HOURS=").partition("#")
    example = re.search(r"(\S+): all day", comment)
    assert example is not None, comment
    assert parse(value.strip()) == WEEKDAYS
    assert parse(example.group(1)).is_open(jakarta(29, 3, 0))  # a Sunday night
