"""Working one complaint from the console: what the page shows, and moving it.

Status changes go through `complaints.service.move` (and so the workflow);
nothing here assigns a status.
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.agencies.models import Unit
from backend.auth.models import Operator
from backend.complaints import service as complaints
from backend.complaints import views
from backend.complaints.exceptions import IllegalTransition
from backend.complaints.models import Channel, Complaint, Status
from backend.complaints.schemas import ComplaintDetail, TransitionRequest
from backend.console.web import wib
from backend.errors import AppError, NotFound
from backend.photos import service as photos
from backend.photos.exceptions import PhotoDimensionsTooLarge, PhotoTooLarge, UnsupportedPhoto

STATUS_NAMES = {
    Status.MENUNGGU: "Menunggu",
    Status.KOORDINASI: "Koordinasi",
    Status.DISPOSISI: "Disposisi",
    Status.PROSES: "Proses",
    Status.SELESAI: "Selesai",
    Status.DITOLAK: "Ditolak",
}
CHANNEL_NAMES = {
    Channel.TELEGRAM: "Telegram",
    Channel.WHATSAPP: "WhatsApp",
    Channel.WEB: "Posko (langsung)",
    Channel.API: "Sistem lain (API)",
}


def move_label(old: Status, new: Status) -> str:
    """The button text of a move."""
    if new is Status.DISPOSISI:
        return "Alihkan ke unit lain" if old is Status.DISPOSISI else "Disposisi ke unit"
    if old is Status.SELESAI and new is Status.PROSES:
        return "Buka kembali (Proses)"
    return {
        Status.KOORDINASI: "Koordinasi",
        Status.PROSES: "Tindak lanjuti (Proses)",
        Status.SELESAI: "Selesai",
        Status.DITOLAK: "Tolak",
    }.get(new, STATUS_NAMES[new])


@dataclass(frozen=True)
class HistoryRow:
    """One line of the history table.

    The status-news delivery state (outbox) will be one more field here and
    one more column in the template's history table.
    """

    at: str
    from_status: str
    to_status: str
    note: str
    public: bool
    actor: str
    unit: str


def actor_names(session: Session, detail: ComplaintDetail) -> dict[str, str]:
    """History records `operator:<id>`/`service:<name>`; show officers' user names."""
    ids = {
        int(entry.actor.split(":", 1)[1])
        for entry in detail.history
        if entry.actor.startswith("operator:") and entry.actor.split(":", 1)[1].isdigit()
    }
    names = {}
    if ids:
        rows = session.execute(select(Operator.id, Operator.username).where(Operator.id.in_(ids)))
        names = {f"operator:{op_id}": username for op_id, username in rows}
    for entry in detail.history:
        if entry.actor.startswith("service:"):
            names[entry.actor] = "Bot / sistem"
    return names


def history_rows(session: Session, detail: ComplaintDetail) -> list[HistoryRow]:
    names = actor_names(session, detail)
    return [
        HistoryRow(
            at=wib(entry.at),
            from_status=STATUS_NAMES[entry.from_status] if entry.from_status else "",
            to_status=STATUS_NAMES[entry.to_status],
            note=entry.note,
            public=entry.public,
            actor=names.get(entry.actor, entry.actor),
            unit=entry.unit,
        )
        for entry in detail.history
    ]


def load(session: Session, operator: Operator, ticket_text: str) -> Complaint:
    """The complaint, if this operator may see it (another unit's is NotFound, as unknown)."""
    complaint = complaints.get(session, ticket_text)
    complaints.check_can_see(operator, complaint)
    return complaint


def detail(session: Session, complaint: Complaint) -> ComplaintDetail:
    return views.detail_view(session, complaint)


def units(session: Session) -> list[Unit]:
    return list(session.scalars(select(Unit).order_by(Unit.agency_code, Unit.kota_code, Unit.name)))


def apply_move(
    session: Session,
    operator: Operator,
    ticket_text: str,
    request: TransitionRequest,
    result_photo: bytes | None,
) -> Complaint:
    """Move the complaint; a `selesai` move may bring a photo of the result.

    The photo and the move are one savepoint: either both are stored or neither.
    """
    with session.begin_nested():
        photo_id = None
        if result_photo is not None:
            if request.to is not Status.SELESAI:
                raise UnsupportedResultPhoto()
            photo_id = photos.store(session, result_photo).photo.id
        complaint = complaints.move(session, operator, ticket_text, request)
        if photo_id is not None:
            photos.attach(session, [photo_id], complaint.id)
    return complaint


class UnsupportedResultPhoto(AppError):
    status_code = 422
    code = "result_photo_needs_selesai"

    def __init__(self) -> None:
        super().__init__("a result photo goes with a move to selesai")


def explain(exc: AppError, to: Status) -> str:
    """The workflow's refusal, in the officer's words."""
    detail = exc.detail
    if isinstance(exc, IllegalTransition):
        return (
            f"Status tidak bisa diubah ke {STATUS_NAMES[to]} dari status sekarang "
            "(mungkin sudah diubah petugas lain). Periksa riwayat di bawah."
        )
    if "note is required" in detail:
        return f"Catatan wajib diisi untuk status {STATUS_NAMES[to]}."
    if "different unit" in detail:
        return "Untuk mengalihkan, pilih unit tujuan yang berbeda dari unit sekarang."
    if "unit can only be given" in detail:
        return "Unit tujuan hanya dipakai untuk disposisi; kosongkan pilihan unit."
    if isinstance(exc, UnsupportedResultPhoto):
        return "Foto hasil hanya bisa dilampirkan saat menandai Selesai."
    if isinstance(exc, UnsupportedPhoto):
        return "Foto harus berupa gambar JPEG, PNG, atau WebP."
    if isinstance(exc, PhotoDimensionsTooLarge):
        return "Dimensi foto (lebar × tinggi) terlalu besar."
    if isinstance(exc, PhotoTooLarge):
        return "Foto terlalu besar."
    if isinstance(exc, NotFound):
        return "Unit tujuan tidak dikenal."
    return f"Perubahan tidak disimpan: {detail}"
