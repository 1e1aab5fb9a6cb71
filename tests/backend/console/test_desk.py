"""The walk-in desk: filing for a citizen at the posko, channel `web`."""

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from backend import db
from backend.complaints.models import Channel, Complaint
from backend.console.desk import InvalidPhone, whatsapp_id
from tests.backend.console.conftest import Officer, OfficerFactory, csrf_of
from tests.backend.factories import MONAS, file_complaint
from tests.conftest import Headers


def _form(me: Officer) -> dict[str, str]:
    page = me.client.get("/console/desk").text
    key = re.search(r'name="key" value="(\w+)"', page)
    assert key is not None
    return {"csrf_token": csrf_of(page), "key": key.group(1)}


def _complaints() -> list[Complaint]:
    with db.get_sessionmaker()() as s:
        rows = list(s.scalars(select(Complaint)))
        for row in rows:
            _ = row.reporter
        return rows


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0812-3456-7890", "6281234567890"),
        ("+62 812 3456 7890", "6281234567890"),
        ("6281234567890", "6281234567890"),
        ("", None),
    ],
)
def test_whatsapp_numbers_are_read_as_typed_at_a_desk(typed: str, expected: str | None) -> None:
    assert whatsapp_id(typed) == expected


@pytest.mark.parametrize("typed", ["021-555-1234", "12345", "0812abc"])
def test_numbers_that_are_not_indonesian_mobiles_are_refused(typed: str) -> None:
    with pytest.raises(InvalidPhone):
        whatsapp_id(typed)


def test_walk_in_complaint_is_filed_on_channel_web_with_whatsapp_for_news(
    officer: OfficerFactory,
) -> None:
    me = officer()
    reply = me.client.post(
        "/console/desk",
        data={
            **_form(me),
            "category": "jalan_rusak",
            "description": "Jalan berlubang besar di depan sekolah",
            "latitude": str(MONAS[0]),
            "longitude": str(MONAS[1]),
            "name": "Bu Sari",
            "phone": "0812 3456 7890",
        },
        follow_redirects=False,
    )
    assert reply.status_code == 303
    (complaint,) = _complaints()
    assert reply.headers["location"] == f"/console/desk?filed={complaint.ticket_id}"
    assert complaint.channel is Channel.WEB
    assert complaint.kelurahan == "Gambir"
    assert complaint.reporter is not None
    assert complaint.reporter.channel is Channel.WHATSAPP
    assert complaint.reporter.chat_id == "6281234567890"
    page = me.client.get(reply.headers["location"]).text
    assert complaint.ticket_id in page


def test_a_double_submission_files_once(officer: OfficerFactory) -> None:
    me = officer()
    form = {**_form(me), "category": "sampah", "description": "Sampah menumpuk di pasar"}
    first = me.client.post("/console/desk", data=form, follow_redirects=False)
    second = me.client.post("/console/desk", data=form, follow_redirects=False)
    assert first.headers["location"] == second.headers["location"]
    assert len(_complaints()) == 1


def test_an_ambiguous_address_asks_which_kelurahan(officer: OfficerFactory) -> None:
    me = officer()
    form = {
        **_form(me),
        "category": "sampah",
        "description": "Sampah",
        "address": "Jl. Cempaka Putih",  # Cempaka Putih Timur or Barat
    }
    reply = me.client.post("/console/desk", data=form, follow_redirects=False)
    assert reply.status_code == 422
    assert "pilih salah satu" in reply.text
    codes = re.findall(r'name="kelurahan_code" value="([\d.]+)"', reply.text)
    assert len(codes) >= 2
    reply = me.client.post(
        "/console/desk", data={**form, "kelurahan_code": codes[0]}, follow_redirects=False
    )
    assert reply.status_code == 303
    (complaint,) = _complaints()
    assert complaint.kelurahan_code == codes[0]


def test_a_bad_phone_number_keeps_what_was_typed(officer: OfficerFactory) -> None:
    me = officer()
    reply = me.client.post(
        "/console/desk",
        data={
            **_form(me),
            "category": "sampah",
            "description": "Sampah <b>banyak</b>",
            "phone": "021 555",
        },
    )
    assert reply.status_code == 422
    assert "Nomor WhatsApp tidak dikenali" in reply.text
    assert "Sampah &lt;b&gt;banyak&lt;/b&gt;" in reply.text
    with db.get_sessionmaker()() as s:
        assert s.scalar(select(func.count()).select_from(Complaint)) == 0


