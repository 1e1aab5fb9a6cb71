"""Console pages: login, queue, complaint page and moves, photos, static files.

The lead mounts `router` on the backend app; it carries its own `/console` prefix.
"""

import mimetypes
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request, Response, status
from fastapi.responses import HTMLResponse, RedirectResponse

from backend.agencies import service as agencies
from backend.auth.deps import AddressDep
from backend.complaints import service as complaints
from backend.complaints.exceptions import InvalidTicketError
from backend.complaints.models import Complaint, Status
from backend.complaints.schemas import TransitionRequest
from backend.console import (
    admin_api,
    alerts_api,
    deliveries,
    deliveries_api,
    desk_api,
    inbox_api,
    queue,
    service,
    web,
    work,
)
from backend.console.models import ConsoleSession
from backend.console.settings import get_console_settings
from backend.db import SessionDep, utcnow
from backend.errors import AppError, NotFound
from backend.photos import service as photos
from backend.sla import service as sla

router = APIRouter(prefix=web.PREFIX, tags=["console"], include_in_schema=False)
router.include_router(desk_api.router)
router.include_router(admin_api.router)
router.include_router(inbox_api.router)
router.include_router(alerts_api.router)
router.include_router(deliveries_api.router)

STATIC = web.HERE / "static"
STATIC_FILES = {
    path.relative_to(STATIC).as_posix(): path for path in STATIC.rglob("*") if path.is_file()
}


@router.get("/static/{name:path}")
def static_file(name: str) -> Response:
    path: Path | None = STATIC_FILES.get(name)  # only files that ship: no path tricks
    if path is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND)
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return Response(
        path.read_bytes(),
        media_type=media_type,
        headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"},
    )


def _safe_next(target: str) -> str:
    """Only a console path on this site (no `//host`, no scheme)."""
    ok = target.startswith(web.PREFIX + "/") and not any(
        bad in target for bad in ("//", "\\", "/..")
    )
    return target if ok else f"{web.PREFIX}/queue"


@router.get("")
@router.get("/")
def home(_console: web.ConsoleDep) -> RedirectResponse:
    return web.redirect(f"{web.PREFIX}/queue")


@router.get("/login")
def login_page(request: Request, session: SessionDep, next: str = "") -> Response:
    if service.find(session, request.cookies.get(web.COOKIE)) is not None:
        return web.redirect(_safe_next(next))
    return _login_form(next)


def _login_form(next_url: str, error: str = "", status_code: int = 200) -> HTMLResponse:
    token = service.new_csrf_token()
    response = web.render(
        "login.html",
        {"login_csrf": token, "next": next_url, "error": error},
        status_code=status_code,
    )
    web.set_cookie(response, web.LOGIN_COOKIE, token)
    return response


@router.post("/login")
def login(session: SessionDep, form: web.LoginFormDep, address: AddressDep) -> Response:
    """Sync on purpose: argon2 and the database run in a worker thread, not the event loop."""
    username = web.text_field(form, "username", 100)
    password = form.get("password")
    next_url = web.text_field(form, "next", 500)
    if not username or not isinstance(password, str) or not password:
        return _login_form(next_url, "Isi nama pengguna dan kata sandi.", 400)
    result = service.start(session, username, password[:200], address)
    if isinstance(result, service.Refused):
        message = (
            "Akun dikunci sementara karena terlalu banyak percobaan gagal. Coba lagi nanti."
            if result.locked
            else "Nama pengguna atau kata sandi salah."
        )
        return _login_form(next_url, message, 401)
    response = web.redirect(_safe_next(next_url))
    web.set_cookie(response, web.COOKIE, result.cookie)
    web.clear_cookie(response, web.LOGIN_COOKIE)
    return response


@router.post("/logout")
def logout(session: SessionDep, console: web.ConsoleDep, _form: web.FormDep) -> Response:
    service.end(session, console)
    response = web.redirect(f"{web.PREFIX}/login")
    web.clear_cookie(response, web.COOKIE)
    return response


@router.get("/queue")
def queue_page(
    request: Request, session: SessionDep, console: web.ConsoleDep, operator: web.OperatorDep
) -> Response:
    filters = queue.Filters.parse(dict(request.query_params))
    page = queue.page_of(session, operator, filters, get_console_settings().page_size)
    if page.ticket is not None and page.total == 1 and filters.q:
        return web.redirect(f"{web.PREFIX}/complaints/{page.ticket}")
    return web.render(
        "queue.html",
        {
            "filters": filters,
            "page": page,
            "statuses": list(Status),
            "status_names": work.STATUS_NAMES,
            "channel_names": work.CHANNEL_NAMES,
            "categories": agencies.list_categories(session),
            "kota": queue.KOTA,
            "sorts": {key: label for key, (label, _) in queue.SORTS.items()},
            "units": work.units(session) if operator.unit_id is None else [],
            "moved": request.query_params.get("moved", "")[:13],
        },
        console=console,
    )


