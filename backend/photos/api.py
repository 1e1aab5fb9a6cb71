from fastapi import APIRouter, Request, status
from starlette.concurrency import run_in_threadpool

from backend.auth.deps import CallerDep
from backend.config import get_settings
from backend.db import SessionDep
from backend.errors import Unprocessable
from backend.photos import service
from backend.photos.schemas import PhotoOut

# Reading a photo back is scoped by its complaint's unit: `GET /api/v1/photos/{id}`
# lives with the complaint routes (complaints imports photos, not the reverse).
router = APIRouter(prefix="/api/v1/photos", tags=["photos"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=PhotoOut,
    responses={413: {}, 415: {}},
)
async def upload_photo(request: Request, session: SessionDep, _caller: CallerDep) -> PhotoOut:
    """Multipart upload, field `file`. The size cap is enforced while reading."""
    limit = get_settings().photo_max_bytes  # the whole body is capped by BodySizeLimitMiddleware
    form = await request.form(max_files=1, max_fields=5, max_part_size=limit + 1)
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise Unprocessable("send the image as multipart form field 'file'")
    data = await upload.read(limit + 1)
    stored = await run_in_threadpool(service.store, session, data)  # Pillow is CPU-bound
    photo = stored.photo
    return PhotoOut(
        photo_id=photo.id,
        content_type=photo.content_type,
        width=photo.width,
        height=photo.height,
        byte_size=photo.byte_size,
        location_suggestion=stored.location,
    )
