"""The handoff API of the actions and the gateway (interfaces A and B)."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from backend.conversations.models import ConversationState, HandoffReason

SENDER_ID = r"^(telegram|whatsapp|web):[^\s:][^\s]{0,127}$"


class TranscriptItem(BaseModel):
    role: Literal["citizen", "bot"]
    text: str = Field(max_length=4000)
    at: datetime | None = None


class HandoffRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sender_id: str = Field(pattern=SENDER_ID)
    reason: HandoffReason
    transcript: list[TranscriptItem] = Field(default_factory=list, max_length=50)
    ticket_id: str | None = Field(default=None, max_length=40)
    draft: dict[str, Any] | None = None


class HandoffOut(BaseModel):
    conversation_id: int | None
    state: Literal["waiting", "open", "office_closed"]
    office_hours: str
    opens_at: datetime | None
    reply_within_minutes: int


class CitizenMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sender_id: str = Field(pattern=SENDER_ID)
    text: str | None = Field(default=None, max_length=4000)
    photo_id: str | None = Field(default=None, max_length=64)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)

    @model_validator(mode="after")
    def _something_said(self) -> "CitizenMessage":
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("latitude and longitude come together")
        if (
            not (self.text and self.text.strip())
            and self.photo_id is None
            and self.latitude is None
        ):
            raise ValueError("a message needs text, a photo or a location")
        return self


class CitizenMessageOut(BaseModel):
    conversation_id: int
    state: ConversationState
