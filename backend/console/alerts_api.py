"""The alerts page: what the officer's team was alerted to, and marking alerts read."""

from fastapi import APIRouter, HTTPException, Response, status

from backend.alerts import service as alerts
from backend.console import web
from backend.db import SessionDep
from backend.errors import NotFound

router = APIRouter()

KIND_NAMES = {
    "handoff": "Warga minta petugas",
    "reopened": "Laporan dibuka kembali",
    "overdue": "Lewat tenggat",
}


@router.get("/alerts")
def alerts_page(
    session: SessionDep, console: web.ConsoleDep, operator: web.OperatorDep
) -> Response:
    return web.render(
        "alerts.html",
        {"alerts": alerts.visible_to(session, operator), "kind_names": KIND_NAMES},
        console=console,
    )


@router.post("/alerts/{alert_id}/read")
def mark_read(
    alert_id: int, session: SessionDep, operator: web.OperatorDep, _form: web.FormDep
) -> Response:
    try:
        alerts.mark_read(session, operator, alert_id)
    except NotFound:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND) from None
    return web.redirect(f"{web.PREFIX}/alerts")
