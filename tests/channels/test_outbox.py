"""Status news from the backend's outbox reach the citizen's chat app."""

import httpx

from tests.channels.conftest import Fakes, Gateways, settle, wait_for

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
