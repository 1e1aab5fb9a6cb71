"""GET requests and GET requests/{id}: fields, status mapping, filters, privacy, media."""

from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from backend import db
from backend.db import utcnow
from backend.open311 import queries
from backend.open311.api import PREFIX
from backend.photos import service as photos
from backend.sla import service as sla
from tests.backend.factories import MONAS, file_complaint
from tests.backend.open311.conftest import (
    children,
    errors_of,
    file_request,
    parse,
    set_created_at,
    stored,
)
from tests.backend.photos.test_api_photos import image_bytes, upload
from tests.conftest import Headers, OperatorFactory

# The element order of the specification's GET requests example (zipcode left out:
# Aduan has no postal codes).
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "lat",
    "long",
    "media_url",
]


def move(client: TestClient, headers: Headers, ticket: str, **body: object) -> None:
    reply = client.post(f"/api/v1/complaints/{ticket}/transitions", json=body, headers=headers)
    assert reply.status_code == 200, reply.text


def ids(client: TestClient, query: str = "") -> list[str]:
    reply = client.get(f"{PREFIX}/requests.json{query}")
    assert reply.status_code == 200, reply.text
    return [request["service_request_id"] for request in reply.json()]


def test_a_request_has_the_fields_of_the_spec_example(client: TestClient, api_key: str) -> None:
    ticket = file_request(client, api_key)
    root = parse(client.get(f"{PREFIX}/requests/{ticket}.xml"))
    assert root.tag == "service_requests"
    (request,) = root.findall("request")
    assert children(request) == REQUEST_FIELDS
    assert request.findtext("service_request_id") == ticket
    assert request.findtext("status") == "open"
    assert request.findtext("status_notes") == "Menunggu"
    assert request.findtext("service_name") == "Sampah"
    assert request.findtext("service_code") == "sampah"
    assert request.findtext("description") == "Sampah menumpuk di pinggir jalan"
    assert request.findtext("agency_responsible") == "Suku Dinas Lingkungan Hidup Jakarta Pusat"
    assert request.findtext("address") == (
        "Kelurahan Gambir, Kecamatan Gambir, Jakarta Pusat, DKI Jakarta"
    )
    assert request.findtext("address_id") == "31.71.01.1001"
    assert float(request.findtext("lat") or 0) == MONAS[0]
    assert float(request.findtext("long") or 0) == MONAS[1]
    assert request.findtext("media_url") == ""


def test_times_are_w3c_with_the_jakarta_offset_and_due_after_the_sla(
    client: TestClient, api_key: str
) -> None:
    ticket = file_request(client, api_key)
    (request,) = client.get(f"{PREFIX}/requests/{ticket}.json").json()
    requested = datetime.fromisoformat(request["requested_datetime"])
    assert request["requested_datetime"].endswith("+07:00")
    assert request["updated_datetime"].endswith("+07:00")
    expected = datetime.fromisoformat(request["expected_datetime"])
    assert expected - requested == timedelta(hours=sla.DEFAULT_HOURS)
    assert abs(utcnow() - requested) < timedelta(minutes=1)


def test_expected_datetime_follows_the_category_target(client: TestClient, api_key: str) -> None:
    ticket = file_request(client, api_key, service_code="pungli")
    with db.get_sessionmaker().begin() as session:
        sla.set_target(session, "pungli", 24 * 14)
    try:
        (request,) = client.get(f"{PREFIX}/requests/{ticket}.json").json()
    finally:
        with db.get_sessionmaker().begin() as session:
            sla.set_target(session, "pungli", sla.DEFAULT_HOURS)
    requested = datetime.fromisoformat(request["requested_datetime"])
    expected = datetime.fromisoformat(request["expected_datetime"])
    assert expected - requested == timedelta(days=14)


