"""The period a KPI page covers: whole days in Jakarta time, both ends included."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")
DEFAULT_DAYS = 30
MAX_DAYS = 366


def jakarta_today(now: datetime) -> date:
    return now.astimezone(JAKARTA).date()


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self) -> tuple[datetime, datetime]:
        """UTC instants [start 00:00 WIB, the day after end 00:00 WIB)."""
        first = datetime.combine(self.start, time(), JAKARTA)
        after = datetime.combine(self.end + timedelta(days=1), time(), JAKARTA)
        return first.astimezone(UTC), after.astimezone(UTC)

    def each_day(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range(self.days)]

    @classmethod
    def last_days(cls, days: int, now: datetime) -> "Period":
        today = jakarta_today(now)
        return cls(today - timedelta(days=days - 1), today)

    @classmethod
    def parse(cls, start: str, end: str, now: datetime) -> tuple["Period", list[str]]:
        """Read `dari`/`sampai` (YYYY-MM-DD) leniently; returns the period and what was ignored.

        Missing ends default to the last 30 days; reversed ends are swapped; a
        period longer than a year is cut to its last 366 days.
        """
        problems: list[str] = []

        def day(text: str, name: str) -> date | None:
            if not text.strip():
                return None
            try:
                return date.fromisoformat(text.strip()[:10])
            except ValueError:
                problems.append(name)
                return None

        last = day(end, "sampai") or jakarta_today(now)
        first = day(start, "dari") or last - timedelta(days=DEFAULT_DAYS - 1)
        if first > last:
            first, last = last, first
        if (last - first).days >= MAX_DAYS:
            first = last - timedelta(days=MAX_DAYS - 1)
            problems.append("rentang")
        return cls(first, last), problems
