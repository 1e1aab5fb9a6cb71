"""Handoff round trip, citizen <-> officer, through the fake Telegram server.

Real backend and console, real Rasa (models/aduan.tar.gz) and action server, the
running gateway; only Telegram is a fake. Rasa takes a minute or more to start,
so this runs only with ADUAN_E2E=1 (`make rasa-model` first).
"""

import os
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, Watch, _running, log_in
from tests.browser.gateway import RunningGateway, running_gateway
from tests.channels.conftest import tg_update, wait_for
from tests.channels.stack import rasa_and_actions

CHAT = 777001
SENDER_TEXTS = {
    "ask": "mau ngomong sama petugas",
    "first": "halo pak, lampu jalan di gang saya mati sudah seminggu",
    "second": "terima kasih pak, ditunggu kabarnya",
    "after": "selamat pagi min",
}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.skipif(
        os.environ.get("ADUAN_E2E") != "1", reason="needs Rasa: set ADUAN_E2E=1 (and the model)"
    ),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The console, with officers taking chats at any hour."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("HANDOFF_OFFICE_HOURS", "mon-sun 00:00-24:00")
        with _running(tmp_path_factory.mktemp("handoff"), "") as running:
            yield running


@pytest.fixture(scope="module")
def gateway(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningGateway]:
    work = tmp_path_factory.mktemp("handoff-stack")
    with (
        rasa_and_actions(work, server.url, server.service_token) as rasa_url,
        running_gateway(server.url, server.service_token, work, rasa_url=rasa_url) as running,
    ):
        yield running


class Citizen:
    """The citizen's side of the chat, at the fake Telegram server."""

    def __init__(self, gateway: RunningGateway) -> None:
        self._gateway = gateway
        self._update_id = int(time.time())

    def says(self, text: str) -> None:
        self._update_id += 1
        self._gateway.post_update(tg_update(self._update_id, CHAT, text=text))

    def received(self) -> list[str]:
        return self._gateway.telegram.sent_texts(CHAT)

    def waits_for(self, count: int) -> list[str]:
        received: list[str] = wait_for(
            lambda: len(self.received()) >= count and self.received(),
            timeout=60,
            message=f"{count} messages at the citizen's chat",
        )
        return received


def test_citizen_and_officer_talk_then_the_bot_takes_over(
    page: Page, server: Server, gateway: RunningGateway, watch: Watch
) -> None:
    citizen = Citizen(gateway)
    citizen.says(SENDER_TEXTS["ask"])
    handoff_reply = citizen.waits_for(1)
    assert gateway.rasa.received == []  # the real Rasa answered, not the fake
    citizen.says(SENDER_TEXTS["first"])

    log_in(page, "operator")
    page.goto("/console/inbox")
    if page.get_by_role("link", name="Buka").count() == 0:
        heading = page.locator("h1").first.inner_text()
        pytest.fail(f"no conversation in the inbox ({heading!r}); the bot said {handoff_reply}")
    page.get_by_role("link", name="Buka").first.click()
    chat = page.locator("#chat")
    expect(chat).to_contain_text(SENDER_TEXTS["first"])
    expect(chat).to_contain_text(SENDER_TEXTS["ask"])  # the transcript so far
    page.get_by_role("button", name="Ambil").click()
    taken = citizen.waits_for(len(handoff_reply) + 1)[-1]
    assert "petugas" in taken.lower()

    answer = "Baik, kami teruskan ke Suku Dinas Bina Marga. Mohon ditunggu ya."
    page.get_by_label("Balasan ke warga").fill(answer)
    page.get_by_role("button", name="Kirim balasan").click()
    assert citizen.waits_for(len(handoff_reply) + 2)[-1] == answer

    citizen.says(SENDER_TEXTS["second"])

    def shown_to_officer() -> bool:
        page.reload()
        return SENDER_TEXTS["second"] in chat.inner_text()

    wait_for(shown_to_officer, timeout=30, message="the citizen's answer in the console")

    page.get_by_role("button", name="Tutup").click()
    closed = citizen.waits_for(len(handoff_reply) + 3)[-1]
    assert "asisten otomatis" in closed

    before = len(citizen.received())
    citizen.says(SENDER_TEXTS["after"])
    citizen.waits_for(before + 1)  # the bot answers again
    page.reload()
    expect(chat).not_to_contain_text(SENDER_TEXTS["after"])
    assert watch.errors == []
