"""Publishing a complaint's photo: an officer who may see the complaint marks it for public pages.

Only photos marked publishable appear on /publik and as Open311 `media_url`
(served by `/open311/v2/media/{id}`, re-encoded without EXIF on intake).
"""

import logging

from fastapi import APIRouter, HTTPException, Response, status

from backend.complaints.exceptions import InvalidTicketError
from backend.console import web, work
from backend.db import SessionDep
from backend.errors import NotFound
from backend.photos import service as photos

logger = logging.getLogger(__name__)
router = APIRouter(prefix=web.PREFIX, tags=["console"], include_in_schema=False)


@router.post("/complaints/{ticket}/photos/{photo_id}/publik")
def set_publishable(
    ticket: str,
    photo_id: str,
    session: SessionDep,
    operator: web.OperatorDep,
    form: web.FormDep,
) -> Response:
    """Field `publishable`: "1" to show the photo publicly, "0" to withdraw it."""
    try:
        complaint = work.load(session, operator, ticket)
    except (NotFound, InvalidTicketError):
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND) from None
    if photo_id not in {photo.id for photo in photos.of_complaint(session, complaint.id)}:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND)
    choice = web.text_field(form, "publishable", 1)
    if choice not in ("0", "1"):
        raise HTTPException(status_code=status.HTTP_400_BAD_REQUEST, detail="publishable: 0 or 1")
    photos.set_publishable(session, photo_id, choice == "1")
    logger.info(
        "photo publishing changed",
        extra={"ticket_id": complaint.ticket_id, "publishable": choice == "1"},
    )
    return web.redirect(f"{web.PREFIX}/complaints/{complaint.ticket_id}#foto")
