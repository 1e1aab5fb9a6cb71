"""The console's KPI page in a real browser: figures, SVG charts, CSV download, nothing external."""

import httpx
from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD, Server, Watch, log_in
from tests.browser.test_console import _shot


def move(server: Server, ticket: str, to: str, note: str = "") -> None:
    login = httpx.post(
        f"{server.url}/api/v1/auth/login",
        json={"username": "operator", "password": PASSWORD},
        timeout=10,
    )
    token = login.json()["access_token"]
    reply = httpx.post(
        f"{server.url}/api/v1/complaints/{ticket}/transitions",
        json={"to": to, "note": note},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert reply.status_code == 200, reply.text


def test_an_officer_reads_the_kpi_page_and_downloads_the_csv(
    page: Page, server: Server, watch: Watch
) -> None:
    first = server.file_complaint()
    server.file_complaint(category="banjir", channel="whatsapp", reporter_chat_id="6281200001")
    for to in ("disposisi", "proses"):
        move(server, first, to)
    move(server, first, "selesai", "Sudah diangkut")

    log_in(page, "operator")
    page.get_by_role("link", name="Angka kinerja").click()
    expect(page.get_by_role("heading", name="Angka kinerja")).to_be_visible()
    expect(page.locator("#kpi-total")).to_have_text("2")
    expect(page.locator("svg.chart")).to_have_count(3)
    expect(page.locator("svg.chart.per-day rect").first).to_be_visible()
    expect(page.locator("#per-kanal")).to_contain_text("WhatsApp")
    expect(page.locator("#sla-kota")).to_contain_text("Jakarta Pusat")
    _shot(page, "kpi")

    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh daftar laporan (CSV)").click()
    lines = download.value.path().read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("ticket,category,status,channel,kota")
    assert len(lines) == 3
    assert "6281200001" not in "".join(lines)
    assert watch.errors == []
    assert watch.outside == []


def test_an_agency_user_sees_only_its_unit(page: Page, server: Server, watch: Watch) -> None:
    server.file_complaint(category="banjir", reporter_chat_id="6281200002")
    log_in(page, "dlh.jakpus")
    page.goto("/console/kpi")
    expect(page.get_by_role("heading", name="Angka kinerja")).to_contain_text(
        "Suku Dinas Lingkungan Hidup Jakarta Pusat"
    )
    expect(page.locator("#per-kategori")).not_to_contain_text("Banjir")
    assert watch.errors == []
