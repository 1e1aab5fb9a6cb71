"""Dates and times as citizens read them: Indonesian names, Jakarta time (WIB)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

JAKARTA = timezone(timedelta(hours=7))
DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def parse(iso: str | None) -> datetime | None:
    """An ISO-8601 time in Jakarta time; None when missing or unreadable."""
    if not iso:
        return None
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)  # noqa: UP017 - runs on Python 3.10
    return moment.astimezone(JAKARTA)


def day(moment: datetime) -> str:
    """A day, e.g. "Rabu, 25 Nov 2026"."""
    return f"{DAY_NAMES[moment.weekday()]}, {moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def day_and_time(moment: datetime) -> str:
    """A day and time, e.g. "Senin, 23 Nov 2026 pukul 08.00 WIB"."""
    return f"{day(moment)} pukul {moment:%H.%M} WIB"


def numeric(moment: datetime) -> str:
    """E.g. "21-11-2026 11.30 WIB" (the status answer's update time)."""
    return moment.strftime("%d-%m-%Y %H.%M WIB")
