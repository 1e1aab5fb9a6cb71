"""Plays many conversations at once and sums up the verdicts per set and per outcome."""

import json
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path
from typing import Any

from tests.simulator.judge import Verdict, judge
from tests.simulator.player import Transcript
from tests.simulator.script import Conversation
from tests.simulator.stack import Stack

FIRST_CHAT = 880_000_000


def play_one(stack: Stack, conversation: Conversation, chat_id: int) -> Transcript:
    try:
        if conversation.earlier:
            stack.backend.create_earlier(chat_id, conversation.earlier)
        transcript = stack.player.play(conversation, chat_id)
    except Exception as exc:  # noqa: BLE001 - one broken chat must not stop the others
        transcript = Transcript(conversation, chat_id, error=f"{type(exc).__name__}: {exc}")
    try:
        transcript.filed = stack.backend.complaints(chat_id)
        transcript.handoff = stack.backend.handoff(chat_id)
    except Exception as exc:  # noqa: BLE001
        transcript.error = transcript.error or f"{type(exc).__name__}: {exc}"
    return transcript


def play_all(
    stack: Stack,
    conversations: list[Conversation],
    workers: int = 6,
    done: Callable[[Transcript], None] | None = None,
) -> list[Transcript]:
    def one(item: tuple[int, Conversation]) -> Transcript:
        transcript = play_one(stack, item[1], FIRST_CHAT + item[0])
        if done:
            done(transcript)
        return transcript

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(one, enumerate(conversations)))


def summary(verdicts: list[Verdict], seconds: float) -> dict[str, Any]:
    sets: dict[str, Any] = {}
    groups: dict[str, list[Verdict]] = defaultdict(list)
    for v in verdicts:
        groups[v.set_name].append(v)
    for name, group in sorted(groups.items()):
        outcomes: dict[str, list[Verdict]] = defaultdict(list)
        for v in group:
            outcomes[v.outcome].append(v)
        turns = sum(v.emergency_turns for v in group)
        sets[name] = {
            "conversations": len(group),
            "pass_rate": sum(v.passed for v in group) / len(group),
            "per_outcome": {
                o: {"n": len(vs), "pass_rate": sum(v.passed for v in vs) / len(vs)}
                for o, vs in sorted(outcomes.items())
            },
            "emergency_turns": turns,
            "emergency_recall": (sum(v.emergency_hits for v in group) / turns) if turns else None,
            "false_alarms": sum(v.false_alarms for v in group),
            "citizen_turns": sum(v.turns for v in group),
        }
    return {"seconds": round(seconds, 1), "sets": sets}


def render(report: dict[str, Any]) -> str:
    lines = [f"conversation simulator: {report['seconds']} s"]
    for name, s in report["sets"].items():
        recall = s["emergency_recall"]
        lines.append(
            f"  {name}: {s['pass_rate']:.3f} pass of {s['conversations']}; "
            f"emergency recall {'-' if recall is None else f'{recall:.3f}'} "
            f"({s['emergency_turns']} turns); false alarms {s['false_alarms']} "
            f"in {s['citizen_turns']} turns"
        )
        for outcome, o in s["per_outcome"].items():
            lines.append(f"    {outcome:<10} {o['pass_rate']:.3f} of {o['n']}")
    return "\n".join(lines)


def transcript_text(transcript: Transcript, verdict: Verdict) -> str:
    """One conversation as played, for debugging (never for the blind sets' reports)."""
    mark = "ok  " if verdict.passed else "FAIL"
    lines = [f"{mark} {verdict.id} {verdict.outcome}: {'; '.join(verdict.reasons)}"]
    for step in transcript.steps:
        lines.append(f"    > {step.action.describe()}")
        for reply in step.replies:
            buttons = " ".join(f"[{b.title}]" for b in reply.buttons)
            lines.append(f"      < {reply.text} {buttons}".rstrip())
        lines.append(f"      (asks: {step.asked}{', timed out' if step.timed_out else ''})")
    return "\n".join(lines)


def write(path: Path, report: dict[str, Any], verdicts: list[Verdict]) -> None:
    """The summary and each verdict (ids and reasons only: no conversation text)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = report | {"verdicts": [asdict(v) for v in verdicts]}
    path.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n")


def run(stack: Stack, conversations: list[Conversation], workers: int = 6) -> tuple[
    dict[str, Any], list[Verdict], list[Transcript]
]:  # fmt: skip
    start = time.monotonic()
    transcripts = play_all(stack, conversations, workers)
    verdicts = [judge(t) for t in transcripts]
    return summary(verdicts, time.monotonic() - start), verdicts, transcripts
