"""Measure NLU pipeline alternatives on the held-out set (docs/nlu.md).

    PYTHONPATH=. .venv-rasa/bin/python tests/rasa/compare_pipelines.py [--with-diet]

Trains an NLU model per variant into var/compare/ and scores it with
tests/rasa/evaluate_nlu.py. Variants:

- shipped: bot/config.yml as it is;
- no-char-ngrams: without the character n-gram featurizer;
- slang-in-rasa: + bot.components.slang.SlangNormaliser (lexicon as lemmas);
- slang-before-rasa: training and evaluation text rewritten with the same
  lexicon before Rasa sees it (what a normalising gateway would do);
- diet (--with-diet): DIETClassifier (40 epochs) instead of logistic
  regression + CRF. Slow on two cores: 15-35 s per epoch.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "var" / "compare"
RASA = ROOT / ".venv-rasa" / "bin"
ANNOTATION = re.compile(r"(\[[^\]]*\](?:\{[^}]*\}|\([^)]*\)))")
WORD = re.compile(r"[\w-]+", re.UNICODE)


def pipeline_variant(name: str, pipeline: list[dict[str, Any]]) -> list[dict[str, Any]]:
    pipe = copy.deepcopy(pipeline)
    names = [c["name"] for c in pipe]
    if name == "no-char-ngrams":
        return [c for c in pipe if c.get("analyzer") != "char_wb"]
    if name == "slang-in-rasa":
        pipe.insert(
            names.index("WhitespaceTokenizer") + 1, {"name": "bot.components.slang.SlangNormaliser"}
        )
        return pipe
    if name == "diet":
        pipe = [
            c
            for c in pipe
            if c["name"] not in ("LogisticRegressionClassifier", "CRFEntityExtractor")
        ]
        at = [c["name"] for c in pipe].index("EntitySynonymMapper")
        pipe.insert(
            at,
            {
                "name": "DIETClassifier",
                "epochs": 40,
                "constrain_similarities": True,
                "random_seed": 42,
            },
        )
        return pipe
    return pipe


def normalise_line(line: str, lexicon: dict[str, str]) -> str:
    def words(text: str) -> str:
        return WORD.sub(lambda m: lexicon.get(m.group(0).lower(), m.group(0)), text)

    if not line.lstrip().startswith("- ") or line.lstrip().startswith(
        ("- intent", "- synonym", "- lookup", "- regex")
    ):
        return line
    parts = ANNOTATION.split(line)
    out = []
    for part in parts:
        if ANNOTATION.fullmatch(part):
            span, _, rest = part[1:].partition("]")
            out.append(f"[{words(span)}]{rest}")
        else:
            out.append(words(part))
    return "".join(out)


def normalised_copy(source: Path, target: Path, lexicon: dict[str, str]) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for path in source.rglob("*.yml"):
        dest = target / path.relative_to(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        if "lookups" in path.parts:  # place names stay as they are
            shutil.copy(path, dest)
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        dest.write_text(
            "\n".join(normalise_line(line, lexicon) for line in lines) + "\n", encoding="utf-8"
        )


def run_variant(name: str, config: dict[str, Any], nlu: Path, eval_file: Path) -> dict[str, Any]:
    work = OUT / name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    (work / "config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"}
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            str(RASA / "rasa"),
            "train",
            "nlu",
            "--config",
            str(work / "config.yml"),
            "--nlu",
            str(nlu),
        ]
        + ["--domain", "bot/domain", "--out", str(work), "--fixed-model-name", "nlu"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - started
    subprocess.run(  # noqa: S603 - fixed arguments
        [str(RASA / "python"), "tests/rasa/evaluate_nlu.py", "--model", str(work / "nlu.tar.gz")]
        + ["--data", str(eval_file), "--no-floors", "--json", str(work / "scores.json")],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    scores: dict[str, Any] = json.loads((work / "scores.json").read_text())
    scores["train_seconds"] = round(seconds)
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--with-diet", action="store_true")
    parser.add_argument("--only", nargs="*", help="run only these variants")
    args = parser.parse_args()
    from bot.components.slang import load_lexicon

    base = yaml.safe_load((ROOT / "bot" / "config.yml").read_text())
    base.pop("policies", None)
    variants = ["shipped", "no-char-ngrams", "slang-in-rasa", "slang-before-rasa"]
    if args.with_diet:
        variants.append("diet")
    if args.only:
        variants = [v for v in variants if v in args.only]
    eval_file = ROOT / "tests" / "rasa" / "nlu_eval.yml"
    nlu = ROOT / "nlu_data"
    lexicon = load_lexicon()
    for name in variants:
        config = {**base, "pipeline": pipeline_variant(name, base["pipeline"])}
        data, evaluation = nlu, eval_file
        if name == "slang-before-rasa":
            normalised_copy(nlu, OUT / "normalised" / "nlu_data", lexicon)
            normalised_copy(eval_file.parent, OUT / "normalised" / "eval", lexicon)
            data, evaluation = (
                OUT / "normalised" / "nlu_data",
                OUT / "normalised" / "eval" / "nlu_eval.yml",
            )
        scores = run_variant(name, config, data, evaluation)
        sys.stdout.write(
            f"{name:18} intent macro-F1 {scores['intent_macro_f1']:.4f}  "
            f"category F1 {scores['category_f1_micro']:.4f} "
            f"(macro {scores['category_f1_macro']:.4f})  "
            f"NLU training {scores['train_seconds']} s\n"
        )
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
