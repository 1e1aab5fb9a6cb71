"""Status news from the backend's outbox reach the citizen's chat app."""

import sqlite3
from pathlib import Path

import httpx

from tests.channels.conftest import Fakes, Gateways, WebUser, settle, wait_for

NEWS = "Laporan JKT-7K3M-Q9XA: Sedang ditindaklanjuti.\nPetugas menuju lokasi."


def test_telegram_news_is_sent_and_reported(gateway: httpx.Client, fakes: Fakes) -> None:
    fakes.backend.queue_news(1, "telegram", "5550009", NEWS)
    wait_for(lambda: fakes.backend.reports)
    assert fakes.telegram.sent_texts(5550009) == [NEWS]
    assert fakes.backend.reports == [(1, "delivered", None)]


def test_blocked_bot_is_a_permanent_failure(gateway: httpx.Client, fakes: Fakes) -> None:
    fakes.telegram.blocked.add(5550010)
    fakes.backend.queue_news(2, "telegram", "5550010", NEWS)
    wait_for(lambda: fakes.backend.reports)
    [(message_id, outcome, body)] = fakes.backend.reports
    assert (message_id, outcome, body["retry"]) == (2, "failed", False)


def test_whatsapp_news_inside_window_is_free_text(gateway: httpx.Client, fakes: Fakes) -> None:
    fakes.backend.queue_news(3, "whatsapp", "6281200000001", NEWS)
    wait_for(lambda: fakes.backend.reports)
    [sent] = fakes.graph.sent
    assert (sent["to"], sent["type"], sent["text"]["body"]) == ("6281200000001", "text", NEWS)
    assert fakes.backend.reports == [(3, "delivered", None)]


def test_whatsapp_outside_window_uses_template(gateways: Gateways, fakes: Fakes) -> None:
    gateways.start(whatsapp_status_template="status_laporan")
    fakes.graph.outside_window.add("6281200000002")
    fakes.backend.queue_news(4, "whatsapp", "6281200000002", NEWS)
    wait_for(lambda: fakes.backend.reports)
    [sent] = fakes.graph.sent
    assert sent["type"] == "template"
    assert sent["template"]["name"] == "status_laporan"
    assert sent["template"]["language"] == {"code": "id"}
    parameters = sent["template"]["components"][0]["parameters"]
    assert [p["text"] for p in parameters] == [
        "JKT-7K3M-Q9XA",
        "Laporan JKT-7K3M-Q9XA: Sedang ditindaklanjuti. Petugas menuju lokasi.",
    ]
    assert fakes.backend.reports == [(4, "delivered", None)]


def test_outside_window_without_template_is_retried_later(
    gateway: httpx.Client, fakes: Fakes
) -> None:
    fakes.graph.outside_window.add("6281200000003")
    fakes.backend.queue_news(5, "whatsapp", "6281200000003", NEWS)
    wait_for(lambda: fakes.backend.reports)
    [(message_id, outcome, body)] = fakes.backend.reports
    assert (message_id, outcome, body["retry"]) == (5, "failed", True)
    assert fakes.graph.sent == []


def test_channel_not_configured_is_reported(gateways: Gateways, fakes: Fakes) -> None:
    gateways.start(whatsapp_access_token=None)
    fakes.backend.queue_news(6, "whatsapp", "6281200000004", NEWS)
    wait_for(lambda: fakes.backend.reports)
    [(message_id, outcome, body)] = fakes.backend.reports
    assert (message_id, outcome) == (6, "failed")
    assert body["retry"] is True


def test_outbox_off_without_service_token(gateways: Gateways, fakes: Fakes) -> None:
    gateways.start(backend_service_token=None)
    fakes.backend.queue_news(7, "telegram", "5550011", NEWS)
    settle(0.5)  # five polling periods
    assert fakes.backend.reports == []
    assert len(fakes.backend.outbox) == 1


DONE = "Laporan JKT-7K3M-Q9XA: Selesai.\nSampah sudah diangkut.\n\nSudah beres?"
CONFIRM = [
    {"title": "Ya, sudah", "payload": '/confirm_resolution{"ticket_id": "JKT-7K3M-Q9XA"}'},
    {"title": "Belum", "payload": '/reject_resolution{"ticket_id": "JKT-7K3M-Q9XA"}'},
]
SLOTS = {"feedback_ticket": "JKT-7K3M-Q9XA"}


