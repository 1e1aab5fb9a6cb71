"""Which of the 19 categories a description is about: a trained text model.

Pure scikit-learn with no Rasa import, so it is tested and cross-validated on
its own; bot/components/category.py trains it with the Rasa model and asks it
about each message.

Features: word unigrams and bigrams and character n-grams inside words (the
misspellings and slang of chat: "bnjir", "smpah", "lampunya mati"), plus one
feature per category that fires when a word of the keyword table
(nlu_data/synonyms.yml) is in the text: the table is a feature, not the
decision. A multinomial logistic regression gives calibrated-enough
probabilities; `NONE` is an extra class trained on messages that describe no
problem ("iya", "makasih", "mau lapor"), so a greeting does not get a category.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

NONE = "_none"
_REPEATS = re.compile(r"(\w)\1{2,}")
_NOT_WORD = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    """Lower case, letters repeated three times or more squeezed ("bauuuu")."""
    text = _NOT_WORD.sub(" ", text.lower())
    return _SPACES.sub(" ", _REPEATS.sub(r"\1", text)).strip()


class KeywordHits(BaseEstimator, TransformerMixin):  # type: ignore[misc]
    """One column per category: 1 when a keyword of that category is in the text
    (the longest keyword wins where keywords overlap)."""

    def __init__(self, table: Mapping[str, str] | None = None, codes: Sequence[str] = ()) -> None:
        self.table = table
        self.codes = codes

    def fit(self, texts: Iterable[str], labels: object = None) -> KeywordHits:
        return self

    def transform(self, texts: Iterable[str]) -> sparse.csr_matrix:
        column = {code: i for i, code in enumerate(self.codes)}
        pattern, codes = self._matcher()
        texts = list(texts)
        rows, cols = [], []
        for row, text in enumerate(texts):
            # Longest phrases first in one alternation, matched left to right
            # without overlap: "lampu merah" (lalu_lintas) leaves no "lampu"
            # (penerangan_jalan) behind.
            for match in pattern.finditer(f" {text} "):
                code = codes[match.group(1)]
                if code in column:
                    rows.append(row)
                    cols.append(column[code])
        matrix = sparse.csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(len(texts), len(self.codes))
        )
        matrix.data[:] = 1.0  # two phrases of one category still count once
        return matrix

    def _matcher(self) -> tuple[re.Pattern[str], dict[str, str]]:
        cached = getattr(self, "_compiled", None)
        if cached is None:
            codes = {clean(p): c for p, c in (self.table or {}).items() if len(clean(p)) >= 3}
            phrases = sorted(codes, key=len, reverse=True)
            alternation = "|".join(re.escape(p) for p in phrases) or "(?!)"
            cached = (re.compile(rf"(?<= )({alternation})(?= )"), codes)
            self._compiled = cached
        return cached


def build(keywords: Mapping[str, str], codes: Sequence[str], c: float = 8.0) -> Pipeline:
    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2
                ),
            ),
            ("keywords", KeywordHits(dict(keywords), list(codes))),
        ]
    )
    classifier = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    return Pipeline([("features", features), ("classifier", classifier)])


@dataclass(frozen=True)
class Ranking:
    """Categories best first with their share of the problem probability, and
    the probability that the text describes no problem at all."""

    categories: list[tuple[str, float]]
    none: float

    @property
    def best(self) -> tuple[str, float]:
        return self.categories[0]


class CategoryModel:
    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline

    @classmethod
    def train(
        cls,
        examples: Sequence[tuple[str, str]],
        keywords: Mapping[str, str],
        codes: Sequence[str],
        c: float = 8.0,
    ) -> CategoryModel:
        """`examples`: (text, category code or NONE)."""
        pipeline = build(keywords, codes, c)
        pipeline.fit([clean(t) for t, _ in examples], [label for _, label in examples])
        return cls(pipeline)

    def rank(self, texts: Sequence[str]) -> list[Ranking]:
        probabilities = self.pipeline.predict_proba([clean(t) for t in texts])
        classes = list(self.pipeline.classes_)
        none_index = classes.index(NONE) if NONE in classes else None
        rankings = []
        for row in probabilities:
            none = float(row[none_index]) if none_index is not None else 0.0
            rest = max(1.0 - none, 1e-9)
            pairs = [
                (code, float(p) / rest)
                for code, p in zip(classes, row, strict=True)
                if code != NONE
            ]
            pairs.sort(key=lambda pair: pair[1], reverse=True)
            rankings.append(Ranking(pairs, none))
        return rankings
