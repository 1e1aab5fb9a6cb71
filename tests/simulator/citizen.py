"""The cooperative citizen: the next thing to send, from the script or from the facts."""

import json
import re
from dataclasses import dataclass
from typing import Any

from actions.categories import LABELS
from bot.channels.messages import Button
from tests.simulator.script import Conversation

_CATEGORY = re.compile(r'"category"\s*:\s*"(\w+)"')
FORM_QUESTIONS = frozenset({"description", "category", "photo", "location", "place"})


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True)
class Action:
    kind: str  # text | button | photo | pin
    text: str = ""
    button: Button | None = None
    pin: tuple[float, float] | None = None
    scripted: bool = False
    emergency: bool = False

    def describe(self) -> str:
        match self.kind:
            case "button":
                assert self.button is not None
                return f"[{self.button.title}]"
            case "photo":
                return "<photo>"
            case "pin":
                return f"<pin {self.pin}>"
        return self.text


def last_buttons(replies: list[Reply]) -> tuple[Button, ...]:
    for reply in reversed(replies):
        if reply.buttons:
            return reply.buttons
    return ()


def category_of(button: Button) -> str | None:
    if button.payload.startswith("/choose_category"):
        found = _CATEGORY.search(button.payload)
        if found:
            return found.group(1)
    titles = {label.lower(): code for code, label in LABELS.items()}
    return titles.get(button.title.strip().lower()) if button.payload.startswith("/") else None


def _find(buttons: tuple[Button, ...], *titles: str, payload: str = "") -> Button | None:
    for b in buttons:
        if b.title.strip().lower() in titles or (payload and b.payload == payload):
            return b
    return None


@dataclass
class Citizen:
    """Sends the scripted turns in order; answers what the script does not cover from facts."""

    conversation: Conversation
    position: int = 0
    pressed_more: bool = False
    resumed: bool = False

    def next(self, asked: str | None, replies: list[Reply]) -> Action | None:
        turns = self.conversation.turns
        if self.position < len(turns):
            turn = turns[self.position]
            # A turn kept for a form question the bot never asked (it knew the
            # answer already) is said at the summary, as a citizen would before
            # pressing "Kirim".
            skipped = asked == "confirm" and turn.at in FORM_QUESTIONS
            if turn.at is None or turn.at == asked or asked is None or skipped:
                self.position += 1
                if turn.photo:
                    return Action("photo", scripted=True, emergency=turn.emergency)
                if turn.pin:
                    return Action("pin", pin=turn.pin, scripted=True, emergency=turn.emergency)
                return Action("text", text=turn.say or "", scripted=True, emergency=turn.emergency)
        return self.answer(asked, last_buttons(replies))

    def answer(self, asked: str | None, buttons: tuple[Button, ...]) -> Action | None:
        """What a cooperative citizen answers to `asked`, or None (nothing to say)."""
        facts, expect = self.conversation.facts, self.conversation.expect
        match asked:
            case "description" if facts.get("description"):
                return Action("text", text=str(facts["description"]))
            case "category" if facts.get("category"):
                return self._category(str(facts["category"]), buttons)
            case "photo":
                if facts.get("photo"):
                    return Action("photo")
                skip = _find(buttons, "lewati", payload="/skip")
                return Action("button", button=skip) if skip else Action("text", text="ga ada foto")
            case "location" if facts.get("pin"):
                lat, lon = facts["pin"]
                return Action("pin", pin=(float(lat), float(lon)))
            case "location" if facts.get("location"):
                return Action("text", text=str(facts["location"]))
            case "place" if expect.get("kelurahan"):
                want = str(expect["kelurahan"]).lower()
                for b in buttons:
                    if b.payload.startswith("/choose_place") and want in b.title.lower():
                        return Action("button", button=b)
                if facts.get("pin"):
                    lat, lon = facts["pin"]
                    return Action("pin", pin=(float(lat), float(lon)))
                return None
            case "confirm":
                send = _find(buttons, "kirim", payload="/affirm")
                return Action("button", button=send) if send else Action("text", text="kirim")
            case "duplicate":
                new = _find(buttons, "buat laporan baru", payload="/deny")
                return Action("button", button=new) if new else Action("text", text="buat baru")
            case None if expect.get("outcome") == "filed" and not self.resumed:
                # A citizen who came to report takes the bot's offer to go on
                # with it (after an emergency answer, or "Mau dibuatkan laporan?").
                go_on = _find(buttons, "lanjutkan laporan", "ya, buat laporan", "buat laporan")
                if go_on:
                    self.resumed = True
                    return Action("button", button=go_on)
        return None

    def _category(self, code: str, buttons: tuple[Button, ...]) -> Action:
        offered = [(category_of(b), b) for b in buttons]
        for found, b in offered:
            if found == code:
                return Action("button", button=b)
        known = {found for found, _ in offered if found}
        more = _find(buttons, "lainnya")
        if more and len(known) < len(LABELS) and not self.pressed_more:
            self.pressed_more = True
            return Action("button", button=more)
        return Action("text", text=LABELS.get(code, code))


def buttons_from_markup(markup: Any) -> tuple[Button, ...]:
    """Buttons of a Telegram inline keyboard (`reply_markup`)."""
    if isinstance(markup, str):
        markup = json.loads(markup)
    rows = (markup or {}).get("inline_keyboard") or []
    return tuple(
        Button(str(b.get("text", "")), str(b.get("callback_data", ""))) for r in rows for b in r
    )
