"""k-fold cross-validation of the NLU pipeline on the training data itself.

    PYTHONPATH=. .venv-rasa/bin/python tests/rasa/cross_validate.py [--folds 5]

Each fold trains the shipped pipeline (bot/config.yml) on the other folds and
parses the held-out one. It prints intent macro-F1, status-vs-report accuracy,
the category top 1 / top 3, emergency recall and false alarms on reports
(tests/rasa/blind_scores.py), and a sweep of the emergency classifier's
threshold on the out-of-fold predictions. That sweep, not the blind sets, is
where the component thresholds in bot/config.yml are chosen (docs/nlu.md).
Takes a few minutes: one NLU training per fold.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.rasa.blind_scores import score  # noqa: E402
from tests.rasa.evaluate_nlu import parse_all, report  # noqa: E402

RASA = ROOT / ".venv-rasa" / "bin" / "rasa"


def category_of(example) -> str | None:  # type: ignore[no-untyped-def]
    from rasa.shared.nlu.constants import METADATA, METADATA_INTENT

    return ((example.get(METADATA) or {}).get(METADATA_INTENT) or {}).get("category")


def gold_item(example) -> dict:  # type: ignore[no-untyped-def]
    return {
        "text": example.get("text"),
        "intent": example.get("intent"),
        "category": category_of(example),
        "ticket": None,
        "register": "-",
    }


def folds(examples: list, k: int, seed: int = 42) -> list[list]:
    by_intent: dict[str, list] = defaultdict(list)
    for example in examples:
        by_intent[example.get("intent")].append(example)
    parts: list[list] = [[] for _ in range(k)]
    rng = random.Random(seed)
    for group in by_intent.values():
        rng.shuffle(group)
        for i, example in enumerate(group):
            parts[i % k].append(example)
    return parts


def train_fold(train, lookups, work: Path) -> Path:  # type: ignore[no-untyped-def]
    from rasa.shared.nlu.constants import METADATA, METADATA_EXAMPLE
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    # Rasa's YAML writer keeps one intent metadata per intent, so each
    # example's category goes into its own example metadata.
    examples = []
    for example in train:
        code = category_of(example)
        data = {k: v for k, v in example.data.items() if k != METADATA}
        if code:
            data[METADATA] = {METADATA_EXAMPLE: {"category": code}}
        examples.append(Message(data=data))
    data = TrainingData(training_examples=examples, lookup_tables=lookups)
    (work / "nlu.yml").write_text(data.nlu_as_yaml(), encoding="utf-8")
    subprocess.run(  # noqa: S603 - fixed arguments
        [str(RASA), "train", "nlu", "--config", str(ROOT / "bot" / "config.yml"),
         "--nlu", str(work / "nlu.yml"), "--out", str(work), "--fixed-model-name", "fold",
         "--quiet"],
        check=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return work / "fold.tar.gz"


def sweep(items: list[dict], results: list[dict]) -> None:
    """Emergency recall and false alarms on reports for classifier thresholds,
    decided by the emergency component's own rule (danger.raises_alarm)."""
    from bot.components.danger import DangerLexicon, raises_alarm
    from bot.components.lexicon import LEXICON_DIR, read

    lexicon = DangerLexicon(read(LEXICON_DIR / "danger.yml"))
    readings = [lexicon.read(str(item["text"])) for item in items]
    for threshold in (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6):
        hit = alarms = emergencies = reports = 0
        for item, result, reading in zip(items, results, readings, strict=True):
            ranking = {r["name"]: r["confidence"] for r in result.get("intent_ranking") or []}
            fired = raises_alarm(reading, ranking.get("emergency", 0), threshold)
            if item["intent"] == "emergency":
                emergencies += 1
                hit += fired
            elif item["intent"] == "report_complaint":
                reports += 1
                alarms += fired
        sys.stdout.write(
            f"threshold {threshold:.2f}: recall {hit / max(emergencies, 1):.4f}, "
            f"false alarms on reports {alarms / max(reports, 1):.4f}\n"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--json", help="write the out-of-fold predictions here")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    from rasa.shared.nlu.training_data.loading import load_data

    files = [f for f in sorted((ROOT / "nlu_data").rglob("*.yml")) if f.parent.name != "lexicon"]
    data = load_data(str(files[0])).merge(*(load_data(str(f)) for f in files[1:]))
    parts = folds(list(data.intent_examples), args.folds)
    items: list[dict] = []
    results: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, held_out in enumerate(parts):
            train = [e for j, part in enumerate(parts) if j != i for e in part]
            model = train_fold(train, data.lookup_tables, Path(tmp))
            texts = [str(e.get("text")) for e in held_out]
            results += asyncio.run(parse_all(str(model), texts))
            items += [gold_item(e) for e in held_out]
            sys.stdout.write(f"fold {i + 1}/{args.folds}: {len(held_out)} messages\n")
    report(f"{args.folds}-fold cross-validation (training data)", score(items, results))
    sweep(items, results)
    if args.json:
        Path(args.json).write_text(json.dumps([items, results]), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
