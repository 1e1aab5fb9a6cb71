"""An officer at work in a real browser: log in, queue, complaint page, moves, posko."""

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, Watch, log_in

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def result_photo(tmp_path: Path) -> Path:
    path = tmp_path / "hasil.jpg"
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (40, 140, 60)).save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


def test_wrong_password_is_explained(page: Page) -> None:
    log_in(page, "operator", "bukan sandinya")
    expect(page.get_by_role("alert")).to_have_text("Nama pengguna atau kata sandi salah.")
    expect(page).to_have_url(re.compile(r"/console/login$"))
    _shot(page, "login-refused")


def test_officer_works_a_complaint_from_menunggu_to_selesai(
    page: Page, server: Server, watch: Watch, result_photo: Path
) -> None:
    ticket = server.file_complaint()
    log_in(page, "operator")
    expect(page.get_by_role("heading", name="Antrean laporan")).to_be_visible()
    _shot(page, "queue")
    page.get_by_role("link", name=ticket).click()
    expect(page.get_by_role("heading", name=ticket)).to_be_visible()
    expect(page.locator("#kelurahan")).to_have_text("Gambir")
    expect(page.locator("#map .leaflet-marker-icon")).to_be_visible()  # the pin, without tiles

    page.get_by_role("button", name="Koordinasi").click()
    expect(page.get_by_role("status")).to_have_text("Status diubah ke Koordinasi.")
    expect(page.locator(".complaint-head .badge")).to_have_text("Koordinasi")

    page.get_by_label("Unit tujuan").select_option(
        label="Suku Dinas Lingkungan Hidup Jakarta Selatan"
    )
    page.get_by_role("button", name="Disposisi ke unit").click()
    expect(page.locator("#unit")).to_have_text("Suku Dinas Lingkungan Hidup Jakarta Selatan")

    page.get_by_label("Catatan", exact=False).first.fill("Petugas kebersihan menuju lokasi")
    page.get_by_role("button", name="Tindak lanjuti (Proses)").click()
    expect(page.locator(".complaint-head .badge")).to_have_text("Proses")

    page.get_by_role("button", name="Selesai", exact=True).click()  # no note yet: refused, nicely
    expect(page.get_by_role("alert")).to_have_text("Catatan wajib diisi untuk status Selesai.")
    _shot(page, "complaint-note-required")
    assert server.status_of(ticket) == "proses"

    page.locator("textarea[name=note]").fill("Sampah sudah diangkut truk pagi ini")
    page.locator("input[name=photo]").set_input_files(str(result_photo))
    page.get_by_role("button", name="Selesai", exact=True).click()
    expect(page.locator(".complaint-head .badge")).to_have_text("Selesai")
    history = page.locator("#riwayat tbody tr")
    expect(history).to_have_count(5)
    expect(history.last).to_contain_text("Sampah sudah diangkut truk pagi ini")
    expect(history.last).to_contain_text("operator")
    photo = page.locator(".photos img").first
    expect(photo).to_be_visible()
    photo.scroll_into_view_if_needed()  # the thumbnails load lazily
    page.wait_for_function(
        "() => { const i = document.querySelector('.photos img'); return i && i.complete; }"
    )
    assert photo.evaluate("img => img.naturalWidth") == 320
    expect(page.get_by_role("button", name="Buka kembali (Proses)")).to_be_visible()
    _shot(page, "complaint-selesai")
    assert server.status_of(ticket) == "selesai"
    assert watch.errors == []
    assert watch.outside == []


def test_a_script_in_a_description_stays_text(page: Page, server: Server, watch: Watch) -> None:
    evil = '<script>alert("xss")</script><img src=x onerror="alert(2)">'
    ticket = server.file_complaint(description=evil)
    log_in(page, "operator")
    page.goto(f"/console/complaints/{ticket}")
    expect(page.locator("#description")).to_have_text(evil)
    page.goto("/console/queue")
    expect(page.get_by_role("link", name=ticket)).to_be_visible()
    assert watch.dialogs == []


