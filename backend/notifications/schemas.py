from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from backend.complaints.models import Channel
from backend.notifications.models import DeliveryState


class ButtonOut(BaseModel):
    title: str
    payload: str  # a Rasa /intent{json} string


class DeliveryOut(BaseModel):
    id: int
    channel: Channel
    chat_id: str
    kind: str
    ticket_id: str | None
    text: str
    attempts: int
    buttons: list[ButtonOut]
    ends_handoff: bool  # after delivering, route this chat to Rasa again
    rasa_slots: dict[str, Any]  # after delivering, set these on the sender's tracker
    uncertain: bool  # left `sending` by a gateway that stopped: it may have arrived already


class DeliveryBatch(BaseModel):
    messages: list[DeliveryOut]


class SendingMark(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ids: list[int] = Field(max_length=100)


class SendingMarked(BaseModel):
    ids: list[int]  # the ones to send now; send no other


class FailureReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    error: str = Field(min_length=1, max_length=2000)
    retry: bool = True


class DeliveryStateOut(BaseModel):
    id: int
    state: DeliveryState
    attempts: int
