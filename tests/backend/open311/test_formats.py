"""The XML and JSON forms of one document, following the specification's examples."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.open311.formats import Format, Many, render, to_json_value, to_xml, w3c_datetime


def test_lists_become_repeated_elements_in_xml_and_arrays_in_json() -> None:
    document = Many("service", [{"service_code": "001", "metadata": True}, {"group": None}])
    xml = to_xml("services", document).decode()
    assert xml == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<services>\n"
        "  <service>\n"
        "    <service_code>001</service_code>\n"
        "    <metadata>true</metadata>\n"
        "  </service>\n"
        "  <service>\n"
        "    <group></group>\n"
        "  </service>\n"
        "</services>"
    )
    assert to_json_value(document) == [{"service_code": "001", "metadata": True}, {"group": None}]


def test_text_is_escaped_and_stays_well_formed() -> None:
    text = "<script>alert('x')</script> & \"kutip\" \x00\x1b selesai"
    body = to_xml("request", {"description": text})
    assert b"<script>" not in body
    parsed = ET.fromstring(body)  # noqa: S314 - our own output
    assert parsed.findtext("description") == "<script>alert('x')</script> & \"kutip\"  selesai"


def test_datetimes_keep_their_offset_and_drop_microseconds() -> None:
    wib = timezone(timedelta(hours=7))
    moment = datetime(2010, 4, 14, 6, 37, 38, 123456, tzinfo=wib)
    assert w3c_datetime(moment) == "2010-04-14T06:37:38+07:00"
    assert (
        w3c_datetime(datetime(1994, 11, 5, 13, 15, 30, tzinfo=UTC)) == "1994-11-05T13:15:30+00:00"
    )
    with pytest.raises(ValueError, match="naive"):
        w3c_datetime(datetime(2010, 4, 14))  # noqa: DTZ001 - the case under test


def test_render_sets_the_specified_content_types() -> None:
    xml = render(Format.XML, "errors", Many("error", [{"code": 400, "description": "x"}]), 400)
    assert xml.status_code == 400
    assert xml.headers["content-type"] == "text/xml; charset=utf-8"
    as_json = render(Format.JSON, "errors", Many("error", [{"code": 400, "description": "é"}]))
    assert as_json.headers["content-type"] == "application/json; charset=utf-8"
    assert json.loads(as_json.body) == [{"code": 400, "description": "é"}]


@given(st.text())
def test_any_text_survives_xml_as_written(text: str) -> None:
    body = to_xml("request", {"description": text})
    parsed = ET.fromstring(body)  # noqa: S314 - our own output
    expected = re.sub(
        "[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]",
        "",
        text.replace("\r\n", "\n").replace("\r", "\n"),
    )
    assert (parsed.findtext("description") or "") == expected
