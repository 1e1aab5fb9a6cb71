"""Status questions: by ticket, malformed or unknown tickets, own list."""

from __future__ import annotations

from typing import Any

from conftest import load_tracker, responses, run_with_backend
from fake_backend import FakeBackend, complaint_view
from rasa_sdk.executor import CollectingDispatcher

from actions.status import ActionCheckStatus


def check(
    tracker_name: str, backend: FakeBackend | None = None, *, down: bool = False
) -> tuple[CollectingDispatcher, FakeBackend]:
    dispatcher = CollectingDispatcher()
    tracker = load_tracker(tracker_name)
    fake = backend or FakeBackend()

    async def scenario(_: FakeBackend) -> Any:
        return await ActionCheckStatus().run(dispatcher, tracker, {})

    run_with_backend(fake, scenario, down=down)
    return dispatcher, fake


def test_followed_up_ticket_answers_yes_with_agency_and_note():
    view = complaint_view(
        status="proses",
        status_label="Sedang ditindaklanjuti",
        ditindaklanjuti=True,
        agency="Suku Dinas SDA Jakarta Selatan",
        latest_note="Tim sudah menguras saluran.",
    )
    backend = FakeBackend(routes={"GET /api/v1/complaints/JKT-7K3M-Q9XA": [(200, view)]})
    dispatcher, _ = check("status_with_ticket", backend)
    assert responses(dispatcher) == [
        "utter_status_followed_up",
        "utter_status_agency",
        "utter_status_note",
        "utter_status_updated",
    ]
    assert dispatcher.messages[3]["updated_at"] == "21-11-2026 11.30 WIB"


def test_open_ticket_gives_its_target_date():
    view = complaint_view(
        status="proses",
        status_label="Sedang ditindaklanjuti",
        ditindaklanjuti=True,
        due_at="2026-11-25T03:00:00+00:00",
    )
    backend = FakeBackend(routes={"GET /api/v1/complaints/JKT-7K3M-Q9XA": [(200, view)]})
    dispatcher, _ = check("status_with_ticket", backend)
    assert responses(dispatcher) == [
        "utter_status_followed_up",
        "utter_status_due",
        "utter_status_updated",
    ]
    assert dispatcher.messages[1]["due_date"] == "Rabu, 25 Nov 2026"


def test_target_date_is_read_in_jakarta_time():
    # 20:00 UTC on Tuesday is already Wednesday in Jakarta.
    view = complaint_view(due_at="2026-11-24T20:00:00Z")
    backend = FakeBackend(routes={"GET /api/v1/complaints/JKT-7K3M-Q9XA": [(200, view)]})
    dispatcher, _ = check("status_with_ticket", backend)
    assert dispatcher.messages[1]["due_date"] == "Rabu, 25 Nov 2026"


def test_closed_or_undated_tickets_give_no_target_date():
    for view in (
        complaint_view(status="selesai", due_at="2026-11-25T03:00:00+00:00"),
        complaint_view(status="ditolak", due_at="2026-11-25T03:00:00+00:00"),
        complaint_view(due_at=None),
    ):
        backend = FakeBackend(routes={"GET /api/v1/complaints/JKT-7K3M-Q9XA": [(200, view)]})
        dispatcher, _ = check("status_with_ticket", backend)
        assert "utter_status_due" not in responses(dispatcher), view["status"]


def test_waiting_ticket_answers_not_yet():
    view = complaint_view(
        status="disposisi",
        status_label="Diteruskan ke Suku Dinas SDA Jakarta Selatan",
        agency="Suku Dinas SDA Jakarta Selatan",
    )
    backend = FakeBackend(routes={"GET /api/v1/complaints/JKT-7K3M-Q9XA": [(200, view)]})
    dispatcher, _ = check("status_with_ticket", backend)
    assert responses(dispatcher)[0] == "utter_status_not_yet"
    assert dispatcher.messages[0]["status_label"] == "Diteruskan ke Suku Dinas SDA Jakarta Selatan"


def test_rejected_ticket_says_so_with_the_reason():
    view = complaint_view(
        status="ditolak", status_label="Ditolak", latest_note="Duplikat JKT-AAAA-BBBB"
    )
    backend = FakeBackend(routes={"GET /api/v1/complaints/JKT-7K3M-Q9XA": [(200, view)]})
    dispatcher, _ = check("status_with_ticket", backend)
    assert responses(dispatcher)[:2] == ["utter_status_rejected", "utter_status_note"]


def test_unknown_ticket_gets_not_found():
    backend = FakeBackend(
        routes={
            "GET /api/v1/complaints/JKT-7K3M-Q9XA": [
                (404, {"detail": "no such ticket", "code": "ticket_not_found"})
            ]
        }
    )
    dispatcher, _ = check("status_with_ticket", backend)
    assert responses(dispatcher) == ["utter_ticket_not_found"]


def test_malformed_ticket_is_explained_without_calling_the_backend():
    dispatcher, fake = check("status_malformed_ticket")
    assert responses(dispatcher) == ["utter_ticket_invalid"]
    assert dispatcher.messages[0]["ticket_id"] == "JKT-123"
    assert fake.requests == []


def test_backend_down_gets_a_polite_message():
    dispatcher, _ = check("status_with_ticket", down=True)
    assert responses(dispatcher) == ["utter_backend_unavailable"]


def test_without_ticket_lists_own_complaints_as_buttons():
    views = [complaint_view(ticket_id="JKT-1111-2222"), complaint_view(ticket_id="JKT-3333-4444")]
    backend = FakeBackend(
        routes={
            "GET /api/v1/reporters/whatsapp/6281234567890/complaints": [
                (200, {"complaints": views})
            ]
        }
    )
    dispatcher, _ = check("status_without_ticket", backend)
    assert responses(dispatcher) == ["utter_choose_complaint"]
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert payloads == [
        '/check_status{"ticket_id": "JKT-1111-2222"}',
        '/check_status{"ticket_id": "JKT-3333-4444"}',
    ]


def test_without_ticket_and_no_reports_says_there_are_none():
    backend = FakeBackend(
        routes={
            "GET /api/v1/reporters/whatsapp/6281234567890/complaints": [(200, {"complaints": []})]
        }
    )
    dispatcher, _ = check("status_without_ticket", backend)
    assert responses(dispatcher) == ["utter_no_complaints"]