def test_missing_description_is_explained(officer: OfficerFactory) -> None:
    me = officer()
    reply = me.client.post("/console/desk", data={**_form(me), "category": "sampah"})
    assert reply.status_code == 422
    assert "Pilih kategori dan tulis uraian laporan." in reply.text


def test_a_walk_in_photo_is_attached(officer: OfficerFactory, png: bytes) -> None:
    me = officer()
    reply = me.client.post(
        "/console/desk",
        data={**_form(me), "category": "sampah", "description": "Sampah di kali"},
        files={"photo": ("kali.png", png, "image/png")},
        follow_redirects=False,
    )
    assert reply.status_code == 303
    ticket = reply.headers["location"].split("=", 1)[1]
    page = me.client.get(f"/console/complaints/{ticket}").text
    assert "/console/photos/" in page


def test_agency_officer_filing_for_another_unit_gets_the_ticket_but_no_link(
    officer: OfficerFactory,
) -> None:
    me = officer("agency", "dlh-jakpus")
    form = {**_form(me), "category": "pkl", "description": "PKL menutup trotoar"}
    reply = me.client.post("/console/desk", data=form)
    (complaint,) = _complaints()
    assert f'id="filed-ticket">{complaint.ticket_id}<' in reply.text
    assert f"/console/complaints/{complaint.ticket_id}" not in reply.text


def test_the_filed_banner_shows_only_real_tickets(officer: OfficerFactory) -> None:
    page = officer().client.get("/console/desk?filed=Hubungi+0812+untuk+hadiah").text
    assert "Laporan tercatat" not in page
    assert "hadiah" not in page


def _near_monas(me: Officer, **extra: str) -> dict[str, str]:
    return {
        **_form(me),
        "category": "sampah",
        "description": "Sampah berserakan di trotoar",
        "latitude": str(MONAS[0] + 0.0001),  # about 11 m from the first report
        "longitude": str(MONAS[1]),
        **extra,
    }


def test_a_similar_report_nearby_is_offered_before_filing_anew(
    officer: OfficerFactory, app_client: TestClient, service_headers: Headers
) -> None:
    first = file_complaint(app_client, service_headers, latitude=MONAS[0], longitude=MONAS[1])
    me = officer()
    form = _near_monas(me)
    reply = me.client.post("/console/desk", data=form)
    assert reply.status_code == 409
    assert "Sudah ada laporan serupa di dekat lokasi ini" in reply.text
    assert first["ticket_id"] in reply.text
    assert len(_complaints()) == 1
    anyway = me.client.post(
        "/console/desk", data={**form, "file_anyway": "1"}, follow_redirects=False
    )
    assert anyway.status_code == 303
    assert len(_complaints()) == 2


def test_the_citizen_can_follow_the_nearby_report_instead(
    officer: OfficerFactory, app_client: TestClient, service_headers: Headers
) -> None:
    first = file_complaint(app_client, service_headers, latitude=MONAS[0], longitude=MONAS[1])
    ticket = first["ticket_id"]
    me = officer()
    form = _near_monas(me, phone="0813 9999 0000")
    offered = me.client.post("/console/desk", data=form)
    assert f'name="follow" value="{ticket}"' in offered.text
    reply = me.client.post("/console/desk", data={**form, "follow": ticket}, follow_redirects=False)
    assert reply.headers["location"] == f"/console/desk?followed={ticket}"
    assert (
        "akan menerima kabar status lewat WhatsApp" in me.client.get(reply.headers["location"]).text
    )
    assert len(_complaints()) == 1
    page = me.client.get(f"/console/complaints/{ticket}").text
    assert "1 warga ikut memantau" in page


def test_agency_officer_is_not_shown_other_units_reports_nearby(
    officer: OfficerFactory, app_client: TestClient, service_headers: Headers
) -> None:
    file_complaint(app_client, service_headers, latitude=MONAS[0], longitude=MONAS[1])
    me = officer("agency", "dishub-jakpus")
    reply = me.client.post("/console/desk", data=_near_monas(me), follow_redirects=False)
    assert reply.status_code == 303  # filed: the rubbish report nearby is dlh-jakpus's
    assert len(_complaints()) == 2
