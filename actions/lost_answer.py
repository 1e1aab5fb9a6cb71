""" "Batal" after a filing whose answer was lost: was the complaint stored or not?

When the backend stored a complaint but its answer never reached the action
server, the citizen is told it was not sent and offered "Coba lagi" or "Batal".
Cancelling then must not just drop the form: the complaint may be filed, routed
and about to send news. So, when a submission with the form's idempotency key
was attempted, the backend is asked about that key first:

- not filed: cancel as always;
- filed: tell the ticket and ask whether to go on ("Ya, lanjutkan" retries the
  submission, which answers with the stored complaint) or to withdraw it ("Tarik
  laporan", a second cancel): the backend moves it to `ditolak` with "dibatalkan
  pelapor" and alerts its unit;
- backend unreachable: say so and keep the summary, so either button works later.

The offer keeps `stage` at `confirm`, so both answers take the summary's rules.
"""

from __future__ import annotations

import enum
import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.backend_client import BackendError, BackendUnavailable, get_client
from actions.sender import split_sender

logger = logging.getLogger(__name__)
SUBMIT_ACTION = "action_submit_complaint"
# After these, a cancel is the answer "Tarik laporan".
WITHDRAW_OFFERS = frozenset({"utter_submission_found", "utter_withdraw_failed"})


class Settled(enum.Enum):
    NOT_FILED = "not_filed"  # cancel as always
    OFFERED = "offered"  # the summary stays (stage confirm) for the citizen's answer
    CLOSED = "closed"  # told what became of the filed complaint: the form goes


def submission_attempted(events: list[dict[str, Any]], key: str) -> bool:
    """Whether the submission action ran while the form had this idempotency key."""
    current: Any = None
    attempted = False
    for event in events:
        if event.get("event") == "slot" and event.get("name") == "submission_key":
            if event.get("value") != current:
                attempted = False
            current = event.get("value")
        elif event.get("event") == "action" and event.get("name") == SUBMIT_ACTION:
            attempted = attempted or current == key
    return attempted and current == key


def last_bot_response(events: list[dict[str, Any]]) -> str | None:
    for event in reversed(events):
        if event.get("event") == "bot":
            return (event.get("metadata") or {}).get("utter_action")
    return None


async def settle(dispatcher: CollectingDispatcher, tracker: Tracker) -> Settled:
    """What a cancel at the summary means; utters what the citizen must know."""
    key = tracker.get_slot("submission_key")
    if tracker.get_slot("stage") != "confirm" or not key:
        return Settled.NOT_FILED
    if last_bot_response(tracker.events) in WITHDRAW_OFFERS:
        return await _withdraw(dispatcher, tracker, str(key))
    if not submission_attempted(tracker.events, str(key)):
        return Settled.NOT_FILED
    channel, _ = split_sender(tracker.sender_id)
    try:
        view = await get_client().complaint_by_key(str(key))
    except (BackendUnavailable, BackendError) as error:
        logger.warning("lost-answer lookup failed: %s (channel=%s)", error, channel)
        dispatcher.utter_message(response="utter_submission_unverified")
        return Settled.OFFERED
    if view is None:
        return Settled.NOT_FILED
    logger.info("a lost answer's complaint was filed: %s (channel=%s)", view["ticket_id"], channel)
    dispatcher.utter_message(response="utter_submission_found", ticket_id=view["ticket_id"])
    return Settled.OFFERED


async def _withdraw(dispatcher: CollectingDispatcher, tracker: Tracker, key: str) -> Settled:
    channel, _ = split_sender(tracker.sender_id)
    client = get_client()
    try:
        view = await client.complaint_by_key(key)
        if view is None:
            return Settled.NOT_FILED
        ticket_id = view["ticket_id"]
        try:
            await client.withdraw_complaint(ticket_id, tracker.sender_id)
        except BackendError as error:
            logger.info("withdrawal refused: %s (channel=%s)", error.code, channel)
            dispatcher.utter_message(response="utter_withdraw_refused", ticket_id=ticket_id)
            return Settled.CLOSED
    except (BackendUnavailable, BackendError) as error:
        logger.warning("withdrawal failed: %s (channel=%s)", error, channel)
        dispatcher.utter_message(response="utter_withdraw_failed")
        return Settled.OFFERED
    logger.info("complaint withdrawn: %s (channel=%s)", ticket_id, channel)
    dispatcher.utter_message(response="utter_complaint_withdrawn", ticket_id=ticket_id)
    return Settled.CLOSED
