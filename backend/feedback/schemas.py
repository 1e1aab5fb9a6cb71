"""The citizen's answer to "Sudah beres?" (interface E), and a withdrawal."""

from pydantic import BaseModel, ConfigDict, Field

from backend.complaints.models import Status
from backend.conversations.schemas import SENDER_ID


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sender_id: str = Field(pattern=SENDER_ID)
    resolved: bool
    reason: str | None = Field(default=None, max_length=2000)
    rating: int | None = Field(default=None, ge=1, le=5)


class FeedbackOut(BaseModel):
    ticket_id: str
    status: Status
    resolved: bool
    rating: int | None


class WithdrawalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sender_id: str = Field(pattern=SENDER_ID)


class WithdrawalOut(BaseModel):
    ticket_id: str
    status: Status