@pytest.mark.parametrize(
    ("moves", "status", "notes"),
    [
        ([], "open", "Menunggu"),
        ([{"to": "koordinasi"}], "open", "Koordinasi"),
        (
            [{"to": "disposisi", "unit_code": "dlh-jaksel"}],
            "open",
            "Diteruskan ke Suku Dinas Lingkungan Hidup Jakarta Selatan",
        ),
        (
            [{"to": "disposisi"}, {"to": "proses", "note": "Petugas menuju lokasi"}],
            "open",
            "Sedang ditindaklanjuti",
        ),
        (
            [
                {"to": "disposisi"},
                {"to": "proses"},
                {"to": "selesai", "note": "Sampah sudah diangkut"},
            ],
            "closed",
            "Selesai",
        ),
        ([{"to": "ditolak", "note": "Laporan ganda"}], "closed", "Ditolak"),
    ],
)
def test_status_maps_to_open_or_closed_with_the_indonesian_label(
    client: TestClient,
    api_key: str,
    operator_headers: OperatorFactory,
    moves: list[dict[str, str]],
    status: str,
    notes: str,
) -> None:
    ticket = file_request(client, api_key)
    operator = operator_headers()
    for body in moves:
        move(client, operator, ticket, **body)
    (request,) = client.get(f"{PREFIX}/requests/{ticket}.json").json()
    assert (request["status"], request["status_notes"]) == (status, notes)
    assert (request["expected_datetime"] is None) == (notes == "Ditolak")


def test_no_reporter_data_leaves(client: TestClient, service_headers: Headers) -> None:
    ticket = file_complaint(
        client,
        service_headers,
        reporter_chat_id="555000111",
        reporter_name="Siti Rahmawati",
        description=(
            "Sampah numpuk, hubungi saya 0812-3456-7890 atau +62 21 5551234, "
            "email siti.r@example.com, NIK 3174012345678901. Tanggal 01-12-2026, Rp 50.000"
        ),
        latitude=MONAS[0],
        longitude=MONAS[1],
        address="Jl. Rumah Saya no 12 RT 005",
    )["ticket_id"]
    for fmt in ("xml", "json"):
        for url in (f"{PREFIX}/requests/{ticket}.{fmt}", f"{PREFIX}/requests.{fmt}"):
            body = client.get(url).text
            assert ticket in body
            for private in (
                "555000111",
                "Siti",
                "Rahmawati",
                "3456",
                "5551234",
                "siti.r@",
                "3174012345678901",
                "Rumah Saya",
                "telegram",
            ):
                assert private not in body, (private, url)
            assert "[disamarkan]" in body
            assert "Tanggal 01-12-2026, Rp 50.000" in body


def test_sensitive_categories_publish_neither_description_nor_pin(
    client: TestClient, api_key: str
) -> None:
    ticket = file_request(
        client, api_key, service_code="bansos", description="KJP anak saya belum cair"
    )
    (request,) = client.get(f"{PREFIX}/requests/{ticket}.json").json()
    assert request["description"] is None
    assert request["lat"] is None
    assert request["long"] is None
    assert request["address"] == "Kelurahan Gambir, Kecamatan Gambir, Jakarta Pusat, DKI Jakarta"


def test_markup_in_descriptions_is_escaped_in_xml(client: TestClient, api_key: str) -> None:
    text = "<script>alert('x')</script> & sampah\x07 <b>numpuk</b>"
    ticket = file_request(client, api_key, description=text)
    reply = client.get(f"{PREFIX}/requests/{ticket}.xml")
    assert b"<script>" not in reply.content
    (request,) = parse(reply).findall("request")
    assert request.findtext("description") == text.replace("\x07", "")
    assert client.get(f"{PREFIX}/requests/{ticket}.json").json()[0]["description"] == text


def test_single_request_accepts_a_loosely_typed_ticket(client: TestClient, api_key: str) -> None:
    ticket = file_request(client, api_key)
    loose = ticket.lower().replace("-", "")
    (request,) = client.get(f"{PREFIX}/requests/{loose}.json").json()
    assert request["service_request_id"] == ticket


