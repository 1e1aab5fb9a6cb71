"""The public page in a real browser: figures, a kelurahan choropleth without pins, no login."""

import io
from pathlib import Path

import httpx
import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, Watch, log_in
from tests.browser.test_console import _shot
from tests.browser.test_kpi_page import move


@pytest.fixture
def photo_jpeg(tmp_path: Path) -> Path:
    out = io.BytesIO()
    Image.new("RGB", (160, 120), (30, 90, 160)).save(out, "JPEG")
    path = tmp_path / "foto.jpg"
    path.write_bytes(out.getvalue())
    return path


def test_the_public_page_shows_figures_and_the_map(
    page: Page, server: Server, watch: Watch
) -> None:
    ticket = server.file_complaint(reporter_chat_id="6281277770000", reporter_name="Siti Aminah")
    server.file_complaint(latitude=-6.2444, longitude=106.8000, reporter_chat_id="6281277770001")
    page.goto("/")
    expect(page).to_have_url(f"{server.url}/publik")
    expect(
        page.get_by_role("heading", name="Bagaimana aduan warga Jakarta ditangani")
    ).to_be_visible()
    expect(page.locator("#kpi-total")).to_have_text("2")
    expect(page.locator("svg.chart")).to_have_count(3)

    expect(page.locator("#peta")).to_have_attribute("data-loaded", "267")
    shapes = page.locator("#peta .leaflet-overlay-pane path")
    expect(shapes).to_have_count(267)
    expect(page.locator("#peta .leaflet-marker-icon")).to_have_count(0)
    filled = {shapes.nth(i).get_attribute("fill") for i in range(shapes.count())}
    assert len(filled) == 2  # kelurahan with no complaint, and the two with one each
    expect(page.locator("#peta-legenda li")).to_have_count(2)
    expect(page.locator("#kelurahan-teratas")).to_contain_text("Gambir")
    _shot(page, "public")

    html = page.content()
    assert "6281277770000" not in html
    assert "Siti Aminah" not in html
    assert ticket not in html  # not resolved: not listed
    assert watch.errors == []
    assert watch.outside == []


def test_a_photo_appears_publicly_only_after_an_officer_publishes_it(
    page: Page, server: Server, watch: Watch, photo_jpeg: Path
) -> None:
    uploaded = httpx.post(
        f"{server.url}/api/v1/photos",
        files={"file": ("foto.jpg", photo_jpeg.read_bytes(), "image/jpeg")},
        headers={"Authorization": f"Bearer {server.service_token}"},
        timeout=10,
    )
    photo_id = uploaded.json()["photo_id"]
    ticket = server.file_complaint(photo_ids=[photo_id], reporter_chat_id="6281277770002")
    for to in ("disposisi", "proses"):
        move(server, ticket, to)
    move(server, ticket, "selesai", "Sudah dibersihkan")
    media = f"{server.url}/open311/v2/media/{photo_id}"
    assert httpx.get(media, timeout=10).status_code == 404

    log_in(page, "operator")
    page.goto(f"/console/complaints/{ticket}")
    page.get_by_role("button", name="Tampilkan di halaman publik").click()
    expect(page.get_by_role("button", name="Sembunyikan dari publik")).to_be_visible()
    assert httpx.get(media, timeout=10).status_code == 200

    page.goto("/publik?hari=7")  # another period than the first test: not in the cache
    listed = page.locator("#baru-selesai li", has_text=ticket)
    expect(listed).to_be_visible()
    image = listed.locator("img")
    expect(image).to_have_attribute("src", f"/open311/v2/media/{photo_id}")
    image.scroll_into_view_if_needed()  # loading="lazy"
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") > 0
    assert watch.errors == []
    assert watch.outside == []
