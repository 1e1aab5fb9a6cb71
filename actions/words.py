"""Whether a message has any words: emoji rows, punctuation and markup have none.

Pure Python with no Rasa import: the junk filter in bot/components and the
fallback action both use it.
"""

from __future__ import annotations

import re

_HIDDEN_MARKUP = re.compile(r"<(script|style)\b.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]{0,200}>")
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


def has_words(text: str) -> bool:
    """Whether a message has a letter outside markup."""
    visible = _TAG.sub(" ", _HIDDEN_MARKUP.sub(" ", text))
    return _LETTERS.search(visible) is not None