@pytest.mark.parametrize("missing", ["JKT-0000-0000", "not-a-ticket"])
def test_unknown_request_is_404(client: TestClient, missing: str) -> None:
    for fmt in ("xml", "json"):
        reply = client.get(f"{PREFIX}/requests/{missing}.{fmt}")
        assert reply.status_code == 404
        assert errors_of(reply) == [
            {"code": 404, "description": f"service_request_id {missing!r} was not found"}
        ]


def test_filter_by_ids_overrides_the_other_arguments(client: TestClient, api_key: str) -> None:
    first = file_request(client, api_key)
    second = file_request(client, api_key, service_code="banjir")
    set_created_at(first, utcnow() - timedelta(days=400))
    query = f"?service_request_id={second},{first},JKT-0000-0000&service_code=pohon&status=closed"
    assert ids(client, query) == [second, first]
    reply = client.get(f"{PREFIX}/requests.json?service_request_id=nope")
    assert reply.status_code == 400


def test_filter_by_service_code_list(client: TestClient, api_key: str) -> None:
    sampah = file_request(client, api_key)
    banjir = file_request(client, api_key, service_code="banjir")
    file_request(client, api_key, service_code="jalan_rusak")
    assert ids(client, "?service_code=sampah,banjir") == [banjir, sampah]
    assert ids(client, "?service_code=sampah&service_code=banjir") == [banjir, sampah]
    assert ids(client, "?service_code=kucing") == []


def test_filter_by_status(
    client: TestClient, api_key: str, operator_headers: OperatorFactory
) -> None:
    still_open = file_request(client, api_key)
    rejected = file_request(client, api_key)
    move(client, operator_headers(), rejected, to="ditolak", note="Bukan wewenang DKI")
    assert ids(client, "?status=open") == [still_open]
    assert ids(client, "?status=closed") == [rejected]
    assert set(ids(client, "?status=open,closed")) == {still_open, rejected}
    assert set(ids(client, "?status=")) == {still_open, rejected}
    reply = client.get(f"{PREFIX}/requests.xml?status=selesai")
    assert reply.status_code == 400
    assert errors_of(reply) == [
        {"code": 400, "description": "status 'selesai' is not one of: open, closed"}
    ]


def test_dates_default_to_the_last_90_days(client: TestClient, api_key: str) -> None:
    recent = file_request(client, api_key)
    old = file_request(client, api_key)
    set_created_at(old, utcnow() - timedelta(days=91))
    assert ids(client) == [recent]


def test_date_range_selects_by_requested_datetime(client: TestClient, api_key: str) -> None:
    tickets = {}
    for day in (1, 10, 20):
        tickets[day] = file_request(client, api_key)
        set_created_at(tickets[day], datetime.fromisoformat(f"2026-03-{day:02d}T12:00:00+07:00"))
    both = "?start_date=2026-03-05T00:00:00Z&end_date=2026-03-20T05:00:00Z"
    assert ids(client, both) == [tickets[20], tickets[10]]
    assert ids(client, "?start_date=2026-03-05T00:00:00Z&end_date=2026-03-20T04:59:59Z") == [
        tickets[10]
    ]
    assert ids(client, "?start_date=2026-03-10") == [tickets[20], tickets[10]]
    assert ids(client, "?end_date=2026-03-10") == [tickets[10], tickets[1]]
    assert ids(client, "?start_date=2026-03-01T00:00:00%2B07:00&end_date=2026-03-01") == [
        tickets[1]
    ]


