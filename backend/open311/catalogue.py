"""What each service (complaint category) shows to Open311 clients, and its attributes.

Descriptions, keywords, groups and attributes are data (`data/services.csv`,
`data/attributes.json`); a category missing there still works, with its label
as description. `sensitive` categories are about people (social aid, civil
registration, health, extortion): their descriptions and pins are not published.
"""

import csv
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from backend.open311.exceptions import BadRequest

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_GROUP = "lainnya"

Datatype = Literal["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
LISTS = ("singlevaluelist", "multivaluelist")
MAX_ANSWER_CHARS = 500


class AttributeValue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    name: str


class Attribute(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[A-Za-z0-9_]+$")
    datatype: Datatype
    required: bool
    datatype_description: str = ""
    description: str
    variable: bool = True
    values: tuple[AttributeValue, ...] = ()


@dataclass(frozen=True)
class ServiceInfo:
    description: str | None
    keywords: str
    group: str
    sensitive: bool
    attributes: tuple[Attribute, ...]


_attribute_lists = TypeAdapter(dict[str, list[Attribute]])


@cache
def _catalogue() -> dict[str, ServiceInfo]:
    attributes = _attribute_lists.validate_json((DATA_DIR / "attributes.json").read_bytes())
    with (DATA_DIR / "services.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["code"]: ServiceInfo(
            description=row["description"] or None,
            keywords=row["keywords"],
            group=row["group"] or DEFAULT_GROUP,
            sensitive=row["sensitive"].strip().lower() == "true",
            attributes=tuple(attributes.get(row["code"], ())),
        )
        for row in rows
    }


def info(code: str) -> ServiceInfo:
    return _catalogue().get(code) or ServiceInfo(None, "", DEFAULT_GROUP, False, ())


def is_sensitive(code: str) -> bool:
    return info(code).sensitive


def check_answers(
    attributes: tuple[Attribute, ...], answers: Mapping[str, list[str]]
) -> dict[str, list[str]]:
    """Validate `attribute[code]` answers against the service definition.

    Returns the answers kept (blank ones dropped); raises BadRequest listing
    every problem at once, as the specification allows several errors.
    """
    known = {attribute.code: attribute for attribute in attributes}
    problems = [
        f"attribute {code} is not part of this service" for code in answers if code not in known
    ]
    kept: dict[str, list[str]] = {}
    for attribute in attributes:
        given = [value.strip() for value in answers.get(attribute.code, []) if value.strip()]
        if not given:
            if attribute.required:
                problems.append(f"attribute {attribute.code} is required")
            continue
        problem = _check_values(attribute, given)
        if problem is not None:
            problems.append(problem)
        else:
            kept[attribute.code] = given
    if problems:
        raise BadRequest(*problems)
    return kept


def _check_values(attribute: Attribute, given: list[str]) -> str | None:
    code = attribute.code
    if attribute.datatype != "multivaluelist" and len(given) > 1:
        return f"attribute {code} takes one value"
    if any(len(value) > MAX_ANSWER_CHARS for value in given):
        return f"attribute {code} may have at most {MAX_ANSWER_CHARS} characters"
    value = given[0]
    match attribute.datatype:
        case "singlevaluelist" | "multivaluelist":
            keys = {option.key for option in attribute.values}
            if any(item not in keys for item in given):
                return f"attribute {code} must be one of: {', '.join(sorted(keys))}"
        case "number":
            try:
                number = float(value)
            except ValueError:
                return f"attribute {code} must be a number"
            if not math.isfinite(number):
                return f"attribute {code} must be a number"
        case "datetime":
            try:
                datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                return f"attribute {code} must be an ISO 8601 date and time"
        case "string":
            if "\n" in value or "\r" in value:
                return f"attribute {code} must be one line"
        case "text":
            pass
    return None


def answers_text(attributes: tuple[Attribute, ...], answers: Mapping[str, list[str]]) -> str:
    """The answers as lines an officer reads: `Kondisi pohon: Sudah tumbang`."""
    lines = []
    for attribute in attributes:
        if attribute.code not in answers:
            continue
        names = {option.key: option.name for option in attribute.values}
        shown = ", ".join(names.get(value, value) for value in answers[attribute.code])
        lines.append(f"{attribute.description}: {shown}")
    return "\n".join(lines)
