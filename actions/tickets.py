"""Ticket numbers as citizens type them (CONTRACT.md section 4).

Pure Python with no Rasa import: the NLU component in bot/components and the
actions both use it.
"""

from __future__ import annotations

import re

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})

# "JKT-7K3M-Q9XA", "jkt 7k3m q9xa", "JKT7K3MQ9XA", "JKT--7K3M Q9XA", "jkt.7k3m.q9xa", and a broken
# "JKT-123" (found, so the citizen can be told it is malformed), or the bare
# "7K3M-Q9XA" with its dash. A whole ticket is tried first, so the word after
# a ticket typed without its second dash ("jkt7k3mq9xa udah") stays a word.
_SEP = r"[\s._/:#-]"
# The eight characters, whole or split once anywhere ("jkt 7k3mq 9xa").
_BODY = "|".join(rf"[0-9A-Z]{{{n}}}{_SEP}*[0-9A-Z]{{{8 - n}}}" for n in range(4, 0, -1))
_BODY += "|" + "|".join(rf"[0-9A-Z]{{{n}}}{_SEP}+[0-9A-Z]{{{8 - n}}}" for n in range(5, 8))
# Or spelled out, as voice typing and careful typists write it: characters
# or pairs apart ("jkt 4 r z 8 m 2 q d", "JKT 7K 3M Q9 XA"), or short groups
# joined by dashes ("jkt-4q-7z-k2mb"); tried after the whole ticket. Words
# ("JKT-12 gmn sih") are longer than two characters and not dashed.
_SPELLED = (
    rf"[0-9A-Z]{{1,2}}(?:{_SEP}+[0-9A-Z]{{1,2}}){{3,7}}"
    rf"|[0-9A-Z]{{1,4}}(?:-[0-9A-Z]{{1,4}}){{2,7}}"
)
TICKET_PATTERN = re.compile(
    rf"\bJKT{_SEP}*(?:{_BODY})\b"
    rf"|\bJKT{_SEP}*(?:{_SPELLED})\b"
    rf"|\bJKT{_SEP}*[0-9A-Z]{{1,8}}(?:{_SEP}+[0-9A-Z]{{4}})?\b"
    r"|\b[0-9A-Z]{4}-[0-9A-Z]{4}\b",
    re.IGNORECASE,
)


def normalise_ticket(text: str) -> str | None:
    """Return the ticket as JKT-XXXX-XXXX, or None when it is not a valid one."""
    compact = re.sub(r"[\s._/:#-]+", "", text.upper())
    if compact.startswith("JKT"):
        compact = compact[3:]
    compact = compact.translate(_CONFUSABLE)
    if len(compact) != 8 or any(char not in CROCKFORD for char in compact):
        return None
    return f"JKT-{compact[:4]}-{compact[4:]}"


def find_tickets(text: str) -> list[tuple[int, int, str]]:
    """Spans (start, end, matched text) that look like ticket numbers."""
    found = []
    for match in TICKET_PATTERN.finditer(text):
        candidate = match.group(0)
        bare = not candidate.upper().startswith("JKT")
        # A bare "ABCD-EFGH" only counts when it is a valid ticket body, so that
        # ordinary hyphenated words ("lain-lain") are not taken for one.
        if bare and (not any(c.isdigit() for c in candidate) or not normalise_ticket(candidate)):
            continue
        found.append((match.start(), match.end(), candidate))
    return found
