"""The web chat page and its API, through the same pipeline."""

import json
import uuid

import httpx
import pytest

from bot.channels import __main__ as gateway_main
from bot.channels import texts, web_session
from bot.channels.config import Settings
from tests.channels.conftest import MAX_PHOTO, Fakes, Gateways, WebUser, jpeg, unused_url, wait_for
from tests.channels.fakes.backend import photo_id


def test_page_and_vendored_assets_are_served(gateway: httpx.Client) -> None:
    page = gateway.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    for asset in ("/static/chat.js", "/static/vendor/leaflet/leaflet.js"):
        assert asset in page.text
        assert gateway.get(asset).status_code == 200
    assert "http" not in page.text.split("<body>", 1)[1]  # no CDN: every script is ours


def test_text_round_trip(gateway: httpx.Client, fakes: Fakes) -> None:
    user = WebUser(gateway)
    response = user.say(text="halo min", id=str(uuid.uuid4()))
    assert response.status_code == 200
    assert response.json() == {
        "replies": [
            {"text": "echo: halo min", "buttons": [], "request_location": False, "image": None}
        ]
    }
    assert fakes.rasa.received == [(user.sender, "halo min")]


def test_buttons_and_location_request_reach_the_page(gateway: httpx.Client) -> None:
    user = WebUser(gateway)
    buttons = user.say(text="tombol").json()["replies"][0]["buttons"]
    assert buttons[0] == {"title": "Ya, kirim", "payload": "/affirm"}
    assert user.say(text="lokasi").json()["replies"][0]["request_location"] is True


def test_button_payload_and_location(gateway: httpx.Client, fakes: Fakes) -> None:
    user = WebUser(gateway)
    user.say(payload="/affirm")
    user.say(latitude=-6.2, longitude=106.8)
    assert fakes.rasa.messages_from(user.sender) == [
        "/affirm",
        '/share_location{"latitude": -6.2, "longitude": 106.8}',
    ]


def test_photo_upload_is_stored_and_shared(gateway: httpx.Client, fakes: Fakes) -> None:
    user = WebUser(gateway)
    data = jpeg(3000, seed=5)
    response = user.photo(files={"file": ("jalan.jpg", data, "image/jpeg")})
    assert response.status_code == 200
    assert fakes.backend.uploads == [data]
    expected = "/share_photo" + json.dumps({"photo_id": photo_id(data)})
    assert fakes.rasa.messages_from(user.sender) == [expected]


def test_non_image_upload_is_refused(gateway: httpx.Client, fakes: Fakes) -> None:
    response = WebUser(gateway).photo(files={"file": ("surat.pdf", b"%PDF-1.4", "application/pdf")})
    assert response.json()["replies"][0]["text"] == texts.PHOTO_WRONG_TYPE
    assert fakes.backend.uploads == []


def test_retried_message_id_is_processed_once(gateway: httpx.Client, fakes: Fakes) -> None:
    user, message_id = WebUser(gateway), str(uuid.uuid4())
    user.say(text="ya kirim", id=message_id)
    again = user.say(text="ya kirim", id=message_id)
    assert again.json() == {"replies": [], "duplicate": True}
    assert fakes.rasa.messages_from(user.sender) == ["ya kirim"]


def test_bad_requests_are_400(gateway: httpx.Client, fakes: Fakes) -> None:
    user = WebUser(gateway)
    assert user.say().status_code == 400
    assert user.say(latitude=123, longitude=1).status_code == 400
    assert user.say(text="halo", id="not-a-uuid").status_code == 400
    raw = gateway.post(
        "/web/api/messages",
        content=b"{",
        headers={"content-type": "application/json", **user.headers},
    )
    assert raw.status_code == 400
    assert user.ack(-1).status_code == 400
    assert user.inbox(-1).status_code == 400
    assert fakes.rasa.received == []


def test_rasa_down_apologises(gateways: Gateways) -> None:
    gateway = gateways.start(rasa_url=unused_url())
    replies = WebUser(gateway).say(text="halo").json()["replies"]
    assert [r["text"] for r in replies] == [texts.BOT_DOWN]


def test_web_chat_can_be_switched_off(gateways: Gateways) -> None:
    gateway = gateways.start(web_chat_enabled=False)
    assert gateway.get("/").status_code == 404
    assert gateway.post("/web/api/session").status_code == 404
    assert gateway.post("/web/api/messages", json={"text": "halo"}).status_code == 404


def test_oversized_upload_is_refused_before_parsing(gateway: httpx.Client, fakes: Fakes) -> None:
    response = WebUser(gateway).photo(
        files={"file": ("besar.jpg", jpeg(MAX_PHOTO + 70 * 1024), "image/jpeg")}
    )
    assert response.status_code == 413
    assert response.json()["replies"][0]["text"] == texts.PHOTO_TOO_LARGE.format(limit="64 KB")
    assert fakes.backend.uploads == []
    assert fakes.rasa.received == []


def test_photo_just_over_the_limit_is_refused_politely(gateway: httpx.Client, fakes: Fakes) -> None:
    response = WebUser(gateway).photo(
        files={"file": ("besar.jpg", jpeg(MAX_PHOTO + 1), "image/jpeg")}
    )
    assert response.status_code == 200
    assert response.json()["replies"][0]["text"] == texts.PHOTO_TOO_LARGE.format(limit="64 KB")
    assert fakes.backend.uploads == []


def test_malformed_photo_forms_are_400(gateway: httpx.Client) -> None:
    user = WebUser(gateway)
    photo = {"file": ("a.jpg", jpeg(100), "image/jpeg")}
    assert user.photo(data={"note": "no file"}).status_code == 400
    assert user.photo(data={"file": "x"}).status_code == 400
    assert user.photo(data={"id": "nope"}, files=photo).status_code == 400