def test_telegram_news_buttons_and_rasa_slots(gateway: httpx.Client, fakes: Fakes) -> None:
    fakes.backend.queue_news(10, "telegram", "5550012", DONE, buttons=CONFIRM, rasa_slots=SLOTS)
    wait_for(lambda: fakes.backend.reports)
    [sent] = fakes.telegram.called("sendMessage")
    assert sent["text"] == DONE
    assert sent["reply_markup"] == {
        "inline_keyboard": [
            [{"text": "Ya, sudah", "callback_data": CONFIRM[0]["payload"]}],
            [{"text": "Belum", "callback_data": CONFIRM[1]["payload"]}],
        ]
    }
    assert fakes.rasa.tracker_events == [
        (
            "telegram:5550012",
            [{"event": "slot", "name": "feedback_ticket", "value": "JKT-7K3M-Q9XA"}],
        )
    ]
    assert fakes.backend.reports == [(10, "delivered", None)]


def test_whatsapp_news_buttons_are_interactive(gateway: httpx.Client, fakes: Fakes) -> None:
    fakes.backend.queue_news(11, "whatsapp", "6281200000005", DONE, buttons=CONFIRM)
    wait_for(lambda: fakes.backend.reports)
    [sent] = fakes.graph.sent
    assert sent["type"] == "interactive"
    assert sent["interactive"]["type"] == "button"
    assert sent["interactive"]["body"] == {"text": DONE}
    assert [b["reply"] for b in sent["interactive"]["action"]["buttons"]] == [
        {"id": CONFIRM[0]["payload"], "title": "Ya, sudah"},
        {"id": CONFIRM[1]["payload"], "title": "Belum"},
    ]
    assert fakes.rasa.tracker_events == []  # no slots asked for


def test_rasa_slots_failure_does_not_fail_the_delivery(gateway: httpx.Client, fakes: Fakes) -> None:
    fakes.rasa.tracker_failing = True
    fakes.backend.queue_news(12, "telegram", "5550013", DONE, buttons=CONFIRM, rasa_slots=SLOTS)
    wait_for(lambda: fakes.backend.reports)
    assert fakes.backend.reports == [(12, "delivered", None)]
    assert fakes.telegram.sent_texts(5550013) == [DONE]


def test_web_news_waits_in_the_mailbox_until_acknowledged(gateways: Gateways, fakes: Fakes) -> None:
    gateway = gateways.start()
    user = WebUser(gateway)
    fakes.backend.queue_news(13, "web", user.chat_id, NEWS)
    fakes.backend.queue_news(14, "web", user.chat_id, DONE, buttons=CONFIRM)
    wait_for(lambda: len(fakes.backend.reports) == 2)
    assert {r[1] for r in fakes.backend.reports} == {"delivered"}
    gateways.stop_all()  # a restart (and a page reload) loses nothing
    gateway = gateways.start()

    def inbox(after: int = 0) -> list[dict[str, object]]:
        response = gateway.get("/web/api/inbox", params={"after": after}, headers=user.headers)
        assert response.status_code == 200
        messages: list[dict[str, object]] = response.json()["messages"]
        return messages

    def ack(upto: object) -> None:
        response = gateway.post("/web/api/inbox/ack", json={"upto": upto}, headers=user.headers)
        assert response.status_code == 200

    first = inbox()
    assert [m["text"] for m in first] == [NEWS, DONE]
    assert first[1]["buttons"] == CONFIRM
    assert inbox() == first  # not acknowledged yet: fetched again
    oldest, newest = (m["id"] for m in first)
    assert inbox(after=int(str(oldest))) == first[1:]
    assert inbox() == first  # reading after an id deletes nothing
    ack(oldest)
    assert inbox() == first[1:]
    ack(newest)
    assert inbox() == []


def test_web_news_for_a_non_web_chat_id_is_refused_for_good(
    gateway: httpx.Client, fakes: Fakes
) -> None:
    fakes.backend.queue_news(15, "web", "walk-in-42", NEWS)
    wait_for(lambda: fakes.backend.reports)
    [(message_id, outcome, body)] = fakes.backend.reports
    assert (message_id, outcome, body["retry"]) == (15, "failed", False)


