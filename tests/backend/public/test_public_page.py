"""The public page: the figures without login, a kelurahan choropleth, and nothing personal."""

import io
import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy.orm import Session

from backend.complaints.models import Status
from backend.db import utcnow
from backend.photos import service as photos
from backend.public import service as public
from backend.public.cache import TtlCache
from tests.backend.kpi.builders import GAMBIR, MELAWAI, complaint

CHAT_ID = "6281299887766"
NAME = "Budi Santoso"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    public.cache.clear()
    yield
    public.cache.clear()


@pytest.fixture
def filed(session: Session) -> dict[str, str]:
    """Three recent complaints (two in Gambir, one in Melawai), one resolved, with photos."""
    start = utcnow() - timedelta(days=2)
    done = complaint(
        session,
        start,
        chat_id=CHAT_ID,
        moves=[
            (Status.DISPOSISI, start + timedelta(hours=1)),
            (Status.PROSES, start + timedelta(hours=2)),
            (Status.SELESAI, start + timedelta(hours=5)),
        ],
    )
    done.reporter.display_name = NAME  # type: ignore[union-attr]
    complaint(session, start, chat_id=CHAT_ID)
    complaint(session, start, pin=MELAWAI, category="banjir")
    shown, hidden = (_photo(session, done.id) for _ in range(2))
    photos.set_publishable(session, shown, True)
    session.commit()
    return {"ticket": done.ticket_id, "shown": shown, "hidden": hidden}


def _photo(session: Session, complaint_id: int) -> str:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (90, 90, 90)).save(out, "PNG")
    photo_id = photos.store(session, out.getvalue()).photo.id
    photos.attach(session, [photo_id], complaint_id)
    return photo_id


def test_the_root_leads_to_the_public_page(app_client: TestClient) -> None:
    reply = app_client.get("/", follow_redirects=False)
    assert reply.status_code == 307
    assert reply.headers["location"] == "/publik"


def test_the_page_shows_the_figures_without_login(
    app_client: TestClient, filed: dict[str, str]
) -> None:
    reply = app_client.get("/publik")
    assert reply.status_code == 200
    html = reply.text
    assert '<dd id="kpi-total">3</dd>' in html
    assert html.count('<svg class="chart') == 3
    assert "<td>Gambir</td><td>Jakarta Pusat</td><td>2</td>" in html
    assert "script-src 'self'" in reply.headers["content-security-policy"]


def test_no_personal_data_and_no_pins(app_client: TestClient, filed: dict[str, str]) -> None:
    html = app_client.get("/publik").text
    geo = app_client.get("/publik/peta.geojson").text
    for text in (html, geo):
        assert CHAT_ID not in text
        assert NAME not in text
        assert "Laporan uji" not in text  # descriptions stay private
        assert "leaflet-marker" not in text
    assert str(GAMBIR[0]) not in html  # the pin (the map's polygons may share digits)
    assert '"Point"' not in geo


def test_only_publishable_photos_are_shown(app_client: TestClient, filed: dict[str, str]) -> None:
    html = app_client.get("/publik").text
    assert filed["ticket"] in html
    assert f"/open311/v2/media/{filed['shown']}" in html
    assert filed["hidden"] not in html
    assert app_client.get(f"/open311/v2/media/{filed['shown']}").status_code == 200
    assert app_client.get(f"/open311/v2/media/{filed['hidden']}").status_code == 404


def test_the_map_counts_complaints_per_kelurahan(
    app_client: TestClient, filed: dict[str, str]
) -> None:
    reply = app_client.get("/publik/peta.geojson?hari=7")
    assert reply.headers["content-type"] == "application/geo+json"
    data = json.loads(reply.content)
    counts = {f["properties"]["kode"]: f["properties"]["jumlah"] for f in data["features"]}
    assert len(counts) == 267
    assert counts["31.71.01.1001"] == 2
    assert counts["31.74.07.1001"] == 1
    assert sum(counts.values()) == 3
    assert {f["geometry"]["type"] for f in data["features"]} <= {"Polygon", "MultiPolygon"}
    assert data["breaks"] == [1, 2]
    assert set(data["features"][0]["properties"]) == {"kode", "nama", "kecamatan", "kota", "jumlah"}


def test_figures_are_cached_for_a_minute(
    app_client: TestClient, filed: dict[str, str], session: Session
) -> None:
    assert '<dd id="kpi-total">3</dd>' in app_client.get("/publik").text
    complaint(session, utcnow())
    session.commit()
    assert '<dd id="kpi-total">3</dd>' in app_client.get("/publik").text
    public.cache.clear()
    assert '<dd id="kpi-total">4</dd>' in app_client.get("/publik").text


def test_an_unknown_period_falls_back_to_30_days(app_client: TestClient) -> None:
    html = app_client.get("/publik?hari=9999").text
    assert 'href="?hari=30" class="on"' in html


def test_the_cache_expires() -> None:
    clock = [0.0]
    cache = TtlCache(60, clock=lambda: clock[0])
    calls: list[int] = []
    assert cache.get("k", lambda: calls.append(1) or len(calls)) == 1
    clock[0] = 59
    assert cache.get("k", lambda: calls.append(1) or len(calls)) == 1
    clock[0] = 61
    assert cache.get("k", lambda: calls.append(1) or len(calls)) == 2


def test_static_files_are_only_the_shipped_ones(app_client: TestClient) -> None:
    assert app_client.get("/publik/static/publik.js").status_code == 200
    assert app_client.get("/publik/static/..%2Fapi.py").status_code == 404
