"""POST requests: filing through Open311, its API key, and every refusal storing nothing."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.complaints.models import Channel, Complaint, Reporter, StatusChange
from backend.open311.api import PREFIX
from backend.open311.models import Open311Submission
from tests.backend.open311.conftest import (
    JAKARTA_PIN,
    children,
    errors_of,
    file_request,
    parse,
    post_request,
    stored,
)
from tests.conftest import OperatorFactory

# The specification's example request, moved to Jakarta.
SPEC_EXAMPLE = {
    "jurisdiction_id": "jakarta.go.id",
    "service_code": "jalan_rusak",
    "lat": "-6.2607",
    "long": "106.8137",
    "address_string": "Jl. Kemang Raya no 5, Bangka, Mampang Prapatan",
    "email": "smit333@example.org",
    "device_id": "tt222111",
    "account_id": "123456",
    "first_name": "john",
    "last_name": "smith",
    "phone": "111111111",
    "description": "A large sinkhole is destroying the street",
    "media_url": "http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg",
}


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def assert_nothing_stored(session: Session) -> None:
    for model in (Complaint, StatusChange, Reporter, Open311Submission):
        assert count(session, model) == 0, model


def test_spec_example_request_files_a_complaint_and_answers_in_xml(
    client: TestClient, api_key: str, session: Session
) -> None:
    reply = post_request(client, "xml", api_key=api_key, **SPEC_EXAMPLE)
    assert reply.status_code == 200, reply.text
    root = parse(reply)
    assert root.tag == "service_requests"
    request = root.find("request")
    assert request is not None
    assert children(request) == ["service_request_id", "service_notice", "account_id"]
    ticket = request.findtext("service_request_id")
    assert ticket is not None
    assert ticket.startswith("JKT-")
    assert "Target penyelesaian" in (request.findtext("service_notice") or "")
    assert request.findtext("account_id") == ""
    complaint = session.scalar(select(Complaint).where(Complaint.ticket_id == ticket))
    assert complaint is not None
    assert complaint.channel is Channel.API
    assert complaint.category_code == "jalan_rusak"
    assert complaint.kelurahan == "Bangka"
    assert complaint.reporter_id is None
    assert complaint.address == SPEC_EXAMPLE["address_string"]
    submission = session.scalar(select(Open311Submission))
    assert submission is not None
    assert submission.media_url == SPEC_EXAMPLE["media_url"]


def test_reporter_details_sent_by_a_client_are_not_stored(
    client: TestClient, api_key: str, session: Session
) -> None:
    file_request(client, api_key, **SPEC_EXAMPLE)
    assert count(session, Reporter) == 0
    complaint = session.scalars(select(Complaint)).one()
    stored = " ".join(str(v) for v in vars(complaint).values())
    for private in ("smit333", "john", "smith", "111111111", "tt222111", "123456"):
        assert private not in stored


def test_json_answer_is_a_list_like_the_spec_example(client: TestClient, api_key: str) -> None:
    reply = post_request(client, "json", api_key=api_key, **SPEC_EXAMPLE)
    body = reply.json()
    assert isinstance(body, list)
    assert list(body[0]) == ["service_request_id", "service_notice", "account_id"]
    assert body[0]["account_id"] is None


@pytest.mark.parametrize(
    ("key", "description"),
    [
        (None, "api_key was not provided -- can't proceed with create_request."),
        ("xyz", "Invalid api_key received -- can't proceed with create_request."),
    ],
)
def test_api_key_is_required_403_as_in_the_spec(
    client: TestClient, session: Session, key: str | None, description: str
) -> None:
    form = dict(SPEC_EXAMPLE, **({"api_key": key} if key else {}))
    for fmt in ("xml", "json"):
        reply = post_request(client, fmt, **form)
        assert reply.status_code == 403
        assert errors_of(reply) == [{"code": 403, "description": description}]
    assert_nothing_stored(session)


def test_operator_tokens_are_not_api_keys(
    client: TestClient, operator_headers: OperatorFactory, session: Session
) -> None:
    headers = operator_headers()
    token = headers["Authorization"].removeprefix("Bearer ")
    reply = post_request(client, "json", api_key=token, **SPEC_EXAMPLE)
    assert reply.status_code == 403
    assert_nothing_stored(session)


def test_api_key_may_come_in_the_query(client: TestClient, api_key: str) -> None:
    reply = client.post(f"{PREFIX}/requests.json?api_key={api_key}", data=SPEC_EXAMPLE)
    assert reply.status_code == 200


def test_missing_service_code_is_400_and_unknown_is_404(
    client: TestClient, api_key: str, session: Session
) -> None:
    form = {k: v for k, v in SPEC_EXAMPLE.items() if k != "service_code"}
    reply = post_request(client, "json", api_key=api_key, **form)
    assert reply.status_code == 400
    assert errors_of(reply) == [{"code": 400, "description": "service_code was not provided"}]
    reply = post_request(client, "xml", api_key=api_key, **dict(form, service_code="kucing"))
    assert reply.status_code == 404
    assert errors_of(reply) == [{"code": 404, "description": "service_code 'kucing' was not found"}]
    assert_nothing_stored(session)


@pytest.mark.parametrize(
    ("lat", "long", "expected"),
    [
        ("abc", "106.8", "lat & long must be decimal degrees (WGS84)"),
        ("nan", "106.8", "lat must be within -90..90 and long within -180..180"),
        ("-96.2", "106.8", "lat must be within -90..90 and long within -180..180"),
        ("-6.2", "", "lat & long both need to be sent"),
        ("-6.9175", "107.6191", "the location is outside DKI Jakarta"),  # Bandung
    ],
)
def test_bad_or_foreign_pins_are_400_and_store_nothing(
    client: TestClient, api_key: str, session: Session, lat: str, long: str, expected: str
) -> None:
    form = {k: v for k, v in SPEC_EXAMPLE.items() if k not in ("address_string",)}
    reply = post_request(client, "json", api_key=api_key, **dict(form, lat=lat, long=long))
    assert reply.status_code == 400
    assert errors_of(reply) == [{"code": 400, "description": expected}]
    assert_nothing_stored(session)


def test_a_location_is_required(client: TestClient, api_key: str, session: Session) -> None:
    reply = post_request(
        client, "json", api_key=api_key, service_code="sampah", description="numpuk"
    )
    assert reply.status_code == 400
    assert "a location is required" in errors_of(reply)[0]["description"]
    assert_nothing_stored(session)


def test_address_string_alone_is_used_when_it_names_one_kelurahan(
    client: TestClient, api_key: str, session: Session
) -> None:
    ticket = file_request(client, api_key, lat="", long="", address_string="Kebon Jeruk")
    complaint = session.scalar(select(Complaint).where(Complaint.ticket_id == ticket))
    assert complaint is not None
    assert complaint.kelurahan_code == "31.73.05.1001"
    assert complaint.latitude is None


def test_unclear_address_string_is_400_with_candidates(
    client: TestClient, api_key: str, session: Session
) -> None:
    reply = post_request(
        client,
        "json",
        api_key=api_key,
        service_code="sampah",
        description="numpuk",
        address_string="Kelapa Gading",
    )
    assert reply.status_code == 400
    description = errors_of(reply)[0]["description"]
    assert "Kelapa Gading Timur (31.72.06.1001)" in description
    assert_nothing_stored(session)


def test_address_id_is_a_kelurahan_code(client: TestClient, api_key: str, session: Session) -> None:
    complaint = stored(file_request(client, api_key, lat="", long="", address_id="31.74.04.1001"))
    assert complaint.kelurahan == "Pasar Minggu"
    assert complaint.kota == "Jakarta Selatan"
    reply = post_request(
        client, "json", api_key=api_key, service_code="sampah", description="x", address_id="99"
    )
    assert reply.status_code == 400


def test_several_problems_are_reported_together(
    client: TestClient, api_key: str, session: Session
) -> None:
    reply = post_request(
        client,
        "xml",
        api_key=api_key,
        service_code="sampah",
        description="x" * 4001,
        media_url="javascript:alert(1)",
    )
    assert reply.status_code == 400
    assert [e["description"] for e in errors_of(reply)] == [
        "description may have at most 4000 characters",
        "a location is required: lat & long, address_string or address_id",
        "media_url must be an http or https URL",
    ]
    assert_nothing_stored(session)


def test_blank_description_is_refused(client: TestClient, api_key: str, session: Session) -> None:
    reply = post_request(
        client, "json", api_key=api_key, service_code="sampah", description="  ", **JAKARTA_PIN
    )
    assert reply.status_code == 400
    assert_nothing_stored(session)


def test_required_attribute_is_enforced(client: TestClient, api_key: str, session: Session) -> None:
    form = {"api_key": api_key, "service_code": "pohon", "description": "pohon", **JAKARTA_PIN}
    reply = post_request(client, "json", **form)
    assert reply.status_code == 400
    assert errors_of(reply) == [{"code": 400, "description": "attribute KONDISI_POHON is required"}]
    reply = post_request(client, "json", **form, **{"attribute[KONDISI_POHON]": "terbang"})
    assert reply.status_code == 400
    assert "must be one of" in errors_of(reply)[0]["description"]
    reply = post_request(client, "json", **form, **{"attribute[WARNA]": "hijau"})
    assert "attribute WARNA is not part of this service" in [
        e["description"] for e in errors_of(reply)
    ]
    assert_nothing_stored(session)


def test_attribute_answers_reach_the_officers(
    client: TestClient, api_key: str, session: Session
) -> None:
    ticket = file_request(
        client,
        api_key,
        service_code="pohon",
        description="Pohon besar di pinggir jalan",
        **{"attribute[KONDISI_POHON]": "tumbang", "attribute[MENGHALANGI_JALAN]": "ya"},
    )
    complaint = session.scalar(select(Complaint).where(Complaint.ticket_id == ticket))
    assert complaint is not None
    assert complaint.description.endswith(
        "Kondisi pohon atau taman: Sudah tumbang\nApakah menghalangi jalan?: Ya"
    )
    submission = session.scalar(select(Open311Submission))
    assert submission is not None
    assert submission.attributes == {"KONDISI_POHON": ["tumbang"], "MENGHALANGI_JALAN": ["ya"]}


def test_number_attribute_must_be_a_number(client: TestClient, api_key: str) -> None:
    form = {"api_key": api_key, "service_code": "banjir", "description": "banjir", **JAKARTA_PIN}
    reply = post_request(client, "json", **form, **{"attribute[KETINGGIAN_AIR]": "selutut"})
    assert errors_of(reply) == [
        {"code": 400, "description": "attribute KETINGGIAN_AIR must be a number"}
    ]
    assert post_request(client, "json", **form, **{"attribute[KETINGGIAN_AIR]": "30"}).is_success


def test_retry_with_the_same_idempotency_key_files_once(
    client: TestClient, api_key: str, session: Session
) -> None:
    form = dict(SPEC_EXAMPLE, api_key=api_key)
    headers = {"Idempotency-Key": "open311-retry-1"}
    first = client.post(f"{PREFIX}/requests.json", data=form, headers=headers).json()
    second = client.post(f"{PREFIX}/requests.json", data=form, headers=headers).json()
    assert first[0]["service_request_id"] == second[0]["service_request_id"]
    assert count(session, Complaint) == 1
    assert count(session, Open311Submission) == 1


def test_a_failure_after_filing_rolls_the_complaint_back(
    client: TestClient, api_key: str, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from backend.complaints import service as complaints
    from backend.open311 import service
    from backend.open311.exceptions import BadRequest

    real = complaints.file_complaint

    def file_then_fail(*args: object, **kwargs: object) -> object:
        real(*args, **kwargs)  # type: ignore[arg-type]
        raise BadRequest("the CRM is down")

    monkeypatch.setattr(service.complaints, "file_complaint", file_then_fail)
    reply = post_request(client, "json", api_key=api_key, **SPEC_EXAMPLE)
    assert errors_of(reply) == [{"code": 400, "description": "the CRM is down"}]
    assert_nothing_stored(session)


def test_a_file_upload_is_refused_as_a_spec_error(
    client: TestClient, api_key: str, session: Session
) -> None:
    reply = client.post(
        f"{PREFIX}/requests.xml",
        data=dict(SPEC_EXAMPLE, api_key=api_key),
        files={"media": ("x.jpg", b"\xff\xd8", "image/jpeg")},
    )
    assert reply.status_code == 400
    assert errors_of(reply)[0]["code"] == 400
    assert_nothing_stored(session)
