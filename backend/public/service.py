"""What the public page shows, computed at most once a minute per period."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.agencies import service as agencies
from backend.complaints.models import Complaint, Status
from backend.kpi import service as kpi
from backend.kpi import view
from backend.kpi.period import Period
from backend.photos import service as photos
from backend.public import boundaries
from backend.public.cache import TtlCache

CACHE_SECONDS = 60
DAY_CHOICES = (7, 30, 90, 365)
DEFAULT_DAYS = 30
RECENT = 10
CHANNEL_NAMES = {
    "telegram": "Telegram",
    "whatsapp": "WhatsApp",
    "web": "Posko",
    "api": "Aplikasi lain",
}

cache = TtlCache(CACHE_SECONDS)


@dataclass(frozen=True)
class Resolved:
    """A resolved complaint as the public sees it: no description, no reporter, no pin."""

    ticket_id: str
    category: str
    kelurahan: str | None
    kecamatan: str | None
    kota: str | None
    filed_at: datetime
    resolved_at: datetime
    photo_id: str | None  # only a photo an officer marked publishable


@dataclass(frozen=True)
class PublicPage:
    days: int
    period: Period
    figures: view.FiguresView
    top_kelurahan: list[tuple[str, str, int]]  # (kelurahan, kota, complaints)
    recent: list[Resolved]


def days_of(text: str) -> int:
    return int(text) if text in {str(d) for d in DAY_CHOICES} else DEFAULT_DAYS


def _recent(session: Session) -> list[Resolved]:
    resolved_at = kpi.resolved_at().label("resolved_at")
    rows = session.execute(
        select(Complaint, resolved_at)
        .where(Complaint.status == Status.SELESAI)
        .order_by(resolved_at.desc(), Complaint.id.desc())
        .limit(RECENT)
    ).all()
    published = photos.first_publishable(session, [c.id for c, _ in rows])
    return [
        Resolved(
            ticket_id=c.ticket_id,
            category=c.category.label,
            kelurahan=c.kelurahan,
            kecamatan=c.kecamatan,
            kota=c.kota,
            filed_at=c.created_at,
            resolved_at=done,
            photo_id=published.get(c.id),
        )
        for c, done in rows
    ]


def _top_kelurahan(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    names = {
        s["properties"]["kode"]: (s["properties"]["nama"], s["properties"]["kota"])
        for s in boundaries.kelurahan_shapes()
    }
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:10]
    return [(*names.get(code, (code, "")), n) for code, n in ranked]


def page(session: Session, days: int, now: datetime) -> PublicPage:
    def compute() -> PublicPage:
        period = Period.last_days(days, now)
        categories = {c.code: c.label for c in agencies.list_categories(session)}
        figures = kpi.figures(session, period, now)
        return PublicPage(
            days=days,
            period=period,
            figures=view.build(figures, CHANNEL_NAMES, categories),
            top_kelurahan=_top_kelurahan(kpi.by_kelurahan(session, period)),
            recent=_recent(session),
        )

    return cache.get(("page", days), compute)


def choropleth(session: Session, days: int, now: datetime) -> bytes:
    def compute() -> bytes:
        return boundaries.choropleth(kpi.by_kelurahan(session, Period.last_days(days, now)))

    return cache.get(("map", days), compute)
