"""Every KPI matches the known dataset it was computed from (SQLite and PostgreSQL)."""

from datetime import date

import pytest
from sqlalchemy.orm import Session

from backend.complaints.models import Status
from backend.kpi import service as kpi
from backend.kpi.service import Compliance
from backend.sla import service as sla
from tests.backend.kpi.dataset import NOW, PERIOD, Dataset, build


@pytest.fixture
def data(session: Session) -> Dataset:
    return build(session)


def test_complaints_per_day_by_channel_in_jakarta_days(session: Session, data: Dataset) -> None:
    figures = kpi.figures(session, PERIOD, NOW)
    assert figures.total == 7
    assert figures.per_day_channel == {
        date(2026, 3, 1): {"telegram": 1},
        date(2026, 3, 2): {"whatsapp": 1, "telegram": 1},  # b: 1 March 20:00 UTC is 2 March WIB
        date(2026, 3, 3): {"web": 1},
        date(2026, 3, 4): {"telegram": 1},
        date(2026, 3, 5): {},
        date(2026, 3, 6): {"whatsapp": 1},
        date(2026, 3, 7): {"telegram": 1},  # h: 23:59 WIB, the last minute of the period
    }
    assert figures.by_channel == {"telegram": 4, "whatsapp": 2, "web": 1}


def test_complaints_per_day_by_category(session: Session, data: Dataset) -> None:
    figures = kpi.figures(session, PERIOD, NOW)
    assert figures.per_day_category[date(2026, 3, 2)] == {"sampah": 1, "banjir": 1}
    assert figures.by_category == {"sampah": 4, "banjir": 3}


def test_time_to_first_action_median_and_p90(session: Session, data: Dataset) -> None:
    first = kpi.figures(session, PERIOD, NOW).first_action
    # 1, 2, 3, 4, 6 hours: median 3; p90 at rank 3.6 between 4 and 6
    assert (first.count, first.median_hours) == (5, 3)
    assert first.p90_hours == pytest.approx(5.2)


def test_time_to_resolution_uses_the_last_selesai(session: Session, data: Dataset) -> None:
    resolution = kpi.figures(session, PERIOD, NOW).resolution
    # a 10 h, c 40 h (reopened, then selesai again), b 80 h
    assert (resolution.count, resolution.median_hours) == (3, 40)
    assert resolution.p90_hours == pytest.approx(72)


def test_sla_compliance_per_unit(session: Session, data: Dataset) -> None:
    by_unit = {c.key: c for c in kpi.figures(session, PERIOD, NOW).by_unit}
    jakpus, jaksel, central = data.a.unit, data.c.unit, data.e.unit
    assert len({jakpus.code, jaksel.code, central.code}) == 3
    assert by_unit == {
        jakpus.code: Compliance(jakpus.code, jakpus.name, resolved=2, within_target=1),
        jaksel.code: Compliance(jaksel.code, jaksel.name, resolved=1, open_overdue=1),
        central.code: Compliance(central.code, central.name, open_overdue=2),  # e, h
    }
    assert by_unit[jakpus.code].rate == 0.5
    assert by_unit[jaksel.code].rate == 0
    assert by_unit[central.code].rate is None


def test_sla_compliance_per_kota(session: Session, data: Dataset) -> None:
    by_kota = {
        c.label: (c.resolved, c.within_target, c.open_overdue)
        for c in kpi.figures(session, PERIOD, NOW).by_kota
    }
    assert by_kota == {
        "Jakarta Pusat": (2, 1, 0),
        "Jakarta Selatan": (1, 0, 1),
        kpi.NO_PLACE: (0, 0, 2),  # e past its resolution target, h past its triage target
    }


def test_stage_targets_leave_resolved_within_target_alone(session: Session, data: Dataset) -> None:
    """Compliance of resolved complaints is measured against the resolution target only."""
    sla.set_stage_target(session, "sampah", Status.PROSES, 1)  # a spent 5 h in proses
    by_kota = {c.label: c for c in kpi.figures(session, PERIOD, NOW).by_kota}
    assert (by_kota["Jakarta Pusat"].resolved, by_kota["Jakarta Pusat"].within_target) == (2, 1)


def test_a_longer_triage_target_makes_a_fresh_complaint_not_overdue(
    session: Session, data: Dataset
) -> None:
    sla.set_stage_target(session, "sampah", Status.MENUNGGU, 72)
    by_kota = {c.label: c.open_overdue for c in kpi.figures(session, PERIOD, NOW).by_kota}
    assert by_kota[kpi.NO_PLACE] == 1  # e only: h is within both of its targets again


def test_satisfaction_counts_the_latest_rating_of_each_complaint(
    session: Session, data: Dataset
) -> None:
    satisfaction = kpi.figures(session, PERIOD, NOW).satisfaction
    assert satisfaction.distribution == {1: 0, 2: 1, 3: 0, 4: 0, 5: 1}
    assert satisfaction.count == 2
    assert satisfaction.mean == 3.5


def test_reopen_rate(session: Session, data: Dataset) -> None:
    reopening = kpi.figures(session, PERIOD, NOW).reopening
    assert (reopening.reopened, reopening.reached_selesai) == (1, 3)
    assert reopening.rate == pytest.approx(1 / 3)


def test_one_units_figures_only(session: Session, data: Dataset) -> None:
    figures = kpi.figures(session, PERIOD, NOW, unit_id=data.c.unit_id)
    assert figures.total == 3
    assert figures.by_category == {"banjir": 3}
    assert [c.key for c in figures.by_unit] == [data.c.unit.code]
    assert figures.reopening.reopened == 1
    assert figures.satisfaction.count == 0


def test_complaints_per_kelurahan(session: Session, data: Dataset) -> None:
    assert kpi.by_kelurahan(session, PERIOD) == {"31.71.01.1001": 2, "31.74.07.1001": 3}


def test_an_empty_period_has_no_figures(session: Session, data: Dataset) -> None:
    empty = kpi.figures(session, type(PERIOD)(date(2025, 1, 1), date(2025, 1, 2)), NOW)
    assert empty.total == 0
    assert empty.first_action.median_hours is None
    assert empty.satisfaction.mean is None
    assert empty.reopening.rate is None
    assert empty.by_unit == []
