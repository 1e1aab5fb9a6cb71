"""Regular-expression lists read from a YAML file under nlu_data/lexicon/.

Pure Python with no Rasa import: the danger lexicon (bot/components/danger.py)
and the status-reference cues (bot/components/reference.py) are both lists
of patterns matched on the same normalised text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

LEXICON_DIR = Path(__file__).resolve().parents[2] / "nlu_data" / "lexicon"
_LETTER_RUN = re.compile(r"([^\W\d_])\1{2,}")
_APOSTROPHE = re.compile(r"['\u2019`]")
_NOT_WORD = re.compile(r"[^\w!?]+")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower case; apostrophes dropped ("can't" -> "cant", "jum'at" -> "jumat");
    other punctuation but "!" and "?" as spaces; letters repeated three times or
    more squeezed to one ("tolooong" -> "tolong")."""
    text = _APOSTROPHE.sub("", _LETTER_RUN.sub(r"\1", text.lower()))
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", text)).strip()


def compile_all(patterns: Iterable[str]) -> list[re.Pattern[str]]:
    return [re.compile(pattern) for pattern in patterns]


def any_match(patterns: Iterable[re.Pattern[str]], text: str) -> bool:
    return any(pattern.search(text) for pattern in patterns)


def read(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping")
    return data
