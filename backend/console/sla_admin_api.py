"""Admin page of SLA targets: the hours each category of complaint may take."""

import logging

from fastapi import APIRouter, Request, Response

from backend.agencies import service as agencies
from backend.console import web
from backend.console.models import ConsoleSession
from backend.db import SessionDep
from backend.errors import Unprocessable
from backend.sla import service as sla

logger = logging.getLogger(__name__)
router = APIRouter(prefix=f"{web.PREFIX}/admin/sla", tags=["console"], include_in_schema=False)


def _page(
    session: SessionDep,
    console: ConsoleSession,
    *,
    saved: str = "",
    error: str = "",
    status_code: int = 200,
) -> Response:
    hours = sla.all_targets(session)
    rows = [(c, hours[c.code]) for c in agencies.list_categories(session)]
    return web.render(
        "admin_sla.html",
        {"rows": rows, "saved": saved, "error": error, "max_hours": sla.MAX_HOURS},
        console=console,
        status_code=status_code,
    )


@router.get("")
def sla_page(
    request: Request, session: SessionDep, console: web.ConsoleDep, _admin: web.AdminDep
) -> Response:
    saved = request.query_params.get("saved", "")[:32]
    return _page(session, console, saved=saved)


@router.post("/{category_code}")
def set_target(
    category_code: str,
    session: SessionDep,
    console: web.ConsoleDep,
    admin: web.AdminDep,
    form: web.FormDep,
) -> Response:
    if category_code not in sla.all_targets(session):
        return _page(session, console, error="Kategori tidak dikenal.", status_code=404)
    typed = web.text_field(form, "hours", 8)
    try:
        if not typed.isdigit():
            raise Unprocessable("hours must be a whole number")
        with session.begin_nested():
            row = sla.set_target(session, category_code, int(typed))
    except Unprocessable:
        message = f"Target harus bilangan bulat antara 1 dan {sla.MAX_HOURS} jam."
        return _page(session, console, error=message, status_code=422)
    logger.info(
        "SLA target changed",
        extra={"category": row.category_code, "hours": row.hours, "operator_id": admin.id},
    )
    return web.redirect(f"{web.PREFIX}/admin/sla?saved={row.category_code}")
