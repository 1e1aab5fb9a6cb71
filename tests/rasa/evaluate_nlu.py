"""Score the trained model on the blind message sets, with floors.

The sets in tests/rasa/blind/*/messages.yml were written by people who never
saw nlu_data/, the stories or the tests (docs/nlu.md says how); they are
never trained on and never edited to fit the model. For each set this prints
the figures of issue 11 (tests/rasa/blind_scores.py): intent macro-F1,
status-vs-report accuracy, the category the form files and the three it
offers, emergency recall and false alarms, ticket extraction, accuracy per
register, and the most frequent confusions as counts. It never prints a
message of a blind set. It exits 1 when a set is below a floor of
tests/rasa/floors.yml.

It also parses the short messages of short_answers.yml (keyboard mash,
laughter, yes/no answers, a citizen starting to explain) and fails when any
gets a wrong intent: junk must never get an intent that answers a question,
and every real answer must get its own intent (docs/nlu.md).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path

import yaml

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.rasa.blind_scores import FLOORS, Scores, below_floors, score  # noqa: E402

HERE = Path(__file__).resolve().parent
BLIND = HERE / "blind"
FLOORS_FILE = HERE / "floors.yml"
SHORT_ANSWERS = HERE / "short_answers.yml"
# Intents that answer the bot's questions: at the summary `affirm` files the
# complaint and `cancel` drops it; at "Sudah beres?" `thank` counts as a yes.
COMMITTING = frozenset({"affirm", "deny", "cancel", "thank"})
# What each group of short_answers.yml may get; None: anything but COMMITTING.
ACCEPTED: dict[str, frozenset[str] | None] = {
    "junk": None,
    "laughter": None,
    "affirm": frozenset({"affirm"}),
    "deny": frozenset({"deny"}),
    "cancel": frozenset({"cancel"}),
    "opening": frozenset({"report_complaint", "inform"}),
}


def say(text: str) -> None:
    sys.stdout.write(text + "\n")


def load_short_answers(path: Path = SHORT_ANSWERS) -> list[tuple[str, str]]:
    """(group, text) pairs; an unknown group is an error, not a silent pass."""
    groups = yaml.safe_load(path.read_text(encoding="utf-8"))
    unknown = set(groups) - set(ACCEPTED)
    if unknown:
        raise ValueError(f"{path.name}: unknown groups {sorted(unknown)}")
    return [(group, str(text)) for group, texts in groups.items() for text in texts]


def short_answer_errors(pairs: list[tuple[str, str]], results: list[dict]) -> list[str]:
    errors = []
    for (group, text), result in zip(pairs, results, strict=True):
        intent = (result.get("intent") or {}).get("name")
        accepted = ACCEPTED[group]
        ok = intent not in COMMITTING if accepted is None else intent in accepted
        if not ok:
            errors.append(f"{group}: {text!r} -> {intent}")
    return errors


def blind_sets(root: Path = BLIND) -> dict[str, list[dict]]:
    return {
        path.parent.name: yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted(root.glob("*/messages.yml"))
    }


def floors(path: Path = FLOORS_FILE) -> list[tuple[str, float, bool]]:
    """The floors the build enforces: tests/rasa/floors.yml, else issue 11's goals."""
    if not path.exists():
        return FLOORS
    stored = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [(name, float(stored.get(name, floor)), higher) for name, floor, higher in FLOORS]


async def parse_all(model: str, texts: list[str]) -> list[dict]:
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    # Unconfigured, Rasa's structlog prints every parsed text at debug level:
    # the blind sets' messages must not reach the output.
    configure_structlog(logging.WARNING)

    agent = Agent.load(model)
    return [with_category(await agent.parse_message(text)) for text in texts]


