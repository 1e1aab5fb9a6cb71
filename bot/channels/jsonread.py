"""Reading a chat app's webhook JSON by hand: each helper returns the value with
its type, or raises `Malformed` (a ValueError) naming what was wrong."""

import json
import re
from typing import Any

# Far deeper than any Telegram update or WhatsApp webhook (about 8 levels).
MAX_DEPTH = 32
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
# Keep only the brackets, objects' as arrays': depth is all that is counted here.
_BRACKETS = bytes.maketrans(b"{}", b"[]")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


class Malformed(ValueError):
    """The body is not a webhook we can read."""


def loads(body: bytes) -> Any:
    """Parse a webhook body (UTF-8 JSON); nesting deeper than `MAX_DEPTH` is `Malformed`.

    The depth is bounded before `json.loads` (which recurses once per level, so
    100,000 nested arrays were a RecursionError): strings are cut out, only the
    brackets kept, and innermost pairs removed once per level: at most
    `MAX_DEPTH` passes of `bytes.replace`.
    """
    brackets = _STRING.sub(b"", body).translate(_BRACKETS, _NOT_BRACKETS)
    for _ in range(MAX_DEPTH):
        inner = brackets.replace(b"[]", b"")
        if len(inner) == len(brackets):
            break  # empty, or unbalanced
        brackets = inner
    if brackets:
        raise Malformed("nested too deep or unbalanced")
    try:
        # As text, so json never guesses UTF-16 or -32, whose bytes the scan misreads.
        return json.loads(body.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise Malformed("not JSON") from exc


def obj(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Malformed(f"{what} is not an object")
    return value


def items(value: Any, what: str) -> list[Any]:
    """A list; a missing one is empty."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise Malformed(f"{what} is not a list")
    return value


def integer(value: Any, what: str) -> int:
    if type(value) is not int:
        raise Malformed(f"{what} is not an integer")
    return value


def text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise Malformed(f"{what} is not a string")
    return value


def ident(value: Any, what: str) -> str:
    """A non-empty id, sent as a string or a number."""
    if not isinstance(value, str | int) or isinstance(value, bool) or value == "":
        raise Malformed(f"{what} is missing")
    return str(value)


def coordinate(value: Any, what: str, bound: float) -> float:
    """A latitude (bound 90) or longitude (bound 180), as a number or numeric string."""
    if isinstance(value, bool):
        raise Malformed(f"{what} is not a number")
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise Malformed(f"{what} is not a number") from exc
    if not -bound <= number <= bound:
        raise Malformed(f"{what} is out of range")
    return number
