"""Did the conversation end right? Decided from the backend's records and the replies."""

import re
from dataclasses import dataclass, field

from tests.simulator.player import Transcript

EMERGENCY = re.compile(r"\b112\b")
STATUS_LABELS = {
    "menunggu": "Menunggu",
    "koordinasi": "Koordinasi",
    "disposisi": "Diteruskan ke",
    "proses": "Sedang ditindaklanjuti",
    "selesai": "Selesai",
    "ditolak": "Ditolak",
}


@dataclass
class Verdict:
    id: str
    set_name: str
    outcome: str
    passed: bool
    reasons: list[str] = field(default_factory=list)
    emergency_turns: int = 0
    emergency_hits: int = 0
    false_alarms: int = 0
    turns: int = 0


def _first(step_replies: list[str]) -> str:
    return step_replies[0] if step_replies else ""


def judge(transcript: Transcript) -> Verdict:
    c = transcript.conversation
    expect = c.expect
    outcome = str(expect["outcome"])
    verdict = Verdict(c.id, c.set_name, outcome, True, turns=len(transcript.steps))
    earlier = (c.earlier or {}).get("ticket")
    filed = [f for f in transcript.filed if f["ticket"] != earlier]
    texts = [r.text for s in transcript.steps for r in s.replies]
    fail = verdict.reasons.append

    for step in transcript.steps:
        hit = bool(EMERGENCY.search(_first([r.text for r in step.replies])))
        if step.action.emergency:
            verdict.emergency_turns += 1
            verdict.emergency_hits += hit
            if not hit:
                fail("an emergency turn got no 112 in its first reply")
        elif hit:
            verdict.false_alarms += 1
    if transcript.error:
        fail(f"error: {transcript.error}")
    if any(s.timed_out for s in transcript.steps):
        fail("a turn timed out")

    match outcome:
        case "filed":
            if len(filed) != 1:
                fail(f"{len(filed)} complaints filed, expected 1")
            else:
                got = filed[0]
                if got["category"] != expect.get("category"):
                    fail(f"filed as {got['category']}, expected {expect.get('category')}")
                want = str(expect.get("kelurahan", "")).lower()
                if str(got["kelurahan"] or "").lower() != want:
                    fail(
                        f"filed in kelurahan {got['kelurahan']}, expected {expect.get('kelurahan')}"
                    )
        case "cancelled":
            if filed:
                fail(f"{len(filed)} complaints filed, expected none")
        case "status":
            ticket = str(expect.get("ticket", "")).upper()
            status = str((c.earlier or {}).get("status", ""))
            label = STATUS_LABELS.get(status, status).lower()
            if not any(ticket in t.upper() and label in t.lower() for t in texts):
                fail(f"no reply names {ticket} with its status label")
        case "handoff":
            if not transcript.handoff:
                fail("no live conversation with an officer")
        case "emergency":
            if verdict.emergency_turns == 0:
                fail("no turn is marked emergency: true")
            if filed and not expect.get("category"):
                fail(f"{len(filed)} complaints filed, expected none")
        case "answered":
            if filed:
                fail(f"{len(filed)} complaints filed, expected none")
            if transcript.handoff:
                fail("handed to an officer")
            if not texts:
                fail("the bot never replied")
    verdict.passed = not verdict.reasons
    return verdict
