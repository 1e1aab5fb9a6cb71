"""The words an NLU model was trained on, and whether a message uses them.

Pure Python with no Rasa import, so it is tested on its own; the junk filter
(bot/components/junk.py) learns a `Vocabulary` when the model is trained and
asks it about each message.

A word is *known* when it is in the vocabulary, or is after squeezing
repeated letters ("iyaaa" -> "iya", "sipp" -> "sip"; a row of one letter,
"kkkkk", is never a word), or is a known word with a particle or suffix
("okelah", "gaskeun"), or, from `FUZZY_MIN_LENGTH` letters on, is one typo
away from a word of the training examples (one letter added, dropped,
changed, or two neighbours swapped: "okeh", "mantab"). Typos are not matched
against the slang lexicon: its thousands of abbreviations ("kjs", "dgn") are
close to too much keyboard mash. Tokens with a digit ("5", "boro2", "rt05") are neither known nor
unknown: numbers and ticket parts are never held against a message.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

FUZZY_MIN_LENGTH = 4
# Particles and suffixes of chat Indonesian (and Sundanese "-keun").
SUFFIXES = ("lah", "kah", "deh", "dong", "nya", "keun", "kan", "in")
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_REPEATS = re.compile(r"(.)\1+")
# Laughter ("wkwk", "hehe") is chat, not an answer: the lexicon's entries
# for it are left out, so laughter alone never confirms anything.
LAUGHTER = frozenset({"haha", "hahaha", "hahahaha", "hehe", "tertawa"})


def words(text: str) -> list[str]:
    """The lower-cased word tokens of a text: letters only, no digits."""
    return [
        token for token in _TOKEN.findall(text.lower()) if not any(char.isdigit() for char in token)
    ]


def squeeze(word: str) -> str:
    """Repeated letters as one: "iyaaa" -> "iya", "okee" -> "oke"."""
    return _REPEATS.sub(r"\1", word)


def one_typo_apart(a: str, b: str) -> bool:
    """Whether two different words differ by one insertion, deletion,
    substitution or swap of neighbouring letters."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    start = 0
    while start < len(a) and a[start] == b[start]:
        start += 1
    if len(a) < len(b):
        return a[start:] == b[start + 1 :]
    if a[start + 1 :] == b[start + 1 :]:
        return True
    return (
        start + 1 < len(a)
        and a[start] == b[start + 1]
        and a[start + 1] == b[start]
        and a[start + 2 :] == b[start + 2 :]
    )


def lexicon_words(path: Path) -> set[str]:
    """Both sides of an informal<TAB>formal lexicon, without laughter."""
    found: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        informal, _, formal = line.partition("\t")
        if formal.strip() in LAUGHTER:
            continue
        found.update(words(informal))
        found.update(words(formal))
    return found


class Vocabulary:
    """`known`: every known word; `typo_targets`: the words a typo may be of."""

    def __init__(self, known: Iterable[str], typo_targets: Iterable[str] = ()) -> None:
        self.typo_targets = frozenset(typo_targets)
        self.words = frozenset(known) | self.typo_targets
        self._squeezed = frozenset(squeeze(word) for word in self.words)
        self._by_length: dict[int, set[str]] = defaultdict(set)
        for word in self.typo_targets:
            self._by_length[len(squeeze(word))].add(squeeze(word))

    def __len__(self) -> int:
        return len(self.words)

    def _exact(self, word: str) -> bool:
        if word in self.words:
            return True
        if len(set(word)) == 1 and len(word) > 2:
            return False
        return squeeze(word) in self._squeezed

    def knows(self, word: str) -> bool:
        if self._exact(word):
            return True
        if any(
            word.endswith(suffix)
            and len(word) - len(suffix) >= 2
            and self._exact(word[: -len(suffix)])
            for suffix in SUFFIXES
        ):
            return True
        short = squeeze(word)
        if len(short) < FUZZY_MIN_LENGTH or len(set(word)) == 1:
            return False
        return any(
            one_typo_apart(short, candidate)
            for length in (len(short) - 1, len(short), len(short) + 1)
            for candidate in self._by_length.get(length, ())
        )

    def known_share(self, text: str) -> float | None:
        """The share of the text's words that are known; None without words."""
        tokens = words(text)
        if not tokens:
            return None
        return sum(1 for token in tokens if self.knows(token)) / len(tokens)
