"""The public page in a real browser: figures, a kelurahan choropleth without pins, no login."""

from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, Watch
from tests.browser.test_console import _shot


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
