"""Ticket numbers (CONTRACT.md §4): JKT-XXXX-XXXX in Crockford base32."""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "JKT"
BODY_LENGTH = 8
FORMAT_HINT = "JKT-XXXX-XXXX (8 huruf/angka setelah JKT)"

_CONFUSABLES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_.]+")
# In free text: JKT, then 8 ticket characters with optional separators between them.
_IN_TEXT = re.compile(r"\bJKT[\s\-_.]*((?:[0-9A-Z][\s\-_.]?){7}[0-9A-Z])(?![0-9A-Z])", re.I)


class InvalidTicket(ValueError):
    """The text is not a ticket number, even read leniently."""


def generate() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return format_body(body)


def format_body(body: str) -> str:
    return f"{PREFIX}-{body[:4]}-{body[4:]}"


def parse(text: str) -> str:
    """Normalise a typed ticket number to `JKT-XXXX-XXXX`, or raise InvalidTicket.

    Case-insensitive; a missing or extra dash and spaces are fine; O reads as 0
    and I or L as 1, as Crockford base32 prescribes.
    """
    compact = _SEPARATORS.sub("", text.strip().upper())
    if not compact.startswith(PREFIX):
        raise InvalidTicket(text)
    body = compact[len(PREFIX) :].translate(_CONFUSABLES)
    if len(body) != BODY_LENGTH or any(ch not in ALPHABET for ch in body):
        raise InvalidTicket(text)
    return format_body(body)


def find_in_text(text: str) -> str | None:
    """The first ticket number mentioned in a chat message, normalised."""
    for match in _IN_TEXT.finditer(text):
        try:
            return parse(PREFIX + match.group(1))
        except InvalidTicket:
            continue
    return None
