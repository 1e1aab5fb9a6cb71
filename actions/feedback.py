"""The reporter's answer to "Sudah beres?" after a resolved complaint, and a rating.

After a move to `selesai` the backend's news ends with "Sudah beres?" and
Ya/Belum buttons (`/confirm_resolution{"ticket_id": ...}`,
`/reject_resolution{...}`); the gateway also sets `feedback_ticket`, so a
typed "udah beres" or "blm min masih bolong" is an answer too.

- Ya → the answer is stored at once (API E, resolved=true), then a 1-5 rating
  is asked (`feedback_stage: rating`); the rating is a second call.
- Belum → what is not fixed yet is asked (`feedback_stage: reason`); the
  answer, or "lewati", reopens the complaint (API E, resolved=false).
"""

from __future__ import annotations

import logging
import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import latest
from actions.backend_client import BackendError, BackendUnavailable, get_client
from actions.feedback_state import feedback_events
from actions.questions import utter_filled, utter_raw
from actions.tickets import normalise_ticket

logger = logging.getLogger(__name__)

REASON_MAX = 1000
# Words that say "not fixed" whatever the intent ("blm min masih bolong").
NOT_YET = frozenset(
    {
        "belum", "blm", "blom", "belom", "blum", "masih", "msh", "boro", "boro2",
        "gak", "ga", "gk", "nggak", "ngga", "engga", "enggak", "tidak", "tdk", "kagak",
        "ndak", "bukan", "percuma",
    }
)  # fmt: skip
# Words that say "fixed" ("udah beres", "mantap udah dibenerin").
DONE = frozenset(
    {
        "sudah", "udah", "udh", "dah", "sdh", "beres", "mantap", "mantab", "sip", "oke",
        "ok", "iya", "ya", "yes", "betul", "bener", "benar", "selesai", "makasih",
        "terima", "alhamdulillah",
    }
)  # fmt: skip
# A negation before a problem word denies the problem, which says "fixed":
# "gak ada masalah lagi", "udah ga bermasalah", "sudah tidak bocor".
NEGATIONS = frozenset(
    {"gak", "ga", "g", "gk", "nggak", "ngga", "ngak", "engga", "enggak", "tidak", "tdk", "kagak",
     "ndak", "nda"}
)  # fmt: skip
PROBLEMS = frozenset(
    {
        "masalah", "bermasalah", "masalahnya", "kendala", "keluhan", "bocor", "rembes",
        "rusak", "bolong", "berlubang", "lubang", "mampet", "tersumbat", "banjir",
        "tergenang", "ngegenang", "mati", "padam", "gelap", "bau", "macet", "numpuk",
        "menumpuk", "kotor", "jebol", "retak", "ambrol", "ngadat", "kenapa2",
    }
)  # fmt: skip
# Words that may stand between the negation and the problem ("ga ada yang bocor").
_BETWEEN = frozenset({"ada", "lagi", "pernah", "yang", "yg", "terlalu", "begitu"})
SKIP = ("lewati", "skip", "nanti", "ga usah", "gak usah", "nggak usah", "tidak usah", "gausah")
NUMBER_WORDS = {"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5}
_WORD = re.compile(r"[a-z0-9]+")
_DIGIT = re.compile(r"(?<![\d.,])([1-5])(?![\d.,])")


def _denied_problems(tokens: list[str]) -> set[int]:
    """Positions of the negations that deny a problem ("gak ada masalah lagi")."""
    found = set()
    for index, token in enumerate(tokens):
        if token not in NEGATIONS:
            continue
        for following in tokens[index + 1 : index + 4]:
            if following in PROBLEMS:
                found.add(index)
                break
            if following not in _BETWEEN:
                break
    return found


def verdict(intent: str, text: str) -> str | None:
    """Return "confirm", "reject", or None when the answer says neither.

    Words decide before the intent: a denied problem ("sudah tidak bocor")
    means fixed, any other not-yet word ("belum", "masih", "boro2") not fixed.
    """
    if intent == "confirm_resolution":
        return "confirm"
    if intent == "reject_resolution":
        return "reject"
    tokens = _WORD.findall(text.lower())
    denied = _denied_problems(tokens)
    words = {token for index, token in enumerate(tokens) if index not in denied}
    if words & NOT_YET:
        return "reject"
    if denied:
        return "confirm"
    if intent == "deny":
        return "reject"
    if words & DONE or intent in {"affirm", "thank"}:
        return "confirm"
    return None


def parse_rating(text: str) -> int | None:
    """1-5 from "5", "lima", "4 bintang", "⭐⭐⭐"; None when unclear or several."""
    lowered = text.lower()
    words = set(_WORD.findall(lowered))
    found = {int(digit) for digit in _DIGIT.findall(lowered)}
    found |= {value for word, value in NUMBER_WORDS.items() if word in words}
    stars = text.count("⭐") + text.count("★")
    if 1 <= stars <= 5:
        found.add(stars)
    return found.pop() if len(found) == 1 else None


def wants_to_skip(intent: str, text: str) -> bool:
    lowered = text.lower()
    return intent in {"skip", "cancel"} or any(word in lowered for word in SKIP)


def _ticket(tracker: Tracker) -> str | None:
    """The ticket the answer is about: the button's, else the pending question's."""
    typed = latest.entity(tracker, "ticket_id")
    if typed is not None:
        return normalise_ticket(str(typed))
    pending = tracker.get_slot("feedback_ticket")
    return normalise_ticket(str(pending)) if pending else None


def _utter_error(dispatcher: CollectingDispatcher, error: BackendError, ticket_id: str) -> None:
    if error.status == 404:
        dispatcher.utter_message(response="utter_ticket_not_found", ticket_id=ticket_id)
    elif error.code == "not_reporter":
        dispatcher.utter_message(response="utter_feedback_not_reporter", ticket_id=ticket_id)
    elif error.code == "not_resolved":
        dispatcher.utter_message(response="utter_feedback_not_resolved", ticket_id=ticket_id)
    else:
        dispatcher.utter_message(response="utter_feedback_failed")


class ActionResolutionAnswer(Action):
    """Ya/Belum (buttons or typed) to "Sudah beres?"."""

    def name(self) -> str:
        return "action_resolution_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        ticket_id = _ticket(tracker)
        if ticket_id is None:
            dispatcher.utter_message(response="utter_feedback_no_ticket")
            return feedback_events(None, None)
        answer = verdict(latest.intent(tracker), latest.text(tracker))
        if answer is None:
            utter_filled(
                dispatcher, domain, "utter_ask_resolved",
                entities={"ticket_id": ticket_id}, ticket_id=ticket_id,
            )  # fmt: skip
            return feedback_events(ticket_id, None)
        if answer == "reject":
            utter_raw(dispatcher, domain, "utter_ask_not_fixed")
            return feedback_events(ticket_id, "reason")
        try:
            await get_client().send_feedback(ticket_id, tracker.sender_id, resolved=True)
        except BackendUnavailable:
            dispatcher.utter_message(response="utter_feedback_unavailable")
            return feedback_events(ticket_id, None)  # a typed "sudah" later still works
        except BackendError as error:
            logger.info("resolution answer refused: %s %s", error.status, error.code)
            _utter_error(dispatcher, error, ticket_id)
            return feedback_events(None, None)
        dispatcher.utter_message(response="utter_resolution_confirmed")
        utter_raw(dispatcher, domain, "utter_ask_rating")
        return feedback_events(ticket_id, "rating")


class ActionFeedbackFollowup(Action):
    """The answer to the follow-up question: the rating, or what is not fixed."""

    def name(self) -> str:
        return "action_feedback_followup"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        ticket_id = _ticket(tracker)
        stage = tracker.get_slot("feedback_stage")
        if ticket_id is None or stage not in {"rating", "reason"}:
            dispatcher.utter_message(response="utter_feedback_no_ticket")
            return feedback_events(None, None)
        if stage == "rating":
            return await self._rating(dispatcher, tracker, domain, ticket_id)
        return await self._reason(dispatcher, tracker, ticket_id)

    async def _rating(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, ticket_id: str
    ) -> list[EventType]:
        intent, text = latest.intent(tracker), latest.text(tracker)
        button = latest.entity(tracker, "rating")
        rating = parse_rating(str(button)) if button is not None else parse_rating(text)
        if rating is None and wants_to_skip(intent, text):
            dispatcher.utter_message(response="utter_feedback_thanks")
            return feedback_events(None, None)
        if rating is None:
            dispatcher.utter_message(response="utter_rating_unclear")
            utter_raw(dispatcher, domain, "utter_ask_rating")
            return feedback_events(ticket_id, "rating")
        try:
            await get_client().send_feedback(
                ticket_id, tracker.sender_id, resolved=True, rating=rating
            )
        except BackendUnavailable:
            dispatcher.utter_message(response="utter_feedback_unavailable")
            return feedback_events(ticket_id, "rating")
        except BackendError as error:
            logger.info("rating refused: %s %s", error.status, error.code)
            _utter_error(dispatcher, error, ticket_id)
            return feedback_events(None, None)
        dispatcher.utter_message(response="utter_rating_thanks", rating=rating)
        return feedback_events(None, None)

    async def _reason(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, ticket_id: str
    ) -> list[EventType]:
        intent, text = latest.intent(tracker), latest.text(tracker).strip()
        if intent == "cancel":
            dispatcher.utter_message(response="utter_reopen_cancelled", ticket_id=ticket_id)
            return feedback_events(None, None)
        reason = None if wants_to_skip(intent, text) or text.startswith("/") else text
        try:
            result = await get_client().send_feedback(
                ticket_id,
                tracker.sender_id,
                resolved=False,
                reason=reason[:REASON_MAX] if reason else None,
            )
        except BackendUnavailable:
            dispatcher.utter_message(response="utter_reopen_unavailable")
            return feedback_events(ticket_id, "reason")
        except BackendError as error:
            logger.info("reopen refused: %s %s", error.status, error.code)
            _utter_error(dispatcher, error, ticket_id)
            return feedback_events(None, None)
        logger.info("complaint reopened by its reporter: %s", result.get("ticket_id"))
        dispatcher.utter_message(response="utter_complaint_reopened", ticket_id=ticket_id)
        return feedback_events(None, None)
