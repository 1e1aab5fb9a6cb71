"""The handoff inbox: waiting and open chats, one conversation, and an officer's actions."""

import uuid
from collections.abc import Callable

from fastapi import APIRouter, HTTPException, Request, Response, status
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from backend.agencies import service as agencies
from backend.alerts import service as alerts
from backend.auth.models import Operator, Role
from backend.console import web
from backend.console.models import ConsoleSession
from backend.console.work import CHANNEL_NAMES
from backend.conversations import filing, queries
from backend.conversations import service as conversations
from backend.conversations.models import Conversation, ConversationState
from backend.db import SessionDep, utcnow
from backend.errors import AppError, Conflict, NotFound
from backend.photos import service as photos

router = APIRouter()

STATE_NAMES = {
    ConversationState.WAITING: "Menunggu petugas",
    ConversationState.OPEN: "Dilayani",
    ConversationState.CLOSED: "Selesai",
}
AUTHOR_NAMES = {"citizen": "Warga", "bot": "Asisten otomatis", "officer": "Petugas"}
REFRESH_SECONDS = 20


def _conversation_url(conversation_id: int, notice: str = "") -> str:
    return f"{web.PREFIX}/inbox/{conversation_id}" + (f"?ok={notice}" if notice else "")


def _load(session: Session, operator: Operator, conversation_id: int) -> Conversation:
    try:
        return queries.get_visible(session, operator, conversation_id)
    except NotFound:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND) from None


@router.get("/inbox")
def inbox_page(session: SessionDep, console: web.ConsoleDep, operator: web.OperatorDep) -> Response:
    return web.render(
        "inbox.html",
        {
            "rows": queries.inbox(session, operator),
            "state_names": STATE_NAMES,
            "channel_names": CHANNEL_NAMES,
            "refresh": REFRESH_SECONDS,
            "now": utcnow(),
        },
        console=console,
    )


NOTICES = {
    "taken": "Percakapan Anda ambil; warga diberi tahu.",
    "replied": "Balasan dikirim.",
    "closed": "Percakapan ditutup; warga kembali ke asisten otomatis.",
    "filed": "Laporan dibuat dari percakapan ini.",
}


def _page(
    session: Session,
    console: ConsoleSession,
    operator: Operator,
    conversation: Conversation,
    *,
    notice: str = "",
    error: str = "",
    status_code: int = 200,
) -> Response:
    return web.render(
        "conversation.html",
        {
            "conv": conversation,
            "messages": queries.messages_of(session, conversation.id),
            "ticket": conversation.complaint.ticket_id if conversation.complaint else None,
            "state_names": STATE_NAMES,
            "author_names": AUTHOR_NAMES,
            "channel_names": CHANNEL_NAMES,
            "can_file": operator.role is not Role.AGENCY,
            "notice": notice,
            "error": error,
        },
        console=console,
        status_code=status_code,
    )


@router.get("/inbox/{conversation_id}")
def conversation_page(
    conversation_id: int,
    request: Request,
    session: SessionDep,
    console: web.ConsoleDep,
    operator: web.OperatorDep,
) -> Response:
    conversation = _load(session, operator, conversation_id)
    notice = NOTICES.get(request.query_params.get("ok", ""), "")
    return _page(session, console, operator, conversation, notice=notice)


def _act(
    session: Session,
    console: ConsoleSession,
    operator: Operator,
    conversation: Conversation,
    done: str,
    action: Callable[[], None],
) -> Response:
    try:
        with session.begin_nested():
            action()
    except Conflict:
        session.refresh(conversation)
        error = "Percakapan ini sudah diambil petugas lain atau sudah ditutup."
        return _page(session, console, operator, conversation, error=error, status_code=409)
    except AppError:
        error = "Tulis balasan terlebih dahulu."
        return _page(session, console, operator, conversation, error=error, status_code=422)
    return web.redirect(_conversation_url(conversation.id, done))


@router.post("/inbox/{conversation_id}/take")
def take(
    conversation_id: int,
    session: SessionDep,
    console: web.ConsoleDep,
    operator: web.OperatorDep,
    _form: web.FormDep,
) -> Response:
    conversation = _load(session, operator, conversation_id)
    return _act(
        session,
        console,
        operator,
        conversation,
        "taken",
        lambda: conversations.take(session, operator, conversation),
    )


