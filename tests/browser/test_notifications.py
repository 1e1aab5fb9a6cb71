"""Status news: an officer's moves in the console reach the citizen's Telegram chat
through the running gateway, the last one asking "Sudah beres?" with two buttons."""

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, Watch, log_in
from tests.browser.gateway import RunningGateway, running_gateway
from tests.channels.conftest import wait_for

CHAT = 555001  # the reporter of Server.file_complaint()


@pytest.fixture(scope="module")
def gateway(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningGateway]:
    folder = tmp_path_factory.mktemp("gateway")
    with running_gateway(server.url, server.service_token, folder) as running:
        yield running


def test_selesai_news_with_buttons_reaches_telegram(
    page: Page, server: Server, gateway: RunningGateway, watch: Watch
) -> None:
    ticket = server.file_complaint()
    log_in(page, "operator")
    page.goto(f"/console/complaints/{ticket}")
    page.get_by_role("button", name="Koordinasi").click()
    expect(page.locator(".complaint-head .badge")).to_have_text("Koordinasi")
    page.get_by_label("Unit tujuan").select_option(
        label="Suku Dinas Lingkungan Hidup Jakarta Pusat"
    )
    page.get_by_role("button", name="Disposisi ke unit").click()
    expect(page.locator("#unit")).to_have_text("Suku Dinas Lingkungan Hidup Jakarta Pusat")
    page.get_by_role("button", name="Tindak lanjuti (Proses)").click()
    expect(page.locator(".complaint-head .badge")).to_have_text("Proses")
    page.locator("textarea[name=note]").fill("Sampah sudah diangkut truk pagi ini")
    page.get_by_role("button", name="Selesai", exact=True).click()
    expect(page.locator(".complaint-head .badge")).to_have_text("Selesai")
    assert watch.errors == []

    def delivered() -> list[dict[str, object]]:
        sent = gateway.telegram.called("sendMessage")
        mine = [p for p in sent if int(str(p["chat_id"])) == CHAT and ticket in str(p["text"])]
        return mine if any("Sudah beres?" in str(p["text"]) for p in mine) else []

    news = wait_for(delivered, timeout=30, message="the selesai news at the fake Telegram")
    assert len(news) == 4  # koordinasi, disposisi, proses, selesai: each once, in order
    assert [("Sudah beres?" in str(p["text"])) for p in news] == [False, False, False, True]
    last = news[-1]
    assert "Sampah sudah diangkut truk pagi ini" in str(last["text"])
    buttons = [row[0] for row in last["reply_markup"]["inline_keyboard"]]
    assert [b["text"] for b in buttons] == ["Ya, sudah", "Belum"]
    assert [b["callback_data"] for b in buttons] == [
        "/confirm_resolution" + json.dumps({"ticket_id": ticket}),
        "/reject_resolution" + json.dumps({"ticket_id": ticket}),
    ]
    # The gateway told Rasa which ticket "Sudah beres?" is about.
    slot = {"event": "slot", "name": "feedback_ticket", "value": ticket}
    wait_for(lambda: (f"telegram:{CHAT}", [slot]) in gateway.rasa.tracker_events)

    # The citizen presses "Ya, sudah": its payload reaches Rasa as the intent.
    gateway.post_update(
        {
            "update_id": 9001,
            "callback_query": {
                "id": "cb-beres",
                "from": {"id": CHAT, "is_bot": False, "first_name": "Warga"},
                "chat_instance": "ci",
                "data": buttons[0]["callback_data"],
                "message": {
                    "message_id": 1,
                    "date": 1_700_000_000,
                    "chat": {"id": CHAT, "type": "private", "first_name": "Warga"},
                    "text": last["text"],
                    "reply_markup": last["reply_markup"],
                },
            },
        }
    )
    wait_for(lambda: gateway.rasa.messages_from(f"telegram:{CHAT}"))
    assert gateway.rasa.messages_from(f"telegram:{CHAT}") == [buttons[0]["callback_data"]]
