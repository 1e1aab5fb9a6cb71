"""Filing a complaint from a conversation: prefilled from the chat, reported by the chat.

The complaint's reporter is the chat itself (channel telegram/whatsapp/web),
so its status news reaches the citizen where they talked to the officer.
"""

from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy.orm import Session

from backend.auth.models import Operator
from backend.complaints import service as complaints
from backend.complaints.models import Complaint
from backend.complaints.schemas import ComplaintCreate
from backend.conversations import service
from backend.conversations.models import (
    Author,
    Conversation,
    ConversationMessage,
    ConversationState,
)
from backend.errors import Conflict, Unprocessable
from backend.photos import service as photos
from backend.photos.models import Photo

FILED_REPLY = (
    "Laporan Anda sudah kami catat dengan nomor {ticket_id}. "
    "Kabar perkembangannya akan dikirim ke percakapan ini."
)


@dataclass
class ReportForm:
    category: str = ""
    description: str = ""
    address: str = ""
    latitude: str = ""
    longitude: str = ""
    key: str = ""  # one-time key of the form: a double submission files once


def prefill(messages: list[ConversationMessage]) -> ReportForm:
    """The citizen's words as the description, and the last pin they sent."""
    said = [m.text for m in messages if m.author is Author.CITIZEN and m.text]
    pins = [m for m in messages if m.latitude is not None and m.longitude is not None]
    form = ReportForm(description="\n".join(said)[:5000])
    if pins:
        form.latitude, form.longitude = f"{pins[-1].latitude:.6f}", f"{pins[-1].longitude:.6f}"
    return form


def _coordinates(form: ReportForm) -> tuple[float | None, float | None]:
    if not form.latitude and not form.longitude:
        return None, None
    try:
        return float(form.latitude), float(form.longitude)
    except ValueError:
        raise Unprocessable("bad coordinates") from None


def file_for(
    session: Session,
    operator: Operator,
    conversation: Conversation,
    form: ReportForm,
    messages: list[ConversationMessage],
) -> Complaint:
    """File the complaint, attach the chat's photos, link it, tell a live chat its ticket."""
    if conversation.complaint_id is not None:
        raise Conflict("this conversation has a complaint already")
    latitude, longitude = _coordinates(form)
    reporter = conversation.reporter
    try:
        data = ComplaintCreate(
            category=form.category,
            description=form.description,
            channel=reporter.channel,
            reporter_chat_id=reporter.chat_id,
            latitude=latitude,
            longitude=longitude,
            address=form.address or None,
        )
    except ValidationError:
        raise Unprocessable("category and description are required") from None
    with session.begin_nested():
        complaint, _ = complaints.file_complaint(
            session, data, actor=f"operator:{operator.id}", idempotency_key=form.key or None
        )
        free = [m.photo_id for m in messages if m.photo_id and _unattached(session, m.photo_id)]
        photos.attach(session, free, complaint.id)
        service.link_complaint(session, conversation, complaint)
    if conversation.state is ConversationState.OPEN:
        text = FILED_REPLY.format(ticket_id=complaint.ticket_id)
        service.reply(session, operator, conversation, text)
    return complaint


def _unattached(session: Session, photo_id: str) -> bool:
    photo = session.get(Photo, photo_id)
    return photo is not None and photo.complaint_id is None
