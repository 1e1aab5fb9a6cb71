"""The "Gagal terkirim" page: failed deliveries, newest first, and sending one again."""

from fastapi import APIRouter, HTTPException, Response, status

from backend.auth.models import Operator, Role
from backend.console import deliveries, web
from backend.db import SessionDep
from backend.errors import Conflict, NotFound
from backend.notifications import service as outbox

router = APIRouter()


def _crm_team(operator: Operator) -> None:
    """Deliveries span every unit's citizens: the CRM team's page (operator, admin)."""
    if operator.role is Role.AGENCY:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN)


@router.get("/deliveries/failed")
def failed_page(
    session: SessionDep, console: web.ConsoleDep, operator: web.OperatorDep
) -> Response:
    _crm_team(operator)
    return web.render(
        "deliveries_failed.html",
        {"rows": deliveries.failed(session), "state_names": deliveries.STATE_NAMES},
        console=console,
    )


@router.post("/deliveries/{message_id}/requeue")
def requeue(
    message_id: int, session: SessionDep, operator: web.OperatorDep, _form: web.FormDep
) -> Response:
    _crm_team(operator)
    try:
        outbox.requeue(session, message_id)
    except NotFound:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND) from None
    except Conflict:
        pass  # requeued already (a double click): the list shows it is gone
    return web.redirect(f"{web.PREFIX}/deliveries/failed")
