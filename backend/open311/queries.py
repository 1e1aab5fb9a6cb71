"""GET requests arguments and the query they make.

Each argument may be repeated and comma delimited; an empty one is the same
as one left out (the specification's "optional"). `page` and `page_size` are
the pagination extension most GeoReport servers implement.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.complaints import tickets
from backend.complaints.models import Complaint, Status
from backend.open311.exceptions import BadRequest
from backend.open311.service import CLOSED, OPEN, WIB

WINDOW = timedelta(days=90)
MAX_RESULTS = 1000
MAX_IDS = 200
STATUS_GROUPS = {"open": OPEN, "closed": CLOSED}


@dataclass(frozen=True)
class Query:
    ticket_ids: list[str] | None = None
    service_codes: list[str] | None = None
    start: datetime | None = None
    end: datetime | None = None
    statuses: frozenset[Status] | None = None
    page: int = 1
    page_size: int = MAX_RESULTS


def parse_query(params: Mapping[str, list[str]], now: datetime) -> Query:
    """Read GET requests arguments; each may be repeated and comma delimited.

    An empty argument is the same as one left out. Without service_request_id
    the dates default to the 90 days before now (or after start_date, or before
    end_date) and may not span more than 90 days.
    """
    ids = _listed(params, "service_request_id")
    if ids is not None:
        return Query(ticket_ids=_tickets(ids))
    problems: list[str] = []
    statuses: set[Status] | None = None
    status_names = _listed(params, "status")
    if status_names is not None:
        statuses = set()
        for name in status_names:
            if name.lower() not in STATUS_GROUPS:
                problems.append(f"status {name!r} is not one of: open, closed")
            else:
                statuses |= STATUS_GROUPS[name.lower()]
    start = _date_argument(params, "start_date", end=False, problems=problems)
    end = _date_argument(params, "end_date", end=True, problems=problems)
    page = _positive(params, "page", 1, None, problems)
    page_size = _positive(params, "page_size", MAX_RESULTS, MAX_RESULTS, problems)
    if problems:
        raise BadRequest(*problems)
    if start is None and end is None:
        end = now
    if start is None:
        assert end is not None  # noqa: S101 - set above
        start = end - WINDOW
    if end is None:
        end = start + WINDOW
    if end < start:
        raise BadRequest("end_date is before start_date")
    if end - start > WINDOW:
        raise BadRequest("start_date and end_date may not span more than 90 days")
    return Query(
        service_codes=_listed(params, "service_code"),
        start=start,
        end=end,
        statuses=frozenset(statuses) if statuses is not None else None,
        page=page,
        page_size=page_size,
    )


def _positive(
    params: Mapping[str, list[str]],
    name: str,
    default: int,
    maximum: int | None,
    problems: list[str],
) -> int:
    """`page` and `page_size`: the pagination extension most GeoReport servers implement."""
    values = [value.strip() for value in params.get(name, []) if value.strip()]
    if not values:
        return default
    top = maximum or 1_000_000
    if len(values) > 1 or not values[0].isdigit() or not 1 <= int(values[0]) <= top:
        limit = f" up to {maximum}" if maximum else ""
        problems.append(f"{name} must be a whole number from 1{limit}")
        return default
    return int(values[0])


def _listed(params: Mapping[str, list[str]], name: str) -> list[str] | None:
    items = [
        item.strip() for value in params.get(name, []) for item in value.split(",") if item.strip()
    ]
    return list(dict.fromkeys(items)) or None


def _tickets(ids: list[str]) -> list[str]:
    if len(ids) > MAX_IDS:
        raise BadRequest(f"at most {MAX_IDS} service_request_id values at once")
    found: list[str] = []
    bad: list[str] = []
    for text in ids:
        try:
            found.append(tickets.parse(text))
        except tickets.InvalidTicket:
            bad.append(f"service_request_id {text!r} is not a ticket number (JKT-XXXX-XXXX)")
    if bad:
        raise BadRequest(*bad)
    return list(dict.fromkeys(found))


def _date_argument(
    params: Mapping[str, list[str]], name: str, *, end: bool, problems: list[str]
) -> datetime | None:
    values = [value.strip() for value in params.get(name, []) if value.strip()]
    if not values:
        return None
    if len(values) > 1:
        problems.append(f"{name} may be given once")
        return None
    try:
        return parse_w3(values[0], end=end)
    except ValueError:
        problems.append(f"{name} must use the W3C format, eg 2010-01-01T00:00:00Z")
        return None


def parse_w3(text: str, *, end: bool = False) -> datetime:
    """A W3C date-time with its offset, or a date (a whole day in Jakarta time)."""
    if len(text) == 10:
        day = date.fromisoformat(text)
        if end:
            return datetime.combine(day + timedelta(days=1), time(), WIB) - timedelta.resolution
        return datetime.combine(day, time(), WIB)
    if "T" not in text:
        raise ValueError("not a W3C date-time")
    moment = datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("a time needs its offset")
    return moment.astimezone(UTC)


def find_requests(session: Session, query: Query) -> list[Complaint]:
    statement = select(Complaint)
    if query.ticket_ids is not None:
        rows = session.scalars(statement.where(Complaint.ticket_id.in_(query.ticket_ids)))
        by_ticket = {complaint.ticket_id: complaint for complaint in rows}
        return [by_ticket[t] for t in query.ticket_ids if t in by_ticket]
    if query.start is not None:
        statement = statement.where(Complaint.created_at >= query.start)
    if query.end is not None:
        statement = statement.where(Complaint.created_at <= query.end)
    if query.service_codes is not None:
        statement = statement.where(Complaint.category_code.in_(query.service_codes))
    if query.statuses is not None:
        statement = statement.where(Complaint.status.in_(sorted(query.statuses)))
    statement = statement.order_by(Complaint.created_at.desc(), Complaint.id.desc())
    size = min(query.page_size, MAX_RESULTS)
    return list(session.scalars(statement.limit(size).offset((query.page - 1) * size)))
