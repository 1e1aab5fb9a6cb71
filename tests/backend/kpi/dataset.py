"""A small known dataset: eight complaints at fixed times, with the figures they must give.

Period: 1-7 March 2026 (Jakarta days); `NOW` is 10 March 00:00 UTC. Targets:
sampah 72 h (default), banjir 24 h; stage targets the defaults (menunggu 24 h…).
Times below are UTC (WIB is UTC+7).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from backend.complaints.models import Channel, Complaint, Status
from backend.feedback.models import Feedback
from backend.kpi.period import Period
from backend.sla import service as sla
from tests.backend.kpi.builders import MELAWAI, complaint

PERIOD = Period(date(2026, 3, 1), date(2026, 3, 7))
NOW = datetime(2026, 3, 10, tzinfo=UTC)
K, D, P, S, T = (Status.KOORDINASI, Status.DISPOSISI, Status.PROSES, Status.SELESAI, Status.DITOLAK)


def at(day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def _after(start: datetime, *steps: tuple[Status, float]) -> list[tuple[Status, datetime]]:
    return [(to, start + timedelta(hours=hours)) for to, hours in steps]


@dataclass
class Dataset:
    a: Complaint  # sampah, telegram, Gambir: first action 2 h, selesai at 10 h (in time)
    b: Complaint  # sampah, whatsapp, Gambir, 2 March WIB: first action 4 h, selesai at 80 h (late)
    c: Complaint  # banjir, telegram, Melawai: 1 h; selesai 20 h, reopened, selesai 40 h (late)
    d: Complaint  # banjir, web, Melawai: ditolak after 6 h
    e: Complaint  # sampah, telegram, no place: never touched, overdue by NOW
    f: Complaint  # banjir, whatsapp, Melawai: disposisi after 3 h, overdue by NOW
    # sampah, telegram, no place, 7 March 23:59 WIB: 55 h in menunggu by NOW, so overdue by
    # its 24 h triage target although its 72 h resolution target is still ahead
    h: Complaint
    outside: list[Complaint]  # filed before and after the period


def build(session: Session) -> Dataset:
    sla.set_target(session, "banjir", 24)
    a0, b0, c0 = at(1, 2), at(1, 20), at(2, 1)
    data = Dataset(
        a=complaint(session, a0, moves=_after(a0, (K, 2), (D, 3), (P, 5), (S, 10))),
        b=complaint(
            session, b0, channel=Channel.WHATSAPP, moves=_after(b0, (D, 4), (P, 6), (S, 80))
        ),
        c=complaint(
            session,
            c0,
            category="banjir",
            pin=MELAWAI,
            moves=_after(c0, (D, 1), (P, 2), (S, 20), (P, 30), (S, 40)),
        ),
        d=complaint(
            session,
            at(3),
            category="banjir",
            channel=Channel.WEB,
            pin=MELAWAI,
            moves=_after(at(3), (T, 6)),
        ),
        e=complaint(session, at(4), pin=None),
        f=complaint(
            session,
            at(6),
            category="banjir",
            channel=Channel.WHATSAPP,
            pin=MELAWAI,
            moves=_after(at(6), (D, 3)),
        ),
        h=complaint(session, at(7, 16, 59), pin=None),
        outside=[
            complaint(
                session, at(1) - timedelta(days=2), moves=_after(at(1), (D, 1), (P, 1), (S, 2))
            ),
            complaint(session, at(7, 17), pin=None),  # 8 March 00:00 WIB
        ],
    )
    _feedback(session, data.a, True, 4, at(2))
    _feedback(session, data.a, True, 5, at(3))  # the latest rating counts
    _feedback(session, data.b, True, 2, at(6))
    _feedback(session, data.c, False, None, at(3))  # "belum": no rating
    _feedback(session, data.outside[0], True, 1, at(2))
    session.flush()
    return data


def _feedback(
    session: Session, c: Complaint, resolved: bool, rating: int | None, when: datetime
) -> None:
    session.add(
        Feedback(
            complaint_id=c.id,
            reporter_id=c.reporter_id,
            resolved=resolved,
            rating=rating,
            created_at=when,
        )
    )
    session.flush()
