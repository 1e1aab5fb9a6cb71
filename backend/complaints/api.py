"""Complaint routes: thin wrappers over the service, in the request's transaction."""

from typing import Annotated

from fastapi import APIRouter, Header, Response, status

from backend.auth.deps import CallerDep, OperatorDep, ServiceDep
from backend.complaints import service, views
from backend.complaints.models import Channel
from backend.complaints.schemas import (
    ComplaintCreate,
    ComplaintDetail,
    ComplaintList,
    ComplaintPublic,
    SupportRequest,
    TransitionRequest,
)
from backend.db import SessionDep

router = APIRouter(prefix="/api/v1", tags=["complaints"])
IdempotencyKeyHeader = Annotated[
    str | None, Header(alias="Idempotency-Key", min_length=1, max_length=200)
]


@router.post("/complaints", status_code=status.HTTP_201_CREATED, response_model=ComplaintPublic)
def create_complaint(
    body: ComplaintCreate,
    session: SessionDep,
    caller: CallerDep,
    response: Response,
    idempotency_key: IdempotencyKeyHeader = None,
) -> ComplaintPublic:
    complaint, created = service.file_complaint(
        session, body, actor=caller.actor, idempotency_key=idempotency_key
    )
    if not created:
        response.status_code = status.HTTP_200_OK
        response.headers["Idempotent-Replayed"] = "true"
    return views.public_view(complaint)


@router.get("/complaints/by-key/{key}", response_model=ComplaintPublic)
def complaint_by_key(key: str, session: SessionDep, caller: CallerDep) -> ComplaintPublic:
    """The complaint this caller filed with `Idempotency-Key: key` (404 if none): after
    a lost answer, whether the submission was stored."""
    return views.public_view(service.filed_with_key(session, caller.actor, key))


@router.get("/complaints/{ticket_id}", response_model=ComplaintPublic)
def get_complaint(ticket_id: str, session: SessionDep) -> ComplaintPublic:
    """The public status view: no personal data, so a ticket number is enough."""
    return views.public_view(service.get(session, ticket_id))


@router.get("/complaints/{ticket_id}/detail", response_model=ComplaintDetail)
def get_complaint_detail(
    ticket_id: str, session: SessionDep, operator: OperatorDep
) -> ComplaintDetail:
    complaint = service.get(session, ticket_id)
    service.check_can_see(operator, complaint)
    return views.detail_view(session, complaint)


@router.post("/complaints/{ticket_id}/transitions", response_model=ComplaintDetail)
def transition_complaint(
    ticket_id: str, body: TransitionRequest, session: SessionDep, operator: OperatorDep
) -> ComplaintDetail:
    complaint = service.move(session, operator, ticket_id, body)
    return views.detail_view(session, complaint)


@router.post("/complaints/{ticket_id}/supporters", response_model=ComplaintPublic)
def support_complaint(
    ticket_id: str, body: SupportRequest, session: SessionDep, _service: ServiceDep
) -> ComplaintPublic:
    complaint = service.add_supporter(session, ticket_id, body.channel, body.chat_id)
    return views.public_view(complaint)


@router.get("/reporters/{channel}/{chat_id}/complaints", response_model=ComplaintList)
def reporter_complaints(
    channel: Channel, chat_id: str, session: SessionDep, _service: ServiceDep
) -> ComplaintList:
    complaints = service.reporter_complaints(session, channel, chat_id)
    return ComplaintList(complaints=[views.public_view(c) for c in complaints])


@router.get(
    "/photos/{photo_id}",
    tags=["photos"],
    responses={200: {"content": {"image/jpeg": {}}}, 404: {}},
    response_class=Response,
)
def get_photo(photo_id: str, session: SessionDep, caller: CallerDep) -> Response:
    """A stored photo: any for service clients, only their complaints' for officers."""
    photo, data = service.photo_for(session, caller.operator, photo_id)
    return Response(content=data, media_type=photo.content_type)
