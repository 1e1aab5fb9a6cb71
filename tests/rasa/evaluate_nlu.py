"""Score the trained model on the held-out evaluation set, with floors.

`rasa test nlu` reports scores but has no threshold; this prints intent
macro-F1 and category F1 and exits 1 below the floors (issue 3):
intent macro-F1 >= 0.95, category F1 >= 0.92.

- Intent: the intent the bot acts on. A message the FallbackClassifier turns
  into `nlu_fallback` counts as wrong.
- Category: per message, what the complaint form would take from it
  (actions/categories.from_message): the first `category` entity mapped to its
  code, else a known category word in a message that describes a problem.
  Category F1 is micro-averaged over the 19 categories: a message with no
  gold category that gets one is a false positive, a gold category missed or
  wrong is a false negative. The macro average over categories is printed too.

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
from collections import Counter, defaultdict
from pathlib import Path

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from actions.categories import from_message, to_code  # noqa: E402

EVAL_FILE = Path(__file__).resolve().parent / "nlu_eval.yml"
SHORT_ANSWERS = Path(__file__).resolve().parent / "short_answers.yml"
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
INTENT_FLOOR = 0.95
CATEGORY_FLOOR = 0.92


def say(text: str) -> None:
    sys.stdout.write(text + "\n")


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def intent_scores(pairs: list[tuple[str, str]]) -> tuple[float, dict[str, float]]:
    labels = sorted({gold for gold, _ in pairs})
    per_label = {}
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        per_label[label] = f1(tp, fp, fn)
    return sum(per_label.values()) / len(per_label), per_label


def category_scores(pairs: list[tuple[str | None, str | None]]) -> tuple[float, float]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for gold, pred in pairs:
        if gold is not None and pred == gold:
            tp[gold] += 1
            continue
        if pred is not None:
            fp[pred] += 1
        if gold is not None:
            fn[gold] += 1
    micro = f1(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    golds = {g for g, _ in pairs if g is not None}
    macro = sum(f1(tp[c], fp[c], fn[c]) for c in golds) / len(golds) if golds else 0.0
    return micro, macro


def first_category(entities: list[dict]) -> str | None:
    for entity in entities:
        if entity.get("entity") == "category":
            return to_code(str(entity.get("value")))
    return None


def load_short_answers(path: Path = SHORT_ANSWERS) -> list[tuple[str, str]]:
    """(group, text) pairs; an unknown group is an error, not a silent pass."""
    import yaml

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


async def parse_all(model: str, texts: list[str]) -> list[dict]:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    return [await agent.parse_message(text) for text in texts]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/aduan.tar.gz")
    parser.add_argument("--data", default=str(EVAL_FILE))
    parser.add_argument("--json", help="also write the scores to this file")
    parser.add_argument("--no-floors", action="store_true", help="report only")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    from rasa.shared.nlu.training_data.loading import load_data

    examples = load_data(args.data).intent_examples
    texts = [ex.get("text") for ex in examples]
    short = load_short_answers()
    started = time.perf_counter()
    results = asyncio.run(parse_all(args.model, texts + [text for _, text in short]))
    elapsed = time.perf_counter() - started
    results, short_results = results[: len(texts)], results[len(texts) :]

    intents = []
    categories = []
    errors = defaultdict(list)
    for example, result in zip(examples, results, strict=True):
        gold_intent = example.get("intent")
        pred_intent = (result.get("intent") or {}).get("name")
        intents.append((gold_intent, pred_intent))
        gold_cat = first_category(example.get("entities") or [])
        pred_cat = from_message(result.get("entities") or [], example.get("text"), pred_intent)
        categories.append((gold_cat, pred_cat))
        if gold_intent != pred_intent:
            errors["intent"].append(f"{gold_intent} -> {pred_intent}: {example.get('text')}")
        if gold_cat != pred_cat:
            errors["category"].append(f"{gold_cat} -> {pred_cat}: {example.get('text')}")

    intent_macro, per_intent = intent_scores(intents)
    category_micro, category_macro = category_scores(categories)
    with_category = sum(1 for g, _ in categories if g is not None)
    say(f"evaluation set: {len(examples)} messages ({with_category} with a category)")
    say("per-intent F1: " + ", ".join(f"{k} {v:.3f}" for k, v in per_intent.items()))
    for kind in ("intent", "category"):
        if errors[kind]:
            say(f"{kind} errors ({len(errors[kind])}):")
            for line in errors[kind]:
                say("  " + line[:160])
    say(f"intent macro-F1: {intent_macro:.4f} (floor {INTENT_FLOOR})")
    say(f"category F1 (micro): {category_micro:.4f} (floor {CATEGORY_FLOOR})")
    say(f"category F1 (macro over categories): {category_macro:.4f}")
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
    say(f"parse time: {elapsed:.1f} s for {len(texts) + len(short)} messages")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "messages": len(examples),
                    "intent_macro_f1": intent_macro,
                    "category_f1_micro": category_micro,
                    "category_f1_macro": category_macro,
                    "short_answer_errors": len(short_errors),
                }
            )
        )
    if args.no_floors:
        return 0
    failed = intent_macro < INTENT_FLOOR or category_micro < CATEGORY_FLOOR or bool(short_errors)
    say("NLU floors and short answers: " + ("FAILED" if failed else "passed"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