@router.post("/inbox/{conversation_id}/reply")
def reply(
    conversation_id: int,
    session: SessionDep,
    console: web.ConsoleDep,
    operator: web.OperatorDep,
    form: web.FormDep,
) -> Response:
    conversation = _load(session, operator, conversation_id)
    text = web.text_field(form, "text", 4000)
    return _act(
        session,
        console,
        operator,
        conversation,
        "replied",
        lambda: conversations.reply(session, operator, conversation, text),
    )


@router.post("/inbox/{conversation_id}/close")
def close(
    conversation_id: int,
    session: SessionDep,
    console: web.ConsoleDep,
    operator: web.OperatorDep,
    _form: web.FormDep,
) -> Response:
    conversation = _load(session, operator, conversation_id)
    return _act(
        session,
        console,
        operator,
        conversation,
        "closed",
        lambda: conversations.close(session, conversation),
    )


def _report_page(
    session: Session,
    console: ConsoleSession,
    conversation: Conversation,
    form: filing.ReportForm,
    *,
    error: str = "",
    status_code: int = 200,
) -> Response:
    if not form.key:
        form.key = uuid.uuid4().hex
    return web.render(
        "inbox_report.html",
        {
            "conv": conversation,
            "form": form,
            "categories": agencies.list_categories(session),
            "channel_names": CHANNEL_NAMES,
            "error": error,
        },
        console=console,
        status_code=status_code,
    )


def _fileable(session: Session, operator: Operator, conversation_id: int) -> Conversation:
    """Filing is the CRM team's (agency users only see chats with a complaint already)."""
    if operator.role is Role.AGENCY:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN)
    return _load(session, operator, conversation_id)


@router.get("/inbox/{conversation_id}/report")
def report_form(
    conversation_id: int, session: SessionDep, console: web.ConsoleDep, operator: web.OperatorDep
) -> Response:
    conversation = _fileable(session, operator, conversation_id)
    if conversation.complaint_id is not None:
        return web.redirect(_conversation_url(conversation.id))
    form = filing.prefill(queries.messages_of(session, conversation.id))
    return _report_page(session, console, conversation, form)


@router.post("/inbox/{conversation_id}/report")
def file_report(
    conversation_id: int,
    session: SessionDep,
    console: web.ConsoleDep,
    operator: web.OperatorDep,
    form: web.FormDep,
) -> Response:
    conversation = _fileable(session, operator, conversation_id)
    typed = filing.ReportForm(
        category=web.text_field(form, "category", 32),
        description=web.text_field(form, "description", 5000),
        address=web.text_field(form, "address", 500),
        latitude=web.text_field(form, "latitude", 32),
        longitude=web.text_field(form, "longitude", 32),
        key=web.text_field(form, "key", 64),
    )
    if conversation.complaint_id is not None:  # filed already (a double submission, say)
        return web.redirect(_conversation_url(conversation.id))
    try:
        messages = queries.messages_of(session, conversation.id)
        filing.file_for(session, operator, conversation, typed, messages)
    except AppError as exc:
        error = (
            "Titik lokasi berada di luar DKI Jakarta."
            if exc.code == "outside_jakarta"
            else "Pilih kategori, tulis uraian, dan periksa koordinat."
        )
        return _report_page(session, console, conversation, typed, error=error, status_code=422)
    return web.redirect(_conversation_url(conversation.id, "filed"))


@router.get("/inbox/{conversation_id}/photos/{photo_id}")
def conversation_photo(
    conversation_id: int, photo_id: str, session: SessionDep, operator: web.OperatorDep
) -> Response:
    """A photo the citizen sent in this conversation, for officers who may see it."""
    conversation = _load(session, operator, conversation_id)
    sent = {m.photo_id for m in queries.messages_of(session, conversation.id) if m.photo_id}
    if photo_id not in sent:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND)
    try:
        stored, data = photos.load(session, photo_id)
    except NotFound:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND) from None
    headers = {"Cache-Control": "private, max-age=300", "X-Content-Type-Options": "nosniff"}
    return Response(data, media_type=stored.content_type, headers=headers)


@router.get("/badge")
def badge(session: SessionDep, operator: web.OperatorDep) -> JSONResponse:
    """What the nav badge counts: unread alerts and chats waiting for an officer."""
    unread = alerts.unread_count(session, operator)
    waiting = queries.waiting_count(session, operator)
    return JSONResponse(
        {"alerts": unread, "waiting": waiting, "total": unread + waiting},
        headers={"Cache-Control": "no-store"},
    )
