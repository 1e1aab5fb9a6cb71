"""Whether a message asks about an earlier report (nlu_data/lexicon/status_cues.yml).

Pure Python with no Rasa import, tested on its own; the status-reference
component (bot/components/status_reference.py) uses it to make such a
message `check_status` even when it also names the problem.
"""

from __future__ import annotations

from typing import Any

from bot.components.lexicon import any_match, compile_all, normalise


class StatusCues:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self._strong = compile_all(data.get("strong") or [])
        self._weak = compile_all(data.get("weak") or [])
        self._new_report = compile_all(data.get("new_report") or [])

    def refers_to_earlier_report(self, text: str, has_ticket: bool = False) -> bool:
        plain = normalise(text)
        if has_ticket or any_match(self._strong, plain):
            return True
        return any_match(self._weak, plain) and not any_match(self._new_report, plain)

    def opens_new_report(self, text: str) -> bool:
        """Says it wants to file something ("ada yg mau gw laporin") and refers
        to no earlier report."""
        plain = normalise(text)
        return any_match(self._new_report, plain) and not (
            any_match(self._strong, plain) or any_match(self._weak, plain)
        )