@pytest.mark.parametrize(
    ("query", "description"),
    [
        (
            "?start_date=2026-01-01T00:00:00Z&end_date=2026-04-02T00:00:00Z",
            "start_date and end_date may not span more than 90 days",
        ),
        (
            "?start_date=2026-03-01T00:00:00Z&end_date=2026-02-01T00:00:00Z",
            "end_date is before start_date",
        ),
        (
            "?start_date=2026-03-01T00:00:00",
            "start_date must use the W3C format, eg 2010-01-01T00:00:00Z",
        ),
        ("?end_date=kemarin", "end_date must use the W3C format, eg 2010-01-01T00:00:00Z"),
    ],
)
def test_bad_dates_are_400(client: TestClient, query: str, description: str) -> None:
    reply = client.get(f"{PREFIX}/requests.json{query}")
    assert reply.status_code == 400
    assert errors_of(reply) == [{"code": 400, "description": description}]


def test_at_most_the_limit_is_returned_newest_first(
    client: TestClient, api_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queries, "MAX_RESULTS", 2)
    tickets = [file_request(client, api_key) for _ in range(3)]
    for age, ticket in zip((3, 2, 1), tickets, strict=True):
        set_created_at(ticket, utcnow() - timedelta(hours=age))
    assert ids(client) == [tickets[2], tickets[1]]


def test_media_url_only_for_publishable_photos(
    client: TestClient, service_headers: Headers
) -> None:
    first = upload(client, service_headers, image_bytes("JPEG")).json()["photo_id"]
    second = upload(client, service_headers, image_bytes("PNG")).json()["photo_id"]
    loose = upload(client, service_headers, image_bytes("JPEG")).json()["photo_id"]
    ticket = file_complaint(client, service_headers, photo_ids=[first, second])["ticket_id"]
    (request,) = client.get(f"{PREFIX}/requests/{ticket}.json").json()
    assert request["media_url"] is None
    for photo_id in (first, second):
        assert client.get(f"{PREFIX}/media/{photo_id}").status_code == 404

    with db.get_sessionmaker().begin() as session:
        photos.set_publishable(session, second, True)
        photos.set_publishable(session, loose, True)  # published but on no complaint
    (request,) = client.get(f"{PREFIX}/requests/{ticket}.json").json()
    assert request["media_url"] == f"http://testserver{PREFIX}/media/{second}"
    image = client.get(request["media_url"])
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/png"
    assert image.headers["x-content-type-options"] == "nosniff"
    assert client.get(f"{PREFIX}/media/{first}").status_code == 404
    assert client.get(f"{PREFIX}/media/{loose}").status_code == 404
    assert client.get(f"{PREFIX}/media/..%2F..%2Fetc").status_code == 404


def test_media_url_given_by_a_client_is_not_published(client: TestClient, api_key: str) -> None:
    ticket = file_request(client, api_key, media_url="https://example.org/private.jpg")
    (request,) = client.get(f"{PREFIX}/requests/{ticket}.json").json()
    assert request["media_url"] is None
    assert stored(ticket).channel.value == "api"


def test_json_is_the_spark_mapping_of_the_xml(client: TestClient, api_key: str) -> None:
    file_request(client, api_key)
    file_request(client, api_key, service_code="bansos", description="KJP belum cair")
    xml = parse(client.get(f"{PREFIX}/requests.xml"))
    as_json = client.get(f"{PREFIX}/requests.json").json()
    assert len(as_json) == len(xml) == 2
    for element, request in zip(xml, as_json, strict=True):
        assert list(request) == children(element)
        for child in element:
            value = request[child.tag]
            assert (child.text or None) == (None if value is None else str(value)), child.tag


def test_page_and_page_size_walk_through_the_results(client: TestClient, api_key: str) -> None:
    tickets = [file_request(client, api_key) for _ in range(3)]
    for age, ticket in zip((3, 2, 1), tickets, strict=True):
        set_created_at(ticket, utcnow() - timedelta(hours=age))
    assert ids(client, "?page_size=2") == [tickets[2], tickets[1]]
    assert ids(client, "?page_size=2&page=2") == [tickets[0]]
    assert ids(client, "?page_size=2&page=3") == []
    for bad in ("page=0", "page_size=1001", "page=x"):
        reply = client.get(f"{PREFIX}/requests.json?{bad}")
        assert reply.status_code == 400, bad
