"""Complaint categories (CONTRACT.md section 3) and mapping words to codes.

The everyday words live in nlu_data/synonyms.yml: they map a typed answer to
a code, and they are one feature of the trained category classifier
(bot/components/category.py), which decides the category of a description.
"""

from __future__ import annotations

import difflib
import re
from functools import cache
from pathlib import Path

import yaml

NLU_DATA = Path(__file__).resolve().parent.parent / "nlu_data"
SYNONYMS_FILE = NLU_DATA / "synonyms.yml"

LABELS: dict[str, str] = {
    "sampah": "Sampah",
    "jalan_rusak": "Jalan & Trotoar Rusak",
    "banjir": "Banjir & Genangan",
    "saluran_air": "Saluran Air",
    "penerangan_jalan": "Lampu Penerangan Jalan",
    "pohon": "Pohon & Taman",
    "parkir_liar": "Parkir Liar",
    "pkl": "Pedagang Kaki Lima",
    "fasilitas_umum": "Fasilitas Umum",
    "lalu_lintas": "Lalu Lintas",
    "bansos": "Bantuan Sosial",
    "pertanahan": "Pertanahan & Bangunan",
    "pungli": "Pungutan Liar",
    "kesehatan": "Kesehatan",
    "kependudukan": "Administrasi Kependudukan",
    "pencemaran": "Pencemaran",
    "ketertiban": "Ketertiban Umum",
    "air_bersih": "Air Bersih",
    "lainnya": "Lainnya",
}

# Officers cannot verify these without seeing them, so "Lewati" is not offered
# as the end of the story: the form asks again for a photo.
PHOTO_REQUIRED: frozenset[str] = frozenset({"jalan_rusak", "fasilitas_umum"})


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w&\s-]", " ", text.lower())).strip()


@cache
def synonyms() -> dict[str, str]:
    """Everyday word or phrase (lower case) -> category code."""
    table = {code: code for code in LABELS}
    table.update({_clean(label): code for code, label in LABELS.items()})
    data = yaml.safe_load(SYNONYMS_FILE.read_text(encoding="utf-8"))
    for item in data.get("nlu", []):
        code = item.get("synonym")
        if code not in LABELS:
            continue
        for line in str(item.get("examples", "")).splitlines():
            word = _clean(line.strip().removeprefix("- "))
            if word:
                table[word] = code
    return table


def to_code(text: str | None) -> str | None:
    """Map an extracted span or a typed answer to a category code, or None."""
    if not text:
        return None
    cleaned = _clean(text)
    table = synonyms()
    if cleaned in table:
        return table[cleaned]
    # A known phrase inside a longer answer ("yg soal got mampet itu"): longest wins.
    padded = f" {cleaned} "
    for phrase in sorted(table, key=len, reverse=True):
        if len(phrase) >= 3 and f" {phrase} " in padded:
            return table[phrase]
    # A misspelling of a known phrase ("sampaah", "kependudukn").
    close = difflib.get_close_matches(cleaned, list(table), n=1, cutoff=0.84)
    return table[close[0]] if close else None


# Intents whose text describes a problem, so the words can name its category.
DESCRIBING_INTENTS = frozenset({"report_complaint", "inform", "nlu_fallback"})


def from_message(entities: list[dict], text: str, intent: str | None) -> str | None:
    """The category a message gives: its first `category` entity, else (for a
    description of a problem) a known everyday word in the text itself."""
    code = entity_code({"entities": entities})
    if code:
        return code
    if intent in DESCRIBING_INTENTS:
        return to_code(text)
    return None


def label(code: str | None) -> str:
    return LABELS.get(code or "", LABELS["lainnya"])


# The category classifier's ranking (`category_ranking` on every parsed message,
# best first). Above AUTO_CONFIDENCE a description sets the category without
# asking (the same bar as the classifier's `min_confidence` in bot/config.yml);
# a correction or a typed answer that names a category needs less.
AUTO_CONFIDENCE = 0.85
ANSWER_CONFIDENCE = 0.5
OFFERED = 3  # categories offered as buttons when unsure, before "Lainnya"
# Offered when no ranking is known (the most reported categories).
DEFAULT_OFFER = ("sampah", "jalan_rusak", "saluran_air")


def ranking(message: dict) -> list[dict]:
    """The message's category ranking, only known codes, best first."""
    found = [
        r
        for r in message.get("category_ranking") or []
        if isinstance(r, dict) and r.get("name") in LABELS
    ]
    return sorted(found, key=lambda r: float(r.get("confidence") or 0.0), reverse=True)


def describes_a_problem(message: dict) -> bool | None:
    """Whether the classifier read a problem in the message ("got mampet") rather
    than only the wish to report one ("I'd like to report an issue"); None for a
    model that does not say (`problem_confidence` in the parse result)."""
    confidence = message.get("problem_confidence")
    return None if confidence is None else float(confidence) >= 0.5


def ranked_codes(message: dict) -> list[str]:
    return [str(r["name"]) for r in ranking(message)]


def confident(message: dict, threshold: float) -> str | None:
    """The ranking's top category when its confidence reaches threshold."""
    ranked = ranking(message)
    if ranked and float(ranked[0].get("confidence") or 0.0) >= threshold:
        return str(ranked[0]["name"])
    return None


def entity_code(message: dict) -> str | None:
    """The message's `category` entity as a code (set only for a confident problem)."""
    for entity in message.get("entities") or []:
        if entity.get("entity") == "category":
            code = to_code(str(entity.get("value")))
            if code:
                return code
    return None


def named(message: dict, threshold: float) -> str | None:
    """The category a message names: its `category` entity, else the ranking's
    top category when it reaches threshold."""
    return entity_code(message) or confident(message, threshold)


def offer(ranked: list[str] | None) -> tuple[list[str], list[str]]:
    """(the top categories offered first, the rest shown after "Lainnya")."""
    order = [c for c in (ranked or []) if c in LABELS and c != "lainnya"]
    for code in DEFAULT_OFFER + tuple(LABELS):
        if code not in order and code != "lainnya":
            order.append(code)
    return order[:OFFERED], [*order[OFFERED:], "lainnya"]


MORE = "more"  # the "Lainnya" button's value: show the other categories