def test_walk_in_desk_files_a_complaint_and_gives_the_ticket(
    page: Page, server: Server, watch: Watch
) -> None:
    log_in(page, "operator")
    page.get_by_role("link", name="Posko").click()
    page.get_by_label("Kategori").select_option(label="Jalan & Trotoar Rusak")
    page.get_by_label("Uraian masalah").fill("Trotoar ambles di depan halte, bahaya untuk lansia")
    page.get_by_label("Alamat atau patokan").fill("Jl. Cempaka Putih Raya")
    page.get_by_label("Nomor WhatsApp untuk kabar status").fill("0812-1111-2222")
    page.get_by_role("button", name="Simpan laporan").click()
    expect(page.get_by_role("alert")).to_contain_text("pilih salah satu")
    page.get_by_label("Cempaka Putih Timur", exact=False).check()
    page.get_by_role("button", name="Simpan laporan").click()
    banner = page.get_by_role("status")
    expect(banner).to_contain_text("Laporan tercatat dengan tiket")
    _shot(page, "desk-filed")
    ticket = page.locator("#filed-ticket").inner_text()
    assert re.fullmatch(r"JKT-[0-9A-Z]{4}-[0-9A-Z]{4}", ticket)
    banner.get_by_role("link", name="Buka laporan").click()
    expect(page.locator("#kelurahan")).to_have_text("Cempaka Putih Timur")
    expect(page.locator(".facts").first).to_contain_text("Posko (langsung)")
    expect(page.locator(".facts").first).to_contain_text("kabar status lewat WhatsApp")
    assert watch.errors == []


def test_agency_officer_does_not_see_other_units_work(page: Page, server: Server) -> None:
    own = server.file_complaint()  # Monas: Jakarta Pusat, rubbish → dlh-jakpus
    other = server.file_complaint(category="pkl")
    log_in(page, "dlh.jakpus")
    expect(page.get_by_role("link", name=own)).to_be_visible()
    expect(page.get_by_role("link", name=other)).to_have_count(0)
    page.goto(f"/console/complaints/{other}")
    expect(page.get_by_role("heading", name="Laporan tidak ditemukan")).to_be_visible()


def test_logout_returns_to_the_login_page(page: Page) -> None:
    log_in(page, "admin")
    page.get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(re.compile(r"/console/login$"))
    page.goto("/console/queue")
    expect(page).to_have_url(re.compile(r"/console/login\?next="))


def test_admin_adds_an_agency_officer_who_then_works_only_their_unit(
    page: Page, server: Server, watch: Watch
) -> None:
    log_in(page, "admin")
    page.get_by_role("link", name="Petugas", exact=True).click()
    form = page.locator("form", has=page.get_by_role("button", name="Buat akun"))
    form.get_by_label("Nama pengguna").fill("sda.jaksel")
    form.get_by_label("Kata sandi awal").fill("sandi awal sda 123")
    form.get_by_label("Peran").select_option(label="Petugas unit")
    form.locator("select[name=unit_code]").select_option(label="Suku Dinas SDA Jakarta Selatan")
    form.get_by_role("button", name="Buat akun").click()
    expect(page.get_by_role("status")).to_have_text("Akun sda.jaksel dibuat.")
    expect(page.get_by_role("cell", name="sda.jaksel")).to_be_visible()
    _shot(page, "admin-operators")
    page.get_by_role("link", name="Rute unit").click()
    page.get_by_label("Kategori").select_option(label="Banjir & Genangan")
    page.get_by_role("button", name="Tampilkan").click()
    expect(
        page.get_by_role("cell", name="Suku Dinas SDA Jakarta Selatan", exact=True)
    ).to_be_visible()
    _shot(page, "admin-routing")
    page.get_by_role("button", name="Keluar").click()

    log_in(page, "sda.jaksel", "sandi awal sda 123")
    expect(page.locator(".who")).to_contain_text("Suku Dinas SDA Jakarta Selatan")
    expect(page.get_by_role("link", name="Petugas", exact=True)).to_have_count(0)
    assert watch.errors == []


def test_with_tiles_the_desk_takes_a_pin_from_the_map(
    tiled_page: Page, tiled_server: Server, watch: Watch
) -> None:
    from backend.places import service as places

    page = tiled_page
    log_in(page, "operator")
    page.goto("/console/desk")
    picker = page.locator("#pick-map")
    expect(picker).to_be_visible()
    expect(picker.locator("img.leaflet-tile-loaded").first).to_be_visible()
    picker.click()  # the middle of the map: central Jakarta
    expect(page.locator("#pick-value")).to_contain_text("Titik: -6.")
    lat = float(page.locator("input[name=latitude]").input_value())
    lon = float(page.locator("input[name=longitude]").input_value())
    expected = places.locate(lat, lon)
    assert expected is not None

    page.get_by_label("Kategori").select_option(label="Banjir & Genangan")
    page.get_by_label("Uraian masalah").fill("Genangan setinggi lutut setiap hujan")
    page.get_by_role("button", name="Simpan laporan").click()
    page.get_by_role("status").get_by_role("link", name="Buka laporan").click()
    expect(page.locator("#kelurahan")).to_have_text(expected.kelurahan)
    expect(page.locator("#map img.leaflet-tile-loaded").first).to_be_visible()
    _shot(page, "complaint-with-tiles")
    assert watch.errors == []
    assert watch.outside == []
