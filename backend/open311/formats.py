"""GeoReport documents as XML or JSON.

A document is a tree of plain values. `Many(tag, items)` is a repeated
element: in XML `<services><service>…</service>…</services>`, in JSON a list.
JSON follows the Spark convention the specification names: the root element
disappears, repeated elements become arrays, an empty element becomes null.
"""

import json
import re
import xml.etree.ElementTree as ET  # noqa: S405 - used to build XML, never to parse it
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from fastapi import Response


class Format(StrEnum):
    XML = "xml"
    JSON = "json"

    @property
    def media_type(self) -> str:
        return "text/xml" if self is Format.XML else "application/json"


@dataclass(frozen=True)
class Many:
    tag: str
    items: Sequence["Value"]


Value = None | bool | int | float | str | datetime | Mapping[str, "Value"] | Many

# Characters XML 1.0 cannot carry at all, even escaped (C0 controls but tab, LF, CR).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def w3c_datetime(moment: datetime) -> str:
    """ISO 8601 as the W3C note has it: seconds, and the offset always present."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.replace(microsecond=0).isoformat()


def to_xml(root: str, value: Value) -> bytes:
    element = ET.Element(root)
    _fill(element, value)
    ET.indent(element)  # laid out like the specification's examples; leaf text is untouched
    body = ET.tostring(element, encoding="unicode", short_empty_elements=False)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode("utf-8")


def _fill(element: ET.Element, value: Value) -> None:
    if isinstance(value, Many):
        for item in value.items:
            _fill(ET.SubElement(element, value.tag), item)
    elif isinstance(value, Mapping):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    else:
        element.text = _text(value)


def _text(value: None | bool | int | float | str | datetime) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return w3c_datetime(value)
    # XML parsers read any CR as LF, so write it as LF: what a client reads is what we wrote.
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub("", text)


def to_json_value(value: Value) -> Any:
    if isinstance(value, Many):
        return [to_json_value(item) for item in value.items]
    if isinstance(value, Mapping):
        return {key: to_json_value(child) for key, child in value.items()}
    if isinstance(value, datetime):
        return w3c_datetime(value)
    return value


def render(fmt: Format, root: str, value: Value, status_code: int = 200) -> Response:
    if fmt is Format.XML:
        content = to_xml(root, value)
    else:
        content = json.dumps(to_json_value(value), ensure_ascii=False).encode("utf-8")
    return Response(
        content=content,
        status_code=status_code,
        media_type=f"{fmt.media_type}; charset=utf-8",
    )