# Sessions: the cookie is the only credential


def test_the_session_is_an_http_only_strict_cookie_for_the_api(gateway: httpx.Client) -> None:
    started = httpx.post(str(gateway.base_url.join("/web/api/session")))
    assert started.json() == {"new": True}
    cookie = started.headers["set-cookie"]
    secret = started.cookies[web_session.COOKIE]
    assert len(secret) == 43
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "samesite", "path", "max-age"} <= attributes
    assert "samesite=strict" in cookie.lower()
    assert "path=/web/api" in cookie.lower()
    assert "secure" not in attributes  # plain http here; see the proxy test
    again = gateway.post("/web/api/session", headers={"Cookie": f"aduan_chat={secret}"})
    assert again.json() == {"new": False}
    assert again.cookies[web_session.COOKIE] == secret  # kept, its lifetime renewed


def test_the_cookie_is_secure_behind_a_trusted_https_proxy(gateways: Gateways) -> None:
    gateway = gateways.start(gateway_trusted_proxies="127.0.0.1")
    started = gateway.post("/web/api/session", headers={"X-Forwarded-Proto": "https"})
    assert "secure" in started.headers["set-cookie"].lower().split("; ")


def test_requests_without_a_session_are_refused(gateway: httpx.Client, fakes: Fakes) -> None:
    photo = {"file": ("a.jpg", jpeg(100), "image/jpeg")}
    forged = {"Cookie": f"aduan_chat={uuid.uuid4()}"}  # a chat id is not a secret
    for headers in ({}, forged):
        message = gateway.post("/web/api/messages", json={"text": "halo"}, headers=headers)
        assert (message.status_code, message.json()) == (401, {"error": "no_session"})
        assert gateway.get("/web/api/inbox", headers=headers).status_code == 401
        ack = gateway.post("/web/api/inbox/ack", json={"upto": 9}, headers=headers)
        assert ack.status_code == 401
        assert gateway.post("/web/api/photos", files=photo, headers=headers).status_code == 401
    assert fakes.rasa.received == []
    assert fakes.backend.uploads == []


def test_holding_someones_chat_id_gives_nothing(gateway: httpx.Client, fakes: Fakes) -> None:
    owner, intruder = WebUser(gateway), WebUser(gateway)
    fakes.backend.queue_news(31, "web", owner.chat_id, "Laporan JKT-7K3M-Q9XA: Selesai.")
    wait_for(lambda: fakes.backend.reports)
    # The old way in: the chat id in the query string, or in the message body.
    stolen = {"sender": owner.chat_id}
    assert gateway.get("/web/api/inbox", params=stolen).status_code == 401
    peek = gateway.get("/web/api/inbox", params=stolen, headers=intruder.headers)
    assert peek.json() == {"messages": []}
    assert intruder.ack(10**9).status_code == 200
    posted = gateway.post(
        "/web/api/messages",
        json={**stolen, "text": "status laporan saya"},
        headers=intruder.headers,
    )
    assert posted.status_code == 200
    assert fakes.rasa.received == [(intruder.sender, "status laporan saya")]
    [news] = owner.inbox().json()["messages"]
    assert news["text"] == "Laporan JKT-7K3M-Q9XA: Selesai."


def test_a_chat_keeps_its_id_across_requests(gateway: httpx.Client, fakes: Fakes) -> None:
    user = WebUser(gateway)
    user.say(text="satu")
    user.say(text="dua")
    assert fakes.rasa.messages_from(user.sender) == ["satu", "dua"]
    assert user.chat_id == str(uuid.UUID(user.chat_id))


# Flooding from one address


def test_fresh_chats_from_one_address_are_slowed(gateway: httpx.Client, fakes: Fakes) -> None:
    answers = [WebUser(gateway).say(text=f"pesan {i}") for i in range(60)]
    codes = [a.status_code for a in answers]
    assert codes == [200] * 40 + [429] * 20  # WEB_FLOOD_MAX_PER_ADDRESS, default 40
    assert answers[-1].json()["replies"][0]["text"] == texts.FLOOD
    assert len(fakes.rasa.received) == 40


def test_forwarded_for_is_ignored_without_a_trusted_proxy(gateways: Gateways, fakes: Fakes) -> None:
    gateway = gateways.start(web_flood_max_per_address=3)
    codes = [WebUser(gateway).say(text="halo").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    spoofed = gateway.post(
        "/web/api/messages",
        json={"text": "halo"},
        headers={**WebUser(gateway).headers, "X-Forwarded-For": "203.0.113.99"},
    )
    assert spoofed.status_code == 429


def test_a_trusted_proxy_names_the_client(gateways: Gateways, fakes: Fakes) -> None:
    gateway = gateways.start(web_flood_max_per_address=3, gateway_trusted_proxies="127.0.0.1")

    def say_from(address: str) -> int:
        headers = {**WebUser(gateway).headers, "X-Forwarded-For": address}
        return gateway.post("/web/api/messages", json={"text": "halo"}, headers=headers).status_code

    assert [say_from("203.0.113.7") for _ in range(4)] == [200, 200, 200, 429]
    assert say_from("203.0.113.8") == 200  # someone else behind the same proxy


def test_the_server_itself_believes_no_forwarded_headers(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, object] = {}
    monkeypatch.setattr(gateway_main.uvicorn, "run", lambda app, **options: seen.update(options))
    gateway_main._serve(Settings(_env_file=None))  # type: ignore[call-arg]
    assert seen["proxy_headers"] is False
