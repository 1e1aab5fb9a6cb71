"""Complaint shapes on the wire. The public view carries no personal data."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from backend.complaints.models import Channel, Status

STATUS_LABELS: dict[Status, str] = {
    Status.MENUNGGU: "Menunggu",
    Status.KOORDINASI: "Koordinasi",
    Status.DISPOSISI: "Diteruskan ke {agency}",
    Status.PROSES: "Sedang ditindaklanjuti",
    Status.SELESAI: "Selesai",
    Status.DITOLAK: "Ditolak",
}
FOLLOWED_UP = frozenset({Status.PROSES, Status.SELESAI})


def status_label(status: Status, agency: str) -> str:
    """The label citizens see, e.g. "Diteruskan ke Suku Dinas SDA Jakarta Selatan"."""
    return STATUS_LABELS[status].format(agency=agency)


class ComplaintCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: str = Field(min_length=1, max_length=32)
    description: str = Field(min_length=1, max_length=5000)
    channel: Channel
    reporter_chat_id: str | None = Field(default=None, min_length=1, max_length=128)
    # Where status news goes when it is not the filing channel: a walk-in filed
    # on `web` who wants news on WhatsApp gives `whatsapp` and the number.
    reporter_channel: Channel | None = None
    reporter_name: str | None = Field(default=None, max_length=200)
    latitude: float | None = Field(default=None, ge=-90, le=90, allow_inf_nan=False)
    longitude: float | None = Field(default=None, ge=-180, le=180, allow_inf_nan=False)
    address: str | None = Field(default=None, max_length=500)
    kelurahan_code: str | None = Field(default=None, max_length=16)
    photo_ids: list[str] = Field(default_factory=list, max_length=10)

    @field_validator("description")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("description is blank")
        return value

    @model_validator(mode="after")
    def _both_coordinates(self) -> "ComplaintCreate":
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("give both latitude and longitude, or neither")
        return self


class PublicNote(BaseModel):
    status: Status
    note: str
    at: datetime


class ComplaintPublic(BaseModel):
    ticket_id: str
    category: str
    category_label: str
    status: Status
    status_label: str
    ditindaklanjuti: bool
    agency: str
    kelurahan: str | None
    kecamatan: str | None
    kota: str | None
    created_at: datetime
    updated_at: datetime
    due_at: datetime | None = None  # SLA target: when it should be selesai; none if ditolak
    latest_note: str | None
    public_notes: list[PublicNote]


class ComplaintList(BaseModel):
    complaints: list[ComplaintPublic]


class TransitionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to: Status
    note: str = Field(default="", max_length=5000)
    unit_code: str | None = Field(default=None, max_length=64)
    public: bool = True


class HistoryEntry(BaseModel):
    from_status: Status | None
    to_status: Status
    note: str
    public: bool
    actor: str
    unit: str
    at: datetime


class ComplaintDetail(ComplaintPublic):
    """What an operator sees: the public view plus place, unit and full history."""

    description: str
    channel: Channel
    unit_code: str
    latitude: float | None
    longitude: float | None
    address: str | None
    photo_ids: list[str]
    supporters: int
    allowed_moves: list[Status]
    history: list[HistoryEntry]


class SupportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: Channel
    chat_id: str = Field(min_length=1, max_length=128)
