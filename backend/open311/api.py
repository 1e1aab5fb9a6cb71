"""Open311 GeoReport v2 under /open311/v2: `{resource}.xml` or `{resource}.json`.

Every error, whatever raised it, leaves as the specification's error list in
the format the URL asked for (XML when the format itself is not understood).
"""

from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException as StarletteHTTPException

from backend.agencies import service as agencies
from backend.agencies.models import Category
from backend.complaints.models import Complaint
from backend.db import SessionDep, utcnow
from backend.errors import AppError
from backend.open311 import queries, service, views
from backend.open311.exceptions import BadRequest, NotFound, Open311Error
from backend.open311.formats import Format, render
from backend.photos import service as photo_service
from backend.sla import service as sla

PREFIX = "/open311/v2"
MAX_FORM_FIELDS = 100


def _format_of(request: Request) -> Format:
    try:
        return Format(str(request.path_params.get("fmt", "")).lower())
    except ValueError:
        return Format.XML


def error_response(fmt: Format, status_code: int, descriptions: list[str]) -> Response:
    return render(fmt, "errors", views.errors(status_code, descriptions), status_code)


class Open311Route(APIRoute):
    """Turns every client error into a GeoReport error list (400, 403 or 404).

    The error is caught inside the route, so the session dependency does not
    see it and commits: code that writes must undo its own writes on error
    (`service.create_request` files inside a savepoint).
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except Open311Error as exc:
                return error_response(_format_of(request), exc.status_code, exc.descriptions)
            except RequestValidationError as exc:
                problems = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
                return error_response(_format_of(request), 400, problems)
            except AppError as exc:
                status = exc.status_code if exc.status_code in (403, 404) else 400
                return error_response(_format_of(request), status, [exc.detail])
            except StarletteHTTPException as exc:  # e.g. a malformed form body
                status = exc.status_code if exc.status_code in (403, 404) else 400
                return error_response(_format_of(request), status, [str(exc.detail)])

        return handle


router = APIRouter(prefix=PREFIX, tags=["open311"], route_class=Open311Route)


def fmt_of(fmt: str) -> Format:
    try:
        return Format(fmt.lower())
    except ValueError:
        raise BadRequest(f"format {fmt!r} is not supported; use xml or json") from None


def _params(request: Request) -> dict[str, list[str]]:
    return {key: request.query_params.getlist(key) for key in request.query_params}


async def _form(request: Request) -> FormData:
    return await request.form(max_files=0, max_fields=MAX_FORM_FIELDS)


FormDep = Annotated[FormData, Depends(_form)]
IdempotencyKeyHeader = Annotated[
    str | None, Header(alias="Idempotency-Key", min_length=1, max_length=200)
]


@router.get("/discovery.{fmt}")
def discovery(fmt: str, request: Request) -> Response:
    endpoint = str(request.base_url).rstrip("/") + PREFIX
    return render(fmt_of(fmt), "discovery", views.discovery(endpoint))


@router.get("/services.{fmt}")
def list_services(fmt: str, request: Request, session: SessionDep) -> Response:
    chosen = fmt_of(fmt)
    service.check_jurisdiction(request.query_params.get("jurisdiction_id"))
    return render(chosen, "services", views.services(agencies.list_categories(session)))


@router.get("/services/{service_code}.{fmt}")
def service_definition(
    service_code: str, fmt: str, request: Request, session: SessionDep
) -> Response:
    chosen = fmt_of(fmt)
    service.check_jurisdiction(request.query_params.get("jurisdiction_id"))
    category = session.get(Category, service_code)
    if category is None:
        raise NotFound(f"service_code {service_code!r} was not found")
    return render(chosen, "service_definition", views.service_definition(category))


@router.post("/requests.{fmt}")
def create_request(
    fmt: str,
    request: Request,
    form: FormDep,
    session: SessionDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    """Form-encoded, as the specification says; api_key may also be in the query."""
    chosen = fmt_of(fmt)

    def arg(name: str) -> str | None:
        value = form.get(name)
        if value is None:
            value = request.query_params.get(name)
        return value if isinstance(value, str) and value.strip() else None

    service.check_jurisdiction(arg("jurisdiction_id"))
    client = service.authenticate(session, arg("api_key"))
    new = service.NewRequest(
        service_code=arg("service_code"),
        lat=arg("lat"),
        long=arg("long"),
        address_string=arg("address_string"),
        address_id=arg("address_id"),
        description=arg("description"),
        media_url=arg("media_url"),
        attributes=_attributes(form),
    )
    complaint = service.create_request(session, client, new, idempotency_key)
    return render(chosen, "service_requests", views.created(complaint, _due(session)(complaint)))


def _attributes(form: FormData) -> dict[str, list[str]]:
    """`attribute[CODE]=v`, and `attribute[CODE][]=v` repeated for multivaluelist."""
    answers: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if not key.startswith("attribute[") or not isinstance(value, str):
            continue
        code = key[len("attribute[") :].removesuffix("[]").removesuffix("]")
        answers.setdefault(code, []).append(value)
    return answers


@router.get("/requests.{fmt}")
def list_requests(fmt: str, request: Request, session: SessionDep) -> Response:
    chosen = fmt_of(fmt)
    service.check_jurisdiction(request.query_params.get("jurisdiction_id"))
    query = queries.parse_query(_params(request), now=utcnow())
    complaints = queries.find_requests(session, query)
    return _requests(chosen, request, session, complaints)


@router.get("/requests/{service_request_id}.{fmt}")
def get_request(
    service_request_id: str, fmt: str, request: Request, session: SessionDep
) -> Response:
    chosen = fmt_of(fmt)
    service.check_jurisdiction(request.query_params.get("jurisdiction_id"))
    complaint = service.get_request(session, service_request_id)
    return _requests(chosen, request, session, [complaint])


@router.get("/media/{photo_id}", name="open311_media")
def media(photo_id: str, session: SessionDep) -> Response:
    """A photo an officer marked publishable; anything else is 404."""
    photo, data = service.public_photo(session, photo_id)
    return Response(
        content=data,
        media_type=photo.content_type,
        headers={"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"},
    )


def _requests(
    fmt: Format, request: Request, session: SessionDep, complaints: list[Complaint]
) -> Response:
    photos = photo_service.first_publishable(session, [c.id for c in complaints])

    def media_url(complaint: Complaint) -> str | None:
        photo_id = photos.get(complaint.id)
        return str(request.url_for("open311_media", photo_id=photo_id)) if photo_id else None

    document = views.requests(complaints, _due(session), media_url)
    return render(fmt, "service_requests", document)


def _due(session: SessionDep) -> Callable[[Complaint], datetime]:
    targets = sla.load_targets(session)

    def due(complaint: Complaint) -> datetime:  # the resolution target, as citizens are told
        return targets.resolution_due(complaint.category_code, complaint.created_at)

    return due
