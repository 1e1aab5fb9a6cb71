"""Answers to "Sudah beres?": Ya/Belum (buttons or typed), the rating, the reason, errors."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import responses, run_with_backend, slots, with_message
from fake_backend import FakeBackend
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.feedback import (
    ActionFeedbackFollowup,
    ActionResolutionAnswer,
    parse_rating,
    verdict,
)
from actions.status import ActionCheckStatus

TICKET = "JKT-7K3M-Q9XA"
FEEDBACK = f"POST /api/v1/complaints/{TICKET}/feedback"


def ok(resolved: bool, rating: int | None = None) -> tuple[int, dict[str, Any]]:
    status = "selesai" if resolved else "proses"
    return 200, {"ticket_id": TICKET, "status": status, "resolved": resolved, "rating": rating}


def refused(status: int, code: str) -> tuple[int, dict[str, Any]]:
    return status, {"detail": code.replace("_", " "), "code": code}


def answer(
    text: str,
    intent: str,
    entities: list[dict[str, Any]] | None = None,
    **slot_overrides: Any,
) -> Tracker:
    return with_message("feedback_pending", text, intent, entities, **slot_overrides)


def run(
    action: Action,
    tracker: Tracker,
    domain: dict[str, Any],
    backend: FakeBackend | None = None,
    *,
    down: bool = False,
) -> tuple[dict[str, Any], CollectingDispatcher, FakeBackend]:
    dispatcher = CollectingDispatcher()
    fake = backend or FakeBackend()

    async def scenario(_: FakeBackend) -> list[dict[str, Any]]:
        return await action.run(dispatcher, tracker, domain)

    return slots(run_with_backend(fake, scenario, down=down)), dispatcher, fake


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [
        ("sudah", "affirm", "confirm"),
        ("iya udah beres", "affirm", "confirm"),
        ("mantap udah dibenerin", "affirm", "confirm"),
        ("makasih udah dibenerin", "thank", "confirm"),
        ("belum", "deny", "reject"),
        ("blm min masih bolong", "deny", "reject"),
        ("blm min masih bolong", "report_complaint", "reject"),
        ("boro2 beres", "affirm", "reject"),  # the model reads it as affirm
        ("iya tapi masih bocor", "affirm", "reject"),
        # A denied problem is fixed, whatever the intent.
        ("gak ada masalah lagi", "deny", "confirm"),
        ("udah gak ada masalah", "deny", "confirm"),
        ("udah ga bermasalah", "affirm", "confirm"),
        ("sudah tidak bocor", "deny", "confirm"),
        ("ga ada yang bocor lagi min", "nlu_fallback", "confirm"),
        ("lampunya udah nggak mati", "inform", "confirm"),
        # ... but not when something else is still wrong, or nothing was fixed.
        ("ga ada masalah tapi masih bau", "affirm", "reject"),
        ("udah gak bocor, belum diaspal", "affirm", "reject"),
        ("belum beres", "affirm", "reject"),
        ("masih bolong", "affirm", "reject"),
        ("gak beres", "affirm", "reject"),
        ("ga ada perbaikan sama sekali", "deny", "reject"),
        ("tidak, masih rusak", "deny", "reject"),
        ("gak", "deny", "reject"),
        ("hmm", "nlu_fallback", None),
        ("x", "confirm_resolution", "confirm"),
        ("x", "reject_resolution", "reject"),
    ],
)
def test_verdict_of_typed_answers(text, intent, expected):
    assert verdict(intent, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5", 5),
        ("lima", 5),
        ("4 bintang", 4),
        ("bintang 3 deh", 3),
        ("⭐⭐⭐⭐", 4),
        ("1", 1),
        ("bagus bgt", None),  # praise is not a number: asked again
        ("3 atau 4", None),
        ("10", None),
        ("2.5", None),
    ],
)
def test_rating_from_typed_text(text, expected):
    assert parse_rating(text) == expected


def test_ya_button_stores_the_answer_then_asks_a_rating(domain):
    tracker = answer(
        f'/confirm_resolution{{"ticket_id": "{TICKET}"}}',
        "confirm_resolution",
        [{"entity": "ticket_id", "value": TICKET}],
        feedback_ticket=None,
    )
    backend = FakeBackend(routes={FEEDBACK: [ok(True)]})
    filled, dispatcher, fake = run(ActionResolutionAnswer(), tracker, domain, backend)
    request = fake.calls("POST", f"/api/v1/complaints/{TICKET}/feedback")[0]
    assert request.body == {
        "sender_id": "telegram:42",
        "resolved": True,
        "reason": None,
        "rating": None,
    }
    assert request.headers["Authorization"] == "Bearer test-token"
    assert responses(dispatcher) == ["utter_resolution_confirmed", None]
    rating_question = dispatcher.messages[1]
    assert rating_question["utter_action"] == "utter_ask_rating"
    assert [b["payload"] for b in rating_question["buttons"]][:5] == [
        f'/rate{{"rating": {n}}}' for n in range(1, 6)
    ]
    assert filled == {"feedback_ticket": TICKET, "feedback_stage": "rating"}


def test_typed_yes_uses_the_pending_ticket(domain):
    backend = FakeBackend(routes={FEEDBACK: [ok(True)]})
    filled, _, fake = run(
        ActionResolutionAnswer(), answer("iya udah beres", "affirm"), domain, backend
    )
    assert fake.calls("POST", f"/api/v1/complaints/{TICKET}/feedback")[0].body["resolved"]
    assert filled["feedback_stage"] == "rating"


def test_belum_asks_what_is_not_fixed_without_calling_the_backend(domain):
    filled, dispatcher, fake = run(
        ActionResolutionAnswer(), answer("blm min masih bolong", "deny"), domain
    )
    assert fake.requests == []
    assert dispatcher.messages[0]["utter_action"] == "utter_ask_not_fixed"
    assert dispatcher.messages[0]["buttons"] == [{"title": "Lewati", "payload": "/skip"}]
    assert filled == {"feedback_ticket": TICKET, "feedback_stage": "reason"}


def test_an_unclear_answer_asks_again_with_the_ticket_in_the_buttons(domain):
    filled, dispatcher, fake = run(ActionResolutionAnswer(), answer("hmm", "nlu_fallback"), domain)
    assert fake.requests == []
    [message] = dispatcher.messages
    assert message["utter_action"] == "utter_ask_resolved"
    assert TICKET in message["text"]
    assert [b["payload"] for b in message["buttons"]] == [
        f'/confirm_resolution{{"ticket_id": "{TICKET}"}}',
        f'/reject_resolution{{"ticket_id": "{TICKET}"}}',
    ]
    assert filled == {"feedback_ticket": TICKET, "feedback_stage": None}


def test_a_button_without_any_ticket_says_so(domain):
    tracker = answer("/confirm_resolution", "confirm_resolution", feedback_ticket=None)
    filled, dispatcher, fake = run(ActionResolutionAnswer(), tracker, domain)
    assert responses(dispatcher) == ["utter_feedback_no_ticket"]
    assert fake.requests == []
    assert filled == {"feedback_ticket": None, "feedback_stage": None}


@pytest.mark.parametrize(
    ("reply", "said"),
    [
        (refused(404, "not_found"), "utter_ticket_not_found"),
        (refused(403, "not_reporter"), "utter_feedback_not_reporter"),
        (refused(409, "not_resolved"), "utter_feedback_not_resolved"),
        (refused(422, "validation_error"), "utter_feedback_failed"),
    ],
)
def test_refused_answers_are_explained_and_forgotten(domain, reply, said):
    backend = FakeBackend(routes={FEEDBACK: [reply]})
    filled, dispatcher, _ = run(
        ActionResolutionAnswer(), answer("sudah", "affirm"), domain, backend
    )
    assert responses(dispatcher) == [said]
    assert filled == {"feedback_ticket": None, "feedback_stage": None}


def test_backend_down_at_yes_keeps_the_question_open(domain):
    filled, dispatcher, _ = run(
        ActionResolutionAnswer(), answer("sudah", "affirm"), domain, down=True
    )
    assert responses(dispatcher) == ["utter_feedback_unavailable"]
    assert filled == {"feedback_ticket": TICKET, "feedback_stage": None}


def rating_answer(text: str, intent: str, entities: list[dict[str, Any]] | None = None) -> Tracker:
    return answer(text, intent, entities, feedback_stage="rating")


@pytest.mark.parametrize(
    ("text", "intent", "entities", "rating"),
    [
        ('/rate{"rating": 4}', "rate", [{"entity": "rating", "value": 4}], 4),
        ("5", "nlu_fallback", None, 5),
        ("lima", "affirm", None, 5),
        ("4 bintang", "inform", None, 4),
    ],
)
def test_a_rating_is_stored_and_thanked(domain, text, intent, entities, rating):
    backend = FakeBackend(routes={FEEDBACK: [ok(True, rating)]})
    filled, dispatcher, fake = run(
        ActionFeedbackFollowup(), rating_answer(text, intent, entities), domain, backend
    )
    body = fake.calls("POST", f"/api/v1/complaints/{TICKET}/feedback")[0].body
    assert body == {"sender_id": "telegram:42", "resolved": True, "reason": None, "rating": rating}
    assert responses(dispatcher) == ["utter_rating_thanks"]
    assert dispatcher.messages[0]["rating"] == rating
    assert filled == {"feedback_ticket": None, "feedback_stage": None}


def test_praise_without_a_number_asks_for_the_number_again(domain):
    filled, dispatcher, fake = run(
        ActionFeedbackFollowup(), rating_answer("bagus bgt", "affirm"), domain
    )
    assert fake.requests == []
    assert responses(dispatcher) == ["utter_rating_unclear", None]
    assert dispatcher.messages[1]["utter_action"] == "utter_ask_rating"
    assert filled == {"feedback_ticket": TICKET, "feedback_stage": "rating"}


def test_skipping_the_rating_thanks_and_finishes(domain):
    for text, intent in (("/skip", "skip"), ("lewati aja", "nlu_fallback"), ("ga usah", "deny")):
        filled, dispatcher, fake = run(
            ActionFeedbackFollowup(), rating_answer(text, intent), domain
        )
        assert fake.requests == [], text
        assert responses(dispatcher) == ["utter_feedback_thanks"], text
        assert filled == {"feedback_ticket": None, "feedback_stage": None}


def test_backend_down_at_the_rating_keeps_asking(domain):
    filled, dispatcher, _ = run(
        ActionFeedbackFollowup(), rating_answer("5", "nlu_fallback"), domain, down=True
    )
    assert responses(dispatcher) == ["utter_feedback_unavailable"]
    assert filled == {"feedback_ticket": TICKET, "feedback_stage": "rating"}


def reason_answer(text: str, intent: str) -> Tracker:
    return answer(text, intent, feedback_stage="reason")


def test_the_reason_reopens_the_complaint(domain):
    backend = FakeBackend(routes={FEEDBACK: [ok(False)]})
    filled, dispatcher, fake = run(
        ActionFeedbackFollowup(),
        reason_answer("lubangnya cuma ditutup tanah", "inform"),
        domain,
        backend,
    )
    body = fake.calls("POST", f"/api/v1/complaints/{TICKET}/feedback")[0].body
    assert body == {
        "sender_id": "telegram:42",
        "resolved": False,
        "reason": "lubangnya cuma ditutup tanah",
        "rating": None,
    }
    assert responses(dispatcher) == ["utter_complaint_reopened"]
    assert dispatcher.messages[0]["ticket_id"] == TICKET
    assert filled == {"feedback_ticket": None, "feedback_stage": None}


def test_lewati_reopens_without_a_reason(domain):
    for text, intent in (("/skip", "skip"), ("lewati", "nlu_fallback")):
        backend = FakeBackend(routes={FEEDBACK: [ok(False)]})
        _, dispatcher, fake = run(
            ActionFeedbackFollowup(), reason_answer(text, intent), domain, backend
        )
        body = fake.calls("POST", f"/api/v1/complaints/{TICKET}/feedback")[0].body
        assert (body["resolved"], body["reason"]) == (False, None), text
        assert responses(dispatcher) == ["utter_complaint_reopened"]


def test_cancel_at_the_reason_reopens_nothing(domain):
    filled, dispatcher, fake = run(
        ActionFeedbackFollowup(), reason_answer("batal", "cancel"), domain
    )
    assert fake.requests == []
    assert responses(dispatcher) == ["utter_reopen_cancelled"]
    assert filled == {"feedback_ticket": None, "feedback_stage": None}


def test_a_complaint_no_longer_selesai_is_explained(domain):
    backend = FakeBackend(routes={FEEDBACK: [refused(409, "not_resolved")]})
    filled, dispatcher, _ = run(
        ActionFeedbackFollowup(), reason_answer("masih bocor", "inform"), domain, backend
    )
    assert responses(dispatcher) == ["utter_feedback_not_resolved"]
    assert filled == {"feedback_ticket": None, "feedback_stage": None}


def test_backend_down_at_the_reason_keeps_it_for_a_retry(domain):
    filled, dispatcher, _ = run(
        ActionFeedbackFollowup(), reason_answer("masih bocor", "inform"), domain, down=True
    )
    assert responses(dispatcher) == ["utter_reopen_unavailable"]
    assert filled == {"feedback_ticket": TICKET, "feedback_stage": "reason"}


def test_the_reopen_is_never_retried(domain):
    backend = FakeBackend(routes={FEEDBACK: [(503, {"detail": "busy", "code": "unavailable"})]})
    _, _, fake = run(
        ActionFeedbackFollowup(), reason_answer("masih bocor", "inform"), domain, backend
    )
    assert len(fake.calls("POST", f"/api/v1/complaints/{TICKET}/feedback")) == 1


def test_a_status_question_moves_on_from_a_pending_question(domain):
    tracker = answer("status JKT-7K3M-Q9XA", "check_status", feedback_stage="rating")
    filled, _, _ = run(ActionCheckStatus(), tracker, domain, down=True)
    assert filled["feedback_ticket"] is None
    assert filled["feedback_stage"] is None
