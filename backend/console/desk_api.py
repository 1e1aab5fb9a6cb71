"""The walk-in desk pages (posko)."""

import uuid

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from backend.agencies import service as agencies
from backend.complaints import service as complaints
from backend.console import desk, web
from backend.console.models import ConsoleSession
from backend.console.settings import get_console_settings
from backend.db import SessionDep
from backend.errors import AppError
from backend.photos.exceptions import PhotoDimensionsTooLarge, PhotoTooLarge, UnsupportedPhoto
from backend.places.service import NearbyComplaint

router = APIRouter()


def _page(
    session: Session,
    console: ConsoleSession,
    form: desk.DeskForm,
    *,
    choices: desk.NeedsPlace | None = None,
    nearby: list[NearbyComplaint] | None = None,
    filed: str = "",
    followed: str = "",
    filed_visible: bool = False,
    status_code: int = 200,
) -> Response:
    if not form.key:
        form.key = uuid.uuid4().hex
    return web.render(
        "desk.html",
        {
            "form": form,
            "categories": agencies.list_categories(session),
            "choices": choices.candidates if choices else [],
            "nearby": nearby or [],
            "category_labels": {c.code: c.label for c in agencies.list_categories(session)},
            "filed": filed,
            "followed": followed,
            "filed_visible": filed_visible,
            "tile_url": get_console_settings().tile_url,
            "tile_attribution": get_console_settings().tile_attribution,
        },
        console=console,
        status_code=status_code,
    )


@router.get("/desk")
def desk_page(
    request: Request, session: SessionDep, console: web.ConsoleDep, operator: web.OperatorDep
) -> Response:
    """The empty form; after filing, the new ticket (linked when this officer may open it)."""
    filed, visible = "", False
    try:
        complaint = complaints.get(session, request.query_params.get("filed", "")[:40])
        filed = complaint.ticket_id  # shown only when it exists: no text injected by a link
        complaints.check_can_see(operator, complaint)
        visible = True
    except AppError:
        pass
    followed = ""
    try:
        followed = complaints.get(session, request.query_params.get("followed", "")[:40]).ticket_id
    except AppError:
        pass
    return _page(
        session, console, desk.DeskForm(), filed=filed, filed_visible=visible, followed=followed
    )


def _read(form: FormData) -> desk.DeskForm:
    return desk.DeskForm(
        category=web.text_field(form, "category", 32),
        description=web.text_field(form, "description", 5000),
        address=web.text_field(form, "address", 500),
        kelurahan_code=web.text_field(form, "kelurahan_code", 16),
        latitude=web.text_field(form, "latitude", 32),
        longitude=web.text_field(form, "longitude", 32),
        name=web.text_field(form, "name", 200),
        phone=web.text_field(form, "phone", 40),
        key=web.text_field(form, "key", 64),
        file_anyway=web.text_field(form, "file_anyway", 1) == "1",
    )


def _explain(exc: AppError) -> str:
    detail = exc.detail
    if "WhatsApp number is needed" in detail:
        return "Isi nomor WhatsApp warga untuk mengikuti laporan yang sudah ada."
    if "closed" in detail:
        return "Laporan itu sudah ditutup; buat laporan baru."
    if isinstance(exc, desk.InvalidPhone):
        return "Nomor WhatsApp tidak dikenali; tulis seperti 0812-3456-7890."
    if exc.code == "outside_jakarta":
        return "Titik lokasi berada di luar DKI Jakarta."
    if "category" in detail or "description" in detail:
        return "Pilih kategori dan tulis uraian laporan."
    if "kelurahan" in detail:
        return "Kelurahan tidak dikenal; cari lagi dengan alamat."
    if "coordinates" in detail:
        return "Koordinat tidak valid."
    if isinstance(exc, UnsupportedPhoto):
        return "Foto harus berupa gambar JPEG, PNG, atau WebP."
    if isinstance(exc, PhotoDimensionsTooLarge):
        return "Dimensi foto (lebar × tinggi) terlalu besar."
    if isinstance(exc, PhotoTooLarge):
        return "Foto terlalu besar."
    return f"Laporan belum tersimpan: {detail}"


@router.post("/desk")
def file_walk_in(
    session: SessionDep, console: web.ConsoleDep, operator: web.OperatorDep, form: web.FormDep
) -> Response:
    typed = _read(form)
    photo = web.file_field(form, "photo")
    follow = web.text_field(form, "follow", 40)
    try:
        if follow:
            followed = desk.follow(session, operator, typed, follow)
            return web.redirect(f"{web.PREFIX}/desk?followed={followed.ticket_id}")
        choices = desk.resolve_place(typed)
        if choices is not None:
            typed.errors.append("Alamat cocok dengan beberapa kelurahan; pilih salah satu.")
            return _page(session, console, typed, choices=choices, status_code=422)
        nearby = desk.similar_nearby(session, operator, typed)
        if nearby:
            return _page(session, console, typed, nearby=nearby, status_code=409)
        complaint = desk.file_walk_in(session, operator, typed, photo)
    except AppError as exc:
        typed.errors.append(_explain(exc))
        return _page(session, console, typed, status_code=exc.status_code)
    return web.redirect(f"{web.PREFIX}/desk?filed={complaint.ticket_id}")
