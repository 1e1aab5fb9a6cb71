"""Photo intake: content checks, limits, metadata stripping and the GPS hint."""

import io

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.photos.models import Photo
from tests.conftest import Headers

GPS_IFD = 0x8825


def image_bytes(fmt: str, size: tuple[int, int] = (64, 48), gps: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    if gps:
        exif[GPS_IFD] = {1: "S", 2: (6.0, 10.0, 31.44), 3: "E", 4: (106.0, 49.0, 37.92)}
    image.save(out, fmt, exif=exif)
    return out.getvalue()


def upload(client: TestClient, headers: Headers, data: bytes, name: str = "x.jpg"):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/photos", files={"file": (name, data, "image/jpeg")}, headers=headers
    )


def photo_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Photo)) or 0


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_accepted_formats_are_stored_without_metadata(
    app_client: TestClient, service_headers: Headers, fmt: str
) -> None:
    reply = upload(app_client, service_headers, image_bytes(fmt))
    assert reply.status_code == 201, reply.text
    photo = reply.json()
    assert (photo["width"], photo["height"]) == (64, 48)
    stored = app_client.get(f"/api/v1/photos/{photo['photo_id']}", headers=service_headers)
    assert stored.status_code == 200
    assert stored.headers["content-type"] == photo["content_type"]
    assert len(Image.open(io.BytesIO(stored.content)).getexif()) == 0


def test_gps_in_exif_is_returned_as_a_suggestion_and_removed(
    app_client: TestClient, service_headers: Headers
) -> None:
    reply = upload(app_client, service_headers, image_bytes("JPEG", gps=True))
    suggestion = reply.json()["location_suggestion"]
    assert suggestion["latitude"] == pytest.approx(-6.17540, abs=1e-4)
    assert suggestion["longitude"] == pytest.approx(106.82720, abs=1e-4)
    stored = app_client.get(
        f"/api/v1/photos/{reply.json()['photo_id']}", headers=service_headers
    ).content
    assert Image.open(io.BytesIO(stored)).getexif().get_ifd(GPS_IFD) == {}


def test_type_is_checked_by_content_not_by_name(
    app_client: TestClient, service_headers: Headers, session: Session
) -> None:
    for data in (b"GIF89a" + b"\x00" * 100, b"%PDF-1.4 not an image", b"", image_bytes("GIF")):
        reply = upload(app_client, service_headers, data, name="foto.jpg")
        assert reply.status_code == 415, reply.text
    assert photo_count(session) == 0


def test_oversized_upload_is_413(
    app_client: TestClient, service_headers: Headers, session: Session
) -> None:
    big = image_bytes("JPEG") + b"\x00" * (10 * 1024 * 1024)
    assert upload(app_client, service_headers, big).status_code == 413
    assert photo_count(session) == 0


def test_decompression_bomb_is_refused(
    app_client: TestClient, service_headers: Headers, session: Session
) -> None:
    bomb = image_bytes("PNG", size=(10_000, 10_000))
    assert upload(app_client, service_headers, bomb).status_code == 413
    assert photo_count(session) == 0


def test_missing_file_field_is_422(app_client: TestClient, service_headers: Headers) -> None:
    reply = app_client.post("/api/v1/photos", data={"x": "y"}, headers=service_headers)
    assert reply.status_code == 422


def test_photos_need_a_token(app_client: TestClient, service_headers: Headers) -> None:
    assert upload(app_client, {}, image_bytes("JPEG")).status_code == 401
    photo_id = upload(app_client, service_headers, image_bytes("JPEG")).json()["photo_id"]
    assert app_client.get(f"/api/v1/photos/{photo_id}").status_code == 401


def test_unknown_photo_is_404(app_client: TestClient, service_headers: Headers) -> None:
    for photo_id in ("0" * 32, "../../etc/passwd", "x"):
        reply = app_client.get(f"/api/v1/photos/{photo_id}", headers=service_headers)
        assert reply.status_code == 404


def test_complaint_links_its_photos(
    app_client: TestClient, service_headers: Headers, operator_headers: object
) -> None:
    from tests.backend.factories import file_complaint

    photo_id = upload(app_client, service_headers, image_bytes("JPEG")).json()["photo_id"]
    ticket = file_complaint(app_client, service_headers, photo_ids=[photo_id])["ticket_id"]
    op = operator_headers()  # type: ignore[operator]
    detail = app_client.get(f"/api/v1/complaints/{ticket}/detail", headers=op).json()
    assert detail["photo_ids"] == [photo_id]


def test_an_officer_reads_only_photos_of_complaints_they_may_see(
    app_client: TestClient, service_headers: Headers, operator_headers: object
) -> None:
    from tests.backend.factories import MONAS, file_complaint

    make = operator_headers  # type: ignore[assignment]
    lat, lon = MONAS
    photos = {}
    for category, unit in (("sampah", "dlh-jakpus"), ("pkl", "satpolpp-jakpus")):
        photo_id = upload(app_client, service_headers, image_bytes("JPEG")).json()["photo_id"]
        file_complaint(
            app_client,
            service_headers,
            category=category,
            latitude=lat,
            longitude=lon,
            photo_ids=[photo_id],
        )
        photos[unit] = photo_id
    unknown = app_client.get(f"/api/v1/photos/{'0' * 32}", headers=make("agency", "dlh-jakpus"))
    for own, other in (("dlh-jakpus", "satpolpp-jakpus"), ("satpolpp-jakpus", "dlh-jakpus")):
        officer = make("agency", own)  # type: ignore[operator]
        assert app_client.get(f"/api/v1/photos/{photos[own]}", headers=officer).status_code == 200
        refused = app_client.get(f"/api/v1/photos/{photos[other]}", headers=officer)
        assert refused.status_code == 404
        assert refused.json()["code"] == unknown.json()["code"] == "photo_not_found"
    crm = make()  # type: ignore[operator]
    for photo_id in photos.values():
        assert app_client.get(f"/api/v1/photos/{photo_id}", headers=crm).status_code == 200


def test_an_officer_cannot_read_a_photo_not_yet_filed(
    app_client: TestClient, service_headers: Headers, operator_headers: object
) -> None:
    photo_id = upload(app_client, service_headers, image_bytes("JPEG")).json()["photo_id"]
    officer = operator_headers("agency", "dlh-jakpus")  # type: ignore[operator]
    assert app_client.get(f"/api/v1/photos/{photo_id}", headers=officer).status_code == 404
    assert app_client.get(f"/api/v1/photos/{photo_id}", headers=service_headers).status_code == 200


def huge_png(width: int = 30_000, height: int = 30_000) -> bytes:
    """A valid black 1-bit PNG of these dimensions, small on the wire (~110 KB)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    packer = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then the bits
    pixels = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_too_many_pixels_is_refused_as_dimensions_not_bytes(
    app_client: TestClient, service_headers: Headers, session: Session
) -> None:
    data = huge_png()
    assert len(data) < 1024 * 1024  # far under PHOTO_MAX_BYTES
    reply = app_client.post(
        "/api/v1/photos", files={"file": ("peta.png", data, "image/png")}, headers=service_headers
    )
    assert reply.status_code == 413
    assert reply.json()["code"] == "photo_dimensions_too_large"
    assert photo_count(session) == 0
    too_heavy = upload(app_client, service_headers, image_bytes("JPEG") + b"\x00" * (10 << 20))
    assert too_heavy.json()["code"] == "photo_too_large"
