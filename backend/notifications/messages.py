"""The Indonesian wording of what the outbox sends to citizens."""

from backend.notifications.models import OutboxMessage

STATUS_NEWS = (
    "Kabar laporan {ticket_id}: statusnya sekarang *{status_label}*.{note}\n"
    "Tanya kabar kapan saja dengan mengirim nomor tiket ini."
)


def render(message: OutboxMessage) -> str:
    payload = message.payload
    note = f"\nCatatan petugas: {payload['note']}" if payload.get("note") else ""
    return STATUS_NEWS.format(
        ticket_id=payload["ticket_id"], status_label=payload["status_label"], note=note
    )
