"""Status questions ("sudah ditindaklanjuti?"): one ticket, or the citizen's list."""

from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import categories, dates, latest
from actions.backend_client import BackendError, BackendUnavailable, ComplaintView, get_client
from actions.feedback_state import forget_feedback
from actions.sender import split_sender
from actions.tickets import normalise_ticket

logger = logging.getLogger(__name__)

LIST_LIMIT = 5
CLOSED = frozenset({"selesai", "ditolak"})


def _latest_ticket(tracker: Tracker) -> str | None:
    """The ticket typed in this message (entity), not one remembered from before."""
    value = latest.entity(tracker, "ticket_id")
    return str(value) if value else None


def _jakarta_time(iso: str) -> str:
    moment = dates.parse(iso)
    return dates.numeric(moment) if moment else iso


def utter_status(dispatcher: CollectingDispatcher, view: ComplaintView) -> None:
    """Answer as CONTRACT.md section 5 says: yes when proses/selesai, with the note."""
    params = {
        "ticket_id": view["ticket_id"],
        "category_label": view.get("category_label") or categories.label(view.get("category")),
        "status_label": view.get("status_label") or view.get("status", ""),
    }
    if view.get("status") == "ditolak":
        dispatcher.utter_message(response="utter_status_rejected", **params)
    elif view.get("ditindaklanjuti"):
        dispatcher.utter_message(response="utter_status_followed_up", **params)
    else:
        dispatcher.utter_message(response="utter_status_not_yet", **params)
    if view.get("agency"):
        dispatcher.utter_message(response="utter_status_agency", agency=view["agency"])
    due = dates.parse(view.get("due_at"))
    if due is not None and view.get("status") not in CLOSED:
        dispatcher.utter_message(response="utter_status_due", due_date=dates.day(due))
    if view.get("latest_note"):
        dispatcher.utter_message(response="utter_status_note", note=view["latest_note"])
    if view.get("updated_at"):
        dispatcher.utter_message(
            response="utter_status_updated", updated_at=_jakarta_time(view["updated_at"])
        )


class ActionCheckStatus(Action):
    def name(self) -> str:
        return "action_check_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        await self._answer(dispatcher, tracker)
        # A status question moves on from any "Sudah beres?" still pending.
        return [SlotSet("ticket_id", None), *forget_feedback(tracker)]

    async def _answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        typed = _latest_ticket(tracker)
        try:
            if typed is None:
                await self._list_own(dispatcher, tracker)
                return
            ticket_id = normalise_ticket(typed)
            if ticket_id is None:
                dispatcher.utter_message(response="utter_ticket_invalid", ticket_id=typed)
                return
            view = await get_client().get_complaint(ticket_id)
        except BackendUnavailable:
            dispatcher.utter_message(response="utter_backend_unavailable")
            return
        except BackendError as error:
            if error.code == "invalid_ticket" or error.status == 400:
                dispatcher.utter_message(response="utter_ticket_invalid", ticket_id=typed)
            elif error.status == 404:
                dispatcher.utter_message(response="utter_ticket_not_found", ticket_id=ticket_id)
            else:
                dispatcher.utter_message(response="utter_backend_unavailable")
            return
        utter_status(dispatcher, view)

    async def _list_own(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        channel, chat_id = split_sender(tracker.sender_id)
        complaints = await get_client().reporter_complaints(channel, chat_id)
        if not complaints:
            dispatcher.utter_message(response="utter_no_complaints")
            return
        if len(complaints) == 1:
            utter_status(dispatcher, complaints[0])
            return
        buttons = [
            {
                "title": f"{c['ticket_id']} · {c.get('category_label') or ''} · "
                f"{c.get('status_label') or ''}"[:60],
                "payload": f'/check_status{{"ticket_id": "{c["ticket_id"]}"}}',
            }
            for c in complaints[:LIST_LIMIT]
        ]
        dispatcher.utter_message(response="utter_choose_complaint", buttons=buttons)
