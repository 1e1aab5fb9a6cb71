"""Where the problem is: pins, typed addresses and the kelurahan chosen from a list.

A typed address is searched and stored whole, as the citizen wrote it (the
street, number and RT/RW are what an officer needs to find the place); the
search only adds the kelurahan found in it. Nothing is stored as an address
unless it looks like one: "stop aja", "iya", "bentar" are not places.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import latest
from actions.backend_client import BackendError, BackendUnavailable, PlaceCandidate, get_client
from actions.questions import utter_filled

ADDRESS_MAX = 500
MIN_ADDRESS_CHARS = 5
PLACE_OPTIONS = 3  # candidates offered as buttons when a typed place is not clear

# Words that make a text look like a place even when no kelurahan matches it.
_PLACE_WORDS = re.compile(
    r"\b(jl|jln|jalan|gg|gang|rt|rw|no|nomor|blok|kel|kelurahan|kec|kecamatan|kav|komplek|"
    r"kompleks|perum|perumahan|pasar|stasiun|terminal|halte|masjid|sekolah|sdn|smpn|puskesmas|"
    r"kampung|kp|depan|samping|belakang|dekat|deket|seberang|sebelah|pertigaan|perempatan|"
    r"jembatan|kali|taman|tol|raya|jakarta|jakut|jaksel|jakbar|jaktim|jakpus)\b|\d"
)
# What makes a place named inside a description an address worth keeping
# without asking: a bare area ("cawang", "pasar minggu") is asked for, since a
# pin or a street tells the officer far more.
_ADDRESS_WORDS = re.compile(
    r"\b(jl|jln|jalan|gg|gang|rt|rw|no|nomor|blok|kel|kelurahan|kec|kecamatan|kav|komplek|"
    r"kompleks|perum|perumahan)\b|\d"
)
# A message that gives up, waits or just answers yes/no is not an address.
CANCEL_PHRASES = (
    "batal",
    "gak jadi",
    "ga jadi",
    "gk jadi",
    "nggak jadi",
    "enggak jadi",
    "tidak jadi",
    "ngga jadi",
    "stop",
    "udahan",
    "ga usah",
    "gak usah",
    "nggak usah",
    "tidak usah",
)
_NOT_PLACES = frozenset(
    """iya ya ok oke okey okay sip siap betul benar bener tidak nggak ngga gak ga engga enggak
    bukan makasih terima kasih thanks thx bentar sebentar tunggu nanti dulu ntar halo hai
    min kak pak bu sini situ disini disitu tau tahu lupa entah""".split()
)


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower())


def has_cancel_phrase(text: str) -> bool:
    padded = f" {' '.join(_words(text))} "
    return any(f" {phrase} " in padded for phrase in CANCEL_PHRASES)


def looks_like_address(text: str) -> bool:
    """Whether a typed answer can be a place: letters, not a bare yes/no/thanks/wait
    and no cancel phrase. Street, RT/RW, number or place words are not required
    (the search may still match a kelurahan), but a message made only of
    conversational words is refused."""
    words = _words(text)
    if len(text.strip()) < MIN_ADDRESS_CHARS or not any(w.isalpha() for w in words):
        return False
    if has_cancel_phrase(text):
        return False
    return not all(w in _NOT_PLACES for w in words)


def has_place_words(text: str) -> bool:
    return _PLACE_WORDS.search(text.lower()) is not None


async def validate_pin(dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
    latitude = tracker.get_slot("latitude")
    longitude = tracker.get_slot("longitude")
    if latitude is None or longitude is None:
        dispatcher.utter_message(response="utter_location_unclear")
        return {"location": None}
    try:
        place = await get_client().reverse_place(float(latitude), float(longitude))
    except (BackendUnavailable, BackendError):
        # Places lookup down: keep the pin, the backend routes it later.
        return {"location": "pin", "address": None, "kelurahan": None}
    if not place.get("inside_jakarta", True):
        dispatcher.utter_message(response="utter_location_outside_jakarta")
        # latitude/longitude stay: the next pin or address replaces them.
        return {"location": None}
    kelurahan = place.get("kelurahan")
    if kelurahan:
        dispatcher.utter_message(
            response="utter_location_found",
            kelurahan=kelurahan,
            kecamatan=place.get("kecamatan") or "-",
        )
    # The backend finds the kelurahan from the pin itself.
    return {
        "location": "pin",
        "address": None,
        "kelurahan": kelurahan,
        "kelurahan_code": None,
        "place_options": None,
    }


async def validate_typed(
    text: str, dispatcher: CollectingDispatcher, *, asked: bool = True
) -> dict[str, Any]:
    """A typed place: searched whole, stored whole with the kelurahan found in it.

    `asked` is False for a place named before the question (in the first
    description): it is kept only when it reads like an address (a street,
    RT/RW, a number) and the search is clear, silently otherwise.
    """
    text = text.strip()
    if not asked and not _ADDRESS_WORDS.search(text.lower()):
        return {"location": None}
    if not looks_like_address(text):
        if asked:
            if has_cancel_phrase(text):
                dispatcher.utter_message(response="utter_cancel_offer")
            else:
                dispatcher.utter_message(response="utter_location_unclear")
        return {"location": None}
    address = text[:ADDRESS_MAX]
    try:
        candidates, clear = await get_client().search_places(text)
    except (BackendUnavailable, BackendError):
        candidates, clear = [], True
    if not asked and not (candidates and clear):
        return {"location": None}
    # A typed place is sent as its kelurahan, never as a point: the
    # kelurahan's representative point is not where the problem is, so
    # there are no coordinates and no nearby-duplicate check.
    typed = {"address": address, "latitude": None, "longitude": None}
    if candidates and not clear:
        # Asked with buttons by action_ask_location; the address is kept.
        options = [_option(c) for c in candidates[:PLACE_OPTIONS]]
        return {"location": None, **typed, "kelurahan": None, "place_options": options}
    best = candidates[0] if candidates else None
    # No kelurahan recognised: keep the citizen's address; officers triage it.
    return {
        "location": address,
        **typed,
        "kelurahan": best["kelurahan"] if best else None,
        "kelurahan_code": best["kelurahan_code"] if best else None,
        "place_options": None,
    }


def _option(candidate: PlaceCandidate) -> dict[str, str]:
    return {
        "code": candidate["kelurahan_code"],
        "kelurahan": candidate["kelurahan"],
        "kecamatan": candidate["kecamatan"],
    }


def chosen_place(tracker: Tracker) -> dict[str, Any]:
    """The kelurahan button pressed after an unclear typed place."""
    code = latest.entity(tracker, "kelurahan_code")
    options = tracker.get_slot("place_options") or []
    chosen = next((o for o in options if o.get("code") == code), None)
    address = tracker.get_slot("address")
    if chosen is None or not address:
        return {"location": None}  # a stale button: the question is asked again
    return {
        "location": address,
        "kelurahan": chosen["kelurahan"],
        "kelurahan_code": chosen["code"],
        "place_options": None,
    }


class ActionAskLocation(Action):
    """The location question, or the kelurahan to choose when the typed place was unclear."""

    def name(self) -> str:
        return "action_ask_location"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        options = tracker.get_slot("place_options") or []
        if not options:
            dispatcher.utter_message(response="utter_ask_location")
            return []
        buttons = [
            {
                "title": f"{o['kelurahan']}, Kec. {o['kecamatan']}"[:60],
                "payload": f'/choose_place{{"kelurahan_code": "{o["code"]}"}}',
            }
            for o in options
        ]
        utter_filled(
            dispatcher, domain, "utter_place_unclear",
            buttons_first=buttons, address=tracker.get_slot("address") or "",
        )  # fmt: skip
        return []