def _not_found(console: ConsoleSession) -> HTMLResponse:
    return web.render(
        "error.html",
        {"title": "Laporan tidak ditemukan", "message": "Tidak ada laporan dengan nomor itu."},
        console=console,
        status_code=status.HTTP_404_NOT_FOUND,
    )


def _complaint_page(
    session: SessionDep,
    console: ConsoleSession,
    complaint: Complaint,
    *,
    error: str = "",
    notice: str = "",
    note: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    detail = work.detail(session, complaint)
    due = sla.due(session, complaint)
    settings = get_console_settings()
    return web.render(
        "complaint.html",
        {
            "c": detail,
            "kota_code": complaint.kota_code,
            "reporter": complaint.reporter,
            "history": work.history_rows(session, detail),
            "moves": [(m, work.move_label(detail.status, m)) for m in detail.allowed_moves],
            "needs_unit": Status.DISPOSISI in detail.allowed_moves,
            "takes_photo": Status.SELESAI in detail.allowed_moves,
            "status_names": work.STATUS_NAMES,
            "channel_names": work.CHANNEL_NAMES,
            "units": work.units(session),
            "tile_url": settings.tile_url,
            "tile_attribution": settings.tile_attribution,
            "error": error,
            "notice": notice,
            "note": note,
            "deliveries": deliveries.of_complaint(session, complaint.id),
            "delivery_states": deliveries.STATE_NAMES,
            "due": due,
            "late": sla.is_overdue(complaint.status, due, utcnow()),
            "photos": photos.of_complaint(session, complaint.id),
        },
        console=console,
        status_code=status_code,
    )


@router.get("/complaints/{ticket}")
def complaint_page(
    ticket: str,
    request: Request,
    session: SessionDep,
    console: web.ConsoleDep,
    operator: web.OperatorDep,
) -> Response:
    try:
        complaint = work.load(session, operator, ticket)
    except (NotFound, InvalidTicketError):
        return _not_found(console)
    if ticket != complaint.ticket_id:  # typed leniently: show the canonical address
        return web.redirect(f"{web.PREFIX}/complaints/{complaint.ticket_id}")
    try:
        done = Status(request.query_params.get("ok", ""))
        notice = f"Status diubah ke {work.STATUS_NAMES[done]}."
    except ValueError:
        notice = ""
    return _complaint_page(session, console, complaint, notice=notice)


@router.post("/complaints/{ticket}/moves")
def move_complaint(
    ticket: str,
    session: SessionDep,
    console: web.ConsoleDep,
    operator: web.OperatorDep,
    form: web.FormDep,
) -> Response:
    try:
        work.load(session, operator, ticket)
    except (NotFound, InvalidTicketError):
        return _not_found(console)
    note = web.text_field(form, "note")
    try:
        to = Status(web.text_field(form, "to"))
    except ValueError:
        raise HTTPException(status_code=status.HTTP_400_BAD_REQUEST, detail="bad move") from None
    request = TransitionRequest(
        to=to,
        note=note,
        unit_code=web.text_field(form, "unit_code", 64) or None,
        public=form.get("internal") is None,
    )
    photo = web.file_field(form, "photo")
    try:
        complaint = work.apply_move(session, operator, ticket, request, photo)
    except AppError as exc:
        complaint = work.load(session, operator, ticket)
        code = exc.status_code if exc.status_code in (409, 413, 415) else 422
        return _complaint_page(
            session, console, complaint, error=work.explain(exc, to), note=note, status_code=code
        )
    try:
        work.load(session, operator, complaint.ticket_id)
    except NotFound:  # reassigned away from this agency user's unit
        return web.redirect(f"{web.PREFIX}/queue?moved={complaint.ticket_id}")
    done = complaint.status.value
    return web.redirect(f"{web.PREFIX}/complaints/{complaint.ticket_id}?ok={done}#riwayat")


@router.get("/photos/{photo_id}")
def photo(
    photo_id: str,
    session: SessionDep,
    operator: web.OperatorDep,
) -> Response:
    """A complaint's photo, for officers who may see that complaint."""
    try:
        stored, data = complaints.photo_for(session, operator, photo_id)
    except NotFound:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND) from None
    headers = {"Cache-Control": "private, max-age=300", "X-Content-Type-Options": "nosniff"}
    return Response(data, media_type=stored.content_type, headers=headers)
