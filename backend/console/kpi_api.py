"""The console's KPI page and its CSV exports (CRM team: everything; agency users: their unit)."""

from collections.abc import Iterator
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response

from backend.agencies import service as agencies
from backend.auth.models import Operator, Role
from backend.console import web, work
from backend.db import SessionDep, utcnow
from backend.kpi import export, view
from backend.kpi import service as kpi
from backend.kpi.period import Period

router = APIRouter(prefix=f"{web.PREFIX}/kpi", tags=["console"], include_in_schema=False)
CHANNEL_NAMES = {channel.value: name for channel, name in work.CHANNEL_NAMES.items()}


def _period(request: Request) -> tuple[Period, list[str]]:
    params = request.query_params
    return Period.parse(params.get("dari", "")[:20], params.get("sampai", "")[:20], utcnow())


@router.get("")
def kpi_page(
    request: Request, session: SessionDep, console: web.ConsoleDep, operator: web.OperatorDep
) -> Response:
    period, problems = _period(request)
    figures = kpi.figures(session, period, utcnow(), unit_id=_scope(operator))
    categories = {c.code: c.label for c in agencies.list_categories(session)}
    return web.render(
        "kpi.html",
        {
            "v": view.build(figures, CHANNEL_NAMES, categories),
            "fmt": view,
            "period": period,
            "problems": problems,
            "query": urlencode({"dari": period.start, "sampai": period.end}),
            "unit_name": operator.unit.name if _scope(operator) and operator.unit else "",
        },
        console=console,
    )


def _csv(lines: Iterator[str], name: str, period: Period) -> Response:
    filename = f"aduan-{name}-{period.start}-{period.end}.csv"
    return Response(
        "".join(lines),  # built now, while the request's session is open
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def _scope(operator: Operator) -> int | None:
    """Agency users see their unit's figures; the CRM team (operator, admin) everything."""
    return operator.unit_id if operator.role is Role.AGENCY else None


@router.get("/angka.csv")
def figures_csv(request: Request, session: SessionDep, operator: web.OperatorDep) -> Response:
    period, _ = _period(request)
    figures = kpi.figures(session, period, utcnow(), unit_id=_scope(operator))
    return _csv(export.figures_csv(figures), "angka", period)


@router.get("/laporan.csv")
def complaints_csv(request: Request, session: SessionDep, operator: web.OperatorDep) -> Response:
    period, _ = _period(request)
    lines = export.complaints_csv(session, period, utcnow(), unit_id=_scope(operator))
    return _csv(lines, "laporan", period)
