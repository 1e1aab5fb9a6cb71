"""The work queue: filters, sort, pages and counts per status, scoped to what one may see."""

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from backend.auth.models import Operator, Role
from backend.complaints import tickets
from backend.complaints.models import Channel, Complaint, Status
from backend.db import utcnow
from backend.sla import service as sla

KOTA = {
    "31.71": "Jakarta Pusat",
    "31.72": "Jakarta Utara",
    "31.73": "Jakarta Barat",
    "31.74": "Jakarta Selatan",
    "31.75": "Jakarta Timur",
    "31.01": "Kepulauan Seribu",
}
SORTS = {
    "baru": ("Terbaru", Complaint.created_at.desc()),
    "lama": ("Terlama", Complaint.created_at.asc()),
    "update": ("Baru diperbarui", Complaint.updated_at.desc()),
}
DEFAULT_SORT = "baru"


def _kota(value: str) -> str:
    if value not in KOTA:
        raise ValueError(value)
    return value


@dataclass(frozen=True)
class Filters:
    status: Status | None = None
    category: str | None = None
    kota: str | None = None
    unit: int | None = None
    channel: Channel | None = None
    overdue: bool = False
    q: str = ""
    sort: str = DEFAULT_SORT
    page: int = 1
    problems: list[str] = field(default_factory=list, compare=False)

    @classmethod
    def parse(cls, params: dict[str, str]) -> "Filters":
        """Read the query string leniently: a bad value is ignored and reported."""
        problems: list[str] = []

        def pick(name: str, allowed: Any) -> Any:
            value = params.get(name, "").strip()
            if not value:
                return None
            try:
                return allowed(value)
            except (ValueError, KeyError):
                problems.append(name)
                return None

        page = pick("page", int) or 1
        sort = params.get("sort", DEFAULT_SORT)
        return cls(
            status=pick("status", Status),
            category=pick("category", str),
            kota=pick("kota", _kota),
            unit=pick("unit", int),
            channel=pick("channel", Channel),
            overdue=params.get("overdue", "") == "1",
            q=params.get("q", "").strip()[:100],
            sort=sort if sort in SORTS else DEFAULT_SORT,
            page=max(page, 1),
            problems=problems,
        )

    def query_string(self, **changes: Any) -> str:
        """This filter as a URL query, with some values changed (page=..., status=...)."""
        values = replace(self, **changes)
        pairs = {
            "status": values.status.value if values.status else None,
            "category": values.category,
            "kota": values.kota,
            "unit": values.unit,
            "channel": values.channel.value if values.channel else None,
            "overdue": 1 if values.overdue else None,
            "q": values.q or None,
            "sort": values.sort if values.sort != DEFAULT_SORT else None,
            "page": values.page if values.page != 1 else None,
        }
        return urlencode({k: v for k, v in pairs.items() if v is not None})


@dataclass(frozen=True)
class Page:
    rows: list[Complaint]
    total: int
    page: int
    pages: int
    counts: dict[Status, int]
    overdue_count: int
    due: dict[int, datetime | None]  # complaint id → its SLA due time (sla.Targets.due)
    late: set[int]  # ids of the rows past their due time and still open
    ticket: str | None  # the ticket searched for, normalised, when `q` was one
    bad_ticket: bool


def visible_to(operator: Operator, query: Select[Any]) -> Select[Any]:
    """An agency operator's queue holds only its own unit's complaints."""
    if operator.role is Role.AGENCY:
        return query.where(Complaint.unit_id == operator.unit_id)
    return query


def _filtered(
    query: Select[Any],
    filters: Filters,
    ticket: str | None,
    with_status: bool,
    overdue: ColumnElement[bool],
) -> Select[Any]:
    if filters.overdue:
        query = query.where(overdue)
    if with_status and filters.status is not None:
        query = query.where(Complaint.status == filters.status)
    if filters.category:
        query = query.where(Complaint.category_code == filters.category)
    if filters.kota:
        query = query.where(Complaint.kota_code == filters.kota)
    if filters.unit is not None:
        query = query.where(Complaint.unit_id == filters.unit)
    if filters.channel is not None:
        query = query.where(Complaint.channel == filters.channel)
    if ticket is not None:
        query = query.where(Complaint.ticket_id == ticket)
    return query


def parse_ticket(text: str) -> str | None:
    """A ticket number read leniently (CONTRACT.md §4), or None."""
    try:
        return tickets.parse(text)
    except tickets.InvalidTicket:
        return None


def page_of(session: Session, operator: Operator, filters: Filters, page_size: int) -> Page:
    ticket = parse_ticket(filters.q) if filters.q else None
    bad_ticket = bool(filters.q) and ticket is None
    if bad_ticket:  # nothing can match; still show the counts of the other filters
        ticket = "-"
    now = utcnow()
    targets = sla.load_targets(session)
    overdue = sla.overdue_clause(targets, now)
    base = visible_to(operator, select(Complaint))
    count = visible_to(operator, select(func.count(Complaint.id)))
    total = session.scalar(_filtered(count, filters, ticket, True, overdue)) or 0
    overdue_count = session.scalar(  # like the counts per status: whatever the status filter
        _filtered(count.where(overdue), filters, ticket, False, overdue)
    )
    pages = max(1, -(-total // page_size))
    page = min(filters.page, pages)
    rows = list(
        session.scalars(
            _filtered(base, filters, ticket, True, overdue)
            .order_by(SORTS[filters.sort][1], Complaint.id.desc())
            .limit(page_size)
            .offset((page - 1) * page_size)
        )
    )
    due = sla.due_times(session, rows, targets)
    late = {c.id for c in rows if sla.is_overdue(c.status, due[c.id], now)}
    per_status = session.execute(
        _filtered(
            visible_to(operator, select(Complaint.status, func.count(Complaint.id))),
            filters,
            ticket,
            False,
            overdue,
        ).group_by(Complaint.status)
    )
    counts = dict.fromkeys(Status, 0)
    for status_value, n in per_status:
        counts[Status(status_value)] = n
    return Page(
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        counts=counts,
        overdue_count=overdue_count or 0,
        due=due,
        late=late,
        ticket=None if bad_ticket else ticket,
        bad_ticket=bad_ticket,
    )
