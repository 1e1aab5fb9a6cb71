"""Admin page of SLA targets: per category, to resolution and per open status."""

import logging

from fastapi import APIRouter, Request, Response
from starlette.datastructures import FormData

from backend.agencies import service as agencies
from backend.console import web
from backend.console.models import ConsoleSession
from backend.db import SessionDep
from backend.errors import Unprocessable
from backend.sla import service as sla

logger = logging.getLogger(__name__)
router = APIRouter(prefix=f"{web.PREFIX}/admin/sla", tags=["console"], include_in_schema=False)

RESOLUTION_FIELD = "hours"
STAGE_FIELDS = {status.value: status for status in sla.OPEN}  # field name = status


def _page(
    session: SessionDep,
    console: ConsoleSession,
    *,
    saved: str = "",
    error: str = "",
    status_code: int = 200,
) -> Response:
    targets = sla.load_targets(session)
    rows = [
        (
            c,
            targets.resolution_hours(c.code),
            [(s, targets.stage_hours(c.code, s)) for s in sla.OPEN],
        )
        for c in agencies.list_categories(session)
    ]
    return web.render(
        "admin_sla.html",
        {
            "rows": rows,
            "statuses": sla.OPEN,
            "saved": saved,
            "error": error,
            "max_hours": sla.MAX_HOURS,
        },
        console=console,
        status_code=status_code,
    )


def _typed_hours(form: FormData) -> dict[str, int]:
    """The hours typed in the form, by field; raises on a bad or missing value."""
    typed = {
        name: web.text_field(form, name, 8)
        for name in (RESOLUTION_FIELD, *STAGE_FIELDS)
        if name in form
    }
    if not typed:
        raise Unprocessable("no target given")
    for name, value in typed.items():
        if not value.isdigit() or not 1 <= int(value) <= sla.MAX_HOURS:
            raise Unprocessable(f"{name}: hours must be a whole number in range")
    return {name: int(value) for name, value in typed.items()}


@router.get("")
def sla_page(
    request: Request, session: SessionDep, console: web.ConsoleDep, _admin: web.AdminDep
) -> Response:
    saved = request.query_params.get("saved", "")[:32]
    return _page(session, console, saved=saved)


@router.post("/{category_code}")
def set_targets(
    category_code: str,
    session: SessionDep,
    console: web.ConsoleDep,
    admin: web.AdminDep,
    form: web.FormDep,
) -> Response:
    """Save the fields sent (`hours` = resolution, one field per open status): all or none."""
    if category_code not in sla.load_targets(session).resolution:
        return _page(session, console, error="Kategori tidak dikenal.", status_code=404)
    try:
        hours = _typed_hours(form)
        with session.begin_nested():
            for name, value in hours.items():
                if name == RESOLUTION_FIELD:
                    sla.set_target(session, category_code, value)
                else:
                    sla.set_stage_target(session, category_code, STAGE_FIELDS[name], value)
    except Unprocessable:
        message = f"Target harus bilangan bulat antara 1 dan {sla.MAX_HOURS} jam."
        return _page(session, console, error=message, status_code=422)
    logger.info(
        "SLA targets changed",
        extra={"category": category_code, "targets": hours, "operator_id": admin.id},
    )
    return web.redirect(f"{web.PREFIX}/admin/sla?saved={category_code}")
