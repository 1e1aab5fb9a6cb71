"""The web chat page in headless Chromium (Debian's `chromium`, driven by Playwright).

Requests leaving 127.0.0.1 (map tiles) are aborted: the page must work without.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, Route, expect, sync_playwright

from bot.channels import web_session
from tests.channels.conftest import Fakes, jpeg, wait_for

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.slow


@pytest.fixture
def page(gateway: httpx.Client, sent: list[str]) -> Iterator[Page]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: apt-get install chromium (or CHROMIUM_PATH)"
        )
    base = str(gateway.base_url).rstrip("/")

    def local_only(route: Route) -> None:
        if route.request.url.startswith(base):
            route.continue_()
        else:
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(base_url=base)
        context.route("**/*", local_only)
        page = context.new_page()
        page.on("request", lambda r: sent.append(r.url + " " + (r.post_data or "")))
        page.goto("/")
        yield page
        context.close()
        browser.close()


@pytest.fixture
def sent() -> list[str]:
    """Every request the page made: its URL and body."""
    return []


def bot_says(page: Page, text: str) -> None:
    expect(page.locator("li.bot .bubble", has_text=text).last).to_be_visible()


def send(page: Page, text: str) -> None:
    page.fill("#text", text)
    page.click("#send")


def test_chat_buttons_location_and_photo(page: Page, fakes: Fakes, tmp_path: Path) -> None:
    bot_says(page, "echo: /greet")
    sender = fakes.rasa.received[0][0]
    assert sender.startswith("web:")

    send(page, "jalan depan rumah bolong")
    bot_says(page, "echo: jalan depan rumah bolong")

    send(page, "tombol")
    page.get_by_role("button", name="Ya, kirim").click()
    bot_says(page, "echo: /affirm")

    send(page, "lokasi")
    expect(page.locator("#locator")).to_be_visible()
    page.fill("#lat", "-6.2088")
    page.fill("#lon", "106.8456")
    page.click("#send-location")
    bot_says(page, "echo: /share_location")

    photo = tmp_path / "jalan.jpg"
    photo.write_bytes(jpeg(2000, seed=11))
    page.set_input_files("#photo", str(photo))
    bot_says(page, "echo: /share_photo")

    assert fakes.rasa.messages_from(sender)[1:] == [
        "jalan depan rumah bolong",
        "tombol",
        "/affirm",
        "lokasi",
        '/share_location{"latitude": -6.2088, "longitude": 106.8456}',
        fakes.rasa.messages_from(sender)[-1],
    ]
    assert fakes.rasa.messages_from(sender)[-1].startswith('/share_photo{"photo_id": "ph_')
    assert len(fakes.backend.uploads) == 1


def test_same_sender_after_reload(page: Page, fakes: Fakes) -> None:
    bot_says(page, "echo: /greet")
    page.reload()
    bot_says(page, "echo: /greet")
    wait_for(lambda: len(fakes.rasa.received) == 2)
    [(first, _), (second, _)] = fakes.rasa.received
    assert first == second


def test_news_from_an_officer_appears_and_survives_a_reload(page: Page, fakes: Fakes) -> None:
    bot_says(page, "echo: /greet")
    chat_id = fakes.rasa.received[0][0].removeprefix("web:")
    buttons = [{"title": "Ya, sudah", "payload": "/affirm"}]
    fakes.backend.queue_news(
        70, "web", chat_id, "Halo, saya petugas. Sudah beres?", kind="handoff_reply",
        buttons=buttons,
    )  # fmt: skip
    bot_says(page, "Halo, saya petugas. Sudah beres?")
    page.get_by_role("button", name="Ya, sudah").click()
    bot_says(page, "echo: /affirm")
    page.reload()
    bot_says(page, "echo: /greet")
    page.wait_for_timeout(3500)  # one more poll: the shown news is not shown again
    expect(page.locator("li.bot .bubble", has_text="Halo, saya petugas")).to_have_count(0)
    fakes.backend.queue_news(71, "web", chat_id, "Kabar kedua", kind="handoff_reply")
    bot_says(page, "Kabar kedua")


def test_the_chat_secret_is_an_http_only_cookie_and_never_in_a_request(
    page: Page, fakes: Fakes, sent: list[str]
) -> None:
    bot_says(page, "echo: /greet")
    [cookie] = page.context.cookies()
    assert (cookie["name"], cookie["path"]) == (web_session.COOKIE, "/web/api")
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    assert page.evaluate("document.cookie") == ""  # the page's script cannot read it
    chat_id = fakes.rasa.received[0][0].removeprefix("web:")
    assert chat_id == web_session.chat_id(cookie["value"])
    send(page, "halo")
    bot_says(page, "echo: halo")
    page.wait_for_timeout(3500)  # at least one poll of the mailbox
    assert any("/web/api/inbox" in request for request in sent)
    for request in sent:
        assert chat_id not in request
        assert cookie["value"] not in request
    stored = page.evaluate("JSON.stringify(Object.assign({}, window.localStorage))")
    assert chat_id not in stored
    assert cookie["value"] not in stored


def test_shown_news_is_acknowledged(page: Page, fakes: Fakes, gateway: httpx.Client) -> None:
    bot_says(page, "echo: /greet")
    chat_id = fakes.rasa.received[0][0].removeprefix("web:")
    fakes.backend.queue_news(72, "web", chat_id, "Laporan Anda sedang ditindaklanjuti.")
    bot_says(page, "Laporan Anda sedang ditindaklanjuti.")
    [cookie] = page.context.cookies()
    own = {"Cookie": f"{cookie['name']}={cookie['value']}"}

    def pending() -> list[object]:
        messages: list[object] = gateway.get("/web/api/inbox", headers=own).json()["messages"]
        return messages

    wait_for(lambda: pending() == [], message="the page acknowledges what it showed")


def test_a_lost_cookie_starts_a_new_chat(page: Page, fakes: Fakes) -> None:
    bot_says(page, "echo: /greet")
    first = fakes.rasa.received[0][0]
    page.context.clear_cookies()
    send(page, "masih di sini?")
    bot_says(page, "echo: masih di sini?")
    [(second, text)] = [m for m in fakes.rasa.received if m[1] == "masih di sini?"]
    assert second != first
