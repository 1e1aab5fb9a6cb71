"""Handoff in a real browser: a chat opened through the API is taken, answered and closed."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, Watch, _running, log_in


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The browser tests' server, with officers on duty all day (the test may run at night)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HANDOFF_OFFICE_HOURS", "mon-sun 00:00-24:00")
        with _running(tmp_path_factory.mktemp("browser-inbox"), "") as running:
            yield running


def _post(server: Server, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
    return httpx.post(
        f"{server.url}{path}",
        json=body,
        headers={"Authorization": f"Bearer {server.service_token}"},
        timeout=10,
    )


def test_an_officer_takes_answers_and_closes_a_handed_off_chat(
    page: Page, server: Server, watch: Watch
) -> None:
    opened = _post(
        server,
        "/api/v1/conversations",
        {
            "sender_id": "telegram:8800123",
            "reason": "requested",
            "transcript": [{"role": "citizen", "text": "mau bicara sama petugas", "at": None}],
            "ticket_id": None,
            "draft": None,
        },
    )
    assert opened.status_code == 201, opened.text
    said = _post(
        server,
        "/api/v1/conversations/messages",
        {"sender_id": "telegram:8800123", "text": "Lampu jalan di gang kami mati seminggu"},
    )
    assert said.status_code == 201, said.text

    log_in(page, "operator")
    expect(page.locator("#nav-badge")).to_have_text("2")  # the handoff alert + the waiting chat
    page.get_by_role("link", name="Kotak masuk").click()
    row = page.locator("#inbox tbody tr").first
    expect(row).to_contain_text("Lampu jalan di gang kami mati seminggu")
    expect(row).to_contain_text("Menunggu petugas")
    expect(row).not_to_contain_text("8800123")
    row.get_by_role("link", name="Buka").click()

    expect(page.locator("#chat")).to_contain_text("mau bicara sama petugas")
    page.get_by_role("button", name="Ambil").click()
    expect(page.locator("#state")).to_have_text("Dilayani")
    page.get_by_label("Balasan ke warga").fill("Baik, kami cek ke lokasi hari ini.")
    page.get_by_role("button", name="Kirim balasan").click()
    expect(page.get_by_role("status")).to_have_text("Balasan dikirim.")
    expect(page.locator("#chat")).to_contain_text("Baik, kami cek ke lokasi hari ini.")
    page.get_by_role("button", name="Tutup").click()
    expect(page.locator("#state")).to_have_text("Selesai")

    claimed = _post(server, "/api/v1/outbox/claim").json()["messages"]
    assert [(m["kind"], m["chat_id"], m["ends_handoff"]) for m in claimed] == [
        ("handoff_taken", "8800123", False),
        ("handoff_reply", "8800123", False),
        ("handoff_closed", "8800123", True),
    ]
    assert claimed[1]["text"] == "Baik, kami cek ke lokasi hari ini."
    assert watch.errors == []
    assert watch.outside == []