# A crash between the chat app and the backend (docs/channels.md)


def test_news_goes_out_only_once_marked_sending(gateway: httpx.Client, fakes: Fakes) -> None:
    fakes.backend.refuse_sending.add(22)  # say another gateway delivered it meanwhile
    fakes.backend.queue_news(21, "telegram", "5550021", "Kabar satu")
    fakes.backend.queue_news(22, "telegram", "5550022", "Kabar dua")
    wait_for(lambda: fakes.backend.reports)
    settle(0.3)
    assert fakes.backend.marked_sending == [21]
    assert fakes.telegram.sent_texts(5550021) == ["Kabar satu"]
    assert fakes.telegram.sent_texts(5550022) == []
    assert fakes.backend.reports == [(21, "delivered", None)]


def test_news_sent_but_not_reported_is_reported_after_a_restart_not_sent_again(
    gateways: Gateways, fakes: Fakes
) -> None:
    gateways.start()
    fakes.backend.reports_failing = True  # the backend never hears of the delivery
    fakes.backend.queue_news(23, "telegram", "5550023", NEWS, rasa_slots=SLOTS)
    wait_for(lambda: fakes.telegram.sent_texts(5550023))
    settle(0.3)
    gateways.stop_all()
    fakes.backend.reports_failing = False
    # After the lease the backend offers it again: it was left `sending`.
    fakes.backend.queue_news(23, "telegram", "5550023", NEWS, uncertain=True, attempts=1)
    gateways.start()
    wait_for(lambda: fakes.backend.reports)
    settle(0.3)
    assert fakes.backend.reports == [(23, "delivered", None)]
    assert fakes.telegram.sent_texts(5550023) == [NEWS]  # once
    assert fakes.backend.outbox == []
    slots = [{"event": "slot", "name": "feedback_ticket", "value": "JKT-7K3M-Q9XA"}]
    assert ("telegram:5550023", slots) in fakes.rasa.tracker_events


def test_news_of_unknown_outcome_is_sent_again(gateway: httpx.Client, fakes: Fakes) -> None:
    """Not in this gateway's journal: its sender stopped before the chat app answered,
    or just after. Sent again: at least once (a repeat rather than news lost)."""
    fakes.backend.queue_news(24, "telegram", "5550024", NEWS, uncertain=True, attempts=1)
    wait_for(lambda: fakes.backend.reports)
    assert fakes.telegram.sent_texts(5550024) == [NEWS]
    assert fakes.backend.reports == [(24, "delivered", None)]


def test_a_report_lost_in_a_backend_outage_is_retried_without_resending(
    gateway: httpx.Client, fakes: Fakes
) -> None:
    fakes.backend.reports_failing = True
    fakes.backend.queue_news(25, "telegram", "5550025", DONE, rasa_slots=SLOTS)
    wait_for(lambda: fakes.telegram.sent_texts(5550025))
    settle(0.5)  # several polls, each retrying the report
    fakes.backend.reports_failing = False
    wait_for(lambda: fakes.backend.reports)
    settle(0.3)
    assert fakes.backend.reports == [(25, "delivered", None)]
    assert fakes.telegram.sent_texts(5550025) == [DONE]
    assert len(fakes.rasa.tracker_events) == 1  # the slots were set once


def test_a_failing_journal_neither_stops_delivery_nor_loses_news(
    gateway: httpx.Client, fakes: Fakes, tmp_path: Path
) -> None:
    db = sqlite3.connect(tmp_path / "gateway.db")  # the gateways fixture's file
    db.execute("DROP TABLE outbox_sent")  # every journal read and write now fails
    db.close()
    fakes.backend.queue_news(26, "telegram", "5550026", NEWS)
    settle(0.5)
    assert fakes.telegram.sent_texts(5550026) == []  # no round completes without it
    db = sqlite3.connect(tmp_path / "gateway.db")
    db.execute("CREATE TABLE outbox_sent (id INTEGER PRIMARY KEY, message TEXT NOT NULL)")
    db.close()
    wait_for(lambda: fakes.backend.reports)
    assert fakes.telegram.sent_texts(5550026) == [NEWS]  # the worker kept polling
    assert fakes.backend.reports == [(26, "delivered", None)]
