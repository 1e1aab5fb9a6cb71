"""Reading a chat app's webhook JSON by hand: each helper returns the value with
its type, or raises `Malformed` (a ValueError) naming what was wrong."""

from typing import Any


class Malformed(ValueError):
    """The body is not a webhook we can read."""


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
