"""Office hours of the officers who take chats: "mon-fri 08:00-16:00" in Asia/Jakarta."""

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_SPEC = re.compile(r"^\s*(?:([a-z,\-]+)\s+)?(\d{2}):(\d{2})\s*-\s*(\d{2}):(\d{2})\s*$")
ALL_DAYS = "mon-sun"  # when the days are left out


@dataclass(frozen=True)
class OfficeHours:
    days: frozenset[int]  # Monday is 0
    opens: time
    closes_minute: int  # minutes after midnight; 1440 means "until midnight"

    def is_open(self, now: datetime) -> bool:
        local = now.astimezone(JAKARTA)
        minute = local.hour * 60 + local.minute
        opens = self.opens.hour * 60 + self.opens.minute
        return local.weekday() in self.days and opens <= minute < self.closes_minute

    def closes_at(self, now: datetime) -> datetime | None:
        """When today's opening ends, if the office is open at `now`."""
        if not self.is_open(now):
            return None
        local = now.astimezone(JAKARTA)
        midnight = datetime.combine(local.date(), time(0), JAKARTA)
        return midnight + timedelta(minutes=self.closes_minute)

    def next_opening(self, now: datetime) -> datetime:
        """The next time the office opens after `now` (which may be a closed moment)."""
        local = now.astimezone(JAKARTA)
        for ahead in range(8):
            day = local.date() + timedelta(days=ahead)
            start = datetime.combine(day, self.opens, JAKARTA)
            if day.weekday() in self.days and start > local:
                return start
        raise AssertionError("office hours have at least one day")  # pragma: no cover

    def label(self) -> str:
        """As citizens read it: "Senin–Jumat 08.00–16.00", or "setiap hari, 24 jam"."""
        days = sorted(self.days)
        if len(days) == len(DAYS) and self.opens == time(0) and self.closes_minute == 24 * 60:
            return "setiap hari, 24 jam"
        if days == list(range(days[0], days[-1] + 1)) and len(days) > 1:
            day_text = f"{DAY_NAMES[days[0]]}–{DAY_NAMES[days[-1]]}"
        else:
            day_text = ", ".join(DAY_NAMES[d] for d in days)
        closes = f"{self.closes_minute // 60:02d}.{self.closes_minute % 60:02d}"
        return f"{day_text} {self.opens:%H.%M}–{closes}"


def _days(text: str) -> frozenset[int]:
    days: set[int] = set()
    for part in text.split(","):
        first, _, last = part.partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise ValueError(f"unknown day in {text!r}")
        start, end = DAYS.index(first), DAYS.index(last or first)
        if end < start:
            raise ValueError(f"day range runs backwards: {part!r}")
        days.update(range(start, end + 1))
    return frozenset(days)


@lru_cache
def parse(spec: str) -> OfficeHours:
    """Read "mon-fri 08:00-16:00" (also "mon,wed,fri ..."); without days, every
    day: "00:00-24:00" is all day, every day."""
    match = _SPEC.match(spec.lower())
    if match is None:
        raise ValueError(f"office hours must look like 'mon-fri 08:00-16:00', not {spec!r}")
    days, open_h, open_m, close_h, close_m = match.groups()
    opens = time(int(open_h), int(open_m))
    closes_minute = int(close_h) * 60 + int(close_m)
    if closes_minute > 24 * 60 or closes_minute <= opens.hour * 60 + opens.minute:
        raise ValueError(f"office hours must close after they open: {spec!r}")
    return OfficeHours(_days(days or ALL_DAYS), opens, closes_minute)
