"""Whether a message may describe people in danger now (nlu_data/lexicon/danger.yml).

Pure Python with no Rasa import, tested on its own; the emergency component
(bot/components/emergency.py) combines it with the intent classifier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.components.lexicon import any_match, compile_all, normalise


@dataclass(frozen=True)
class Reading:
    danger: str | None  # the class of the first danger word found, after the masks
    calm: bool  # nobody hurt; or over, past or habitual and nothing says it is happening now
    masked: bool  # a danger was mentioned only hypothetically, denied or left over
    always: bool  # a class that no calm cue undoes (suicide)
    denied: bool = False  # says outright that nobody is hurt or in danger, or that it is over

    @property
    def alarm(self) -> bool:
        return self.danger is not None and (self.always or not self.calm)


def raises_alarm(reading: Reading, score: float, threshold: float) -> bool:
    """The emergency decision: a danger the lexicon found that is not over, or
    the classifier's `score` at least `threshold` on a text that is neither calm
    nor about a masked (hypothetical, denied, left-over) danger."""
    return reading.alarm or (score >= threshold and not (reading.calm or reading.masked))


class DangerLexicon:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        groups = {k: data.get(k) or {} for k in ("always", "classes", "needs_present")}
        self._always = {k: compile_all(v) for k, v in groups["always"].items()}
        self._classes = {k: compile_all(v) for k, v in groups["classes"].items()}
        self._needs_present = {k: compile_all(v) for k, v in groups["needs_present"].items()}
        self._lookalikes = compile_all(data.get("lookalikes") or [])
        self._masks = compile_all(data.get("masks") or [])
        self._calm = compile_all(data.get("calm") or [])
        self._present = compile_all(data.get("present") or [])
        self._not_present = compile_all(data.get("not_present") or [])
        self._denied = compile_all(data.get("denied") or [])

    def read(self, text: str) -> Reading:
        plain = normalise(text)
        for danger, patterns in self._always.items():
            if any_match(patterns, plain):
                return Reading(danger, calm=False, masked=False, always=True)
        # Look-alikes ("tangga darurat", "demam berdarah") are words, not
        # statements: cut out without making the message a masked one.
        plain = cut(self._lookalikes, plain)
        rest = cut(self._masks, plain)
        present = any_match(self._present, cut(self._not_present, plain))
        denied = any_match(self._denied, plain)
        calm = denied or (any_match(self._calm, plain) and not present)
        for patterns_by_danger in (self._classes, self._needs_present if present else {}):
            for danger, patterns in patterns_by_danger.items():
                if any_match(patterns, rest):
                    return Reading(danger, calm=calm, masked=False, always=False, denied=denied)
        return Reading(None, calm=calm, masked=rest != plain, always=False, denied=denied)


def cut(patterns: list[re.Pattern[str]], text: str) -> str:
    for pattern in patterns:
        text = pattern.sub(" | ", text)
    return text