def with_category(result: dict) -> dict:
    """A model from before the category classifier (a baseline revision) has
    no `category_ranking`: its category is what the form took then, the
    `category` entity mapped to a code or a keyword of the text."""
    if "category_ranking" in result:
        return result
    from actions.categories import from_message

    intent = (result.get("intent") or {}).get("name")
    entities = [e for e in result.get("entities") or [] if e.get("entity") != "category"]
    code = from_message(result.get("entities") or [], str(result.get("text") or ""), intent)
    if code:
        entities.append({"entity": "category", "value": code})
    return {**result, "entities": entities, "category_ranking": []}


def report(name: str, scores: Scores) -> None:
    say(f"== blind set {name}: {scores.messages} messages")
    say(f"intent macro-F1          {scores.intent_macro_f1:.4f}")
    say(
        f"status vs report         {scores.status_vs_report:.4f} "
        f"(status read as report {scores.status_as_report}, report as status "
        f"{scores.report_as_status})"
    )
    say(
        f"category, top 1          {scores.category_top1:.4f}   "
        f"among the 3 offered {scores.category_top3:.4f}   "
        f"filed without asking {scores.category_auto_share:.2f} "
        f"(right {scores.category_auto_precision:.4f})"
    )
    say(
        f"emergency recall         {scores.emergency_recall:.4f} "
        f"({scores.emergencies - scores.emergency_missed}/{scores.emergencies})   "
        f"false alarms: ordinary complaints {scores.false_alarms_ordinary:.4f}, "
        f"near misses {scores.false_alarms_near_miss:.4f}"
    )
    say(f"tickets extracted        {scores.tickets:.4f} of {scores.ticket_count}")
    say("per intent F1: " + ", ".join(f"{k} {v:.2f}" for k, v in scores.per_intent_f1.items()))
    say(
        "per register accuracy: "
        + ", ".join(f"{k} {v:.2f}" for k, v in scores.per_register_accuracy.items())
    )
    say(
        "per category top 1: "
        + ", ".join(f"{k} {v:.2f}" for k, v in scores.per_category_top1.items())
    )
    say(
        "confusions (gold -> predicted: count): "
        + ", ".join(f"{g}->{p}: {n}" for g, p, n in scores.confusions[:12])
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/aduan.tar.gz")
    parser.add_argument("--json", help="also write the scores to this file")
    parser.add_argument("--no-floors", action="store_true", help="report only")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    sets = blind_sets()
    if not sets:
        say(f"no blind sets under {BLIND}")
        return 1
    short = load_short_answers()
    texts = [str(item["text"]) for items in sets.values() for item in items]
    started = time.perf_counter()
    results = asyncio.run(parse_all(args.model, texts + [text for _, text in short]))
    elapsed = time.perf_counter() - started

    failed: list[str] = []
    figures = {}
    offset = 0
    enforced = floors()
    for name, items in sets.items():
        scores = score(items, results[offset : offset + len(items)])
        offset += len(items)
        report(name, scores)
        short_of_goals = below_floors(scores, FLOORS)
        say(
            "issue 11 goals: "
            + ("all met" if not short_of_goals else "short of " + "; ".join(short_of_goals))
        )
        figures[name] = asdict(scores)
        failed += [f"set {name}: {line}" for line in below_floors(scores, enforced)]

    short_results = results[offset:]
    short_errors = short_answer_errors(short, short_results)
    fallbacks = sum(
        1 for r in short_results if (r.get("intent") or {}).get("name") == "nlu_fallback"
    )
    counts = Counter(group for group, _ in short)
    say(
        "short answers: "
        + ", ".join(f"{group} {n}" for group, n in counts.items())
        + f"; {fallbacks} made nlu_fallback; wrong: {len(short_errors)}"
    )
    for line in short_errors:
        say("  " + line)
    failed += [f"short answer {line}" for line in short_errors]
    say(f"parse time: {elapsed:.1f} s for {len(results)} messages")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1), encoding="utf-8")
    say("enforced floors: " + ", ".join(f"{n} {'>=' if h else '<='} {f}" for n, f, h in enforced))
    if failed and not args.no_floors:
        say("BELOW THE FLOORS:")
        for line in failed:
            say("  " + line)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
