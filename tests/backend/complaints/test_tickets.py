import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.complaints import tickets

CANONICAL = re.compile(r"^JKT-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")
bodies = st.text(alphabet=tickets.ALPHABET, min_size=8, max_size=8)
separators = st.sampled_from(["", "-", " ", "--", " - ", "_", "  "])


def test_generated_tickets_have_the_contract_format() -> None:
    for _ in range(500):
        assert CANONICAL.match(tickets.generate())


def test_generated_tickets_differ() -> None:
    assert len({tickets.generate() for _ in range(2000)}) == 2000


@given(bodies)
def test_parse_returns_the_canonical_form(body: str) -> None:
    assert tickets.parse(tickets.format_body(body)) == tickets.format_body(body)


@given(bodies, separators, separators, st.booleans())
def test_parse_ignores_case_and_separators(body: str, sep1: str, sep2: str, lower: bool) -> None:
    typed = f"JKT{sep1}{body[:4]}{sep2}{body[4:]}"
    typed = typed.lower() if lower else typed
    assert tickets.parse(typed) == tickets.format_body(body)


@given(bodies)
def test_parse_reads_o_as_zero_and_i_l_as_one(body: str) -> None:
    typed = "JKT-" + body.replace("0", "O").replace("1", "I")
    assert tickets.parse(typed) == tickets.format_body(body)
    assert tickets.parse(("JKT" + body.replace("1", "l")).lower()) == tickets.format_body(body)


@given(st.text(max_size=40))
def test_parse_accepts_only_what_it_can_normalise(text: str) -> None:
    try:
        parsed = tickets.parse(text)
    except tickets.InvalidTicket:
        return
    assert CANONICAL.match(parsed)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "JKT",
        "JKT-1234-567",  # too short
        "JKT-1234-56789",  # too long
        "JKT-12U4-5678",  # U is not Crockford
        "ABC-1234-5678",  # wrong prefix
        "1234-5678",  # no prefix
        "JKT-1234-56!8",
        "<script>",
    ],
)
def test_parse_rejects_malformed_tickets(text: str) -> None:
    with pytest.raises(tickets.InvalidTicket):
        tickets.parse(text)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("laporan JKT-7K3M-Q9XA sudah ditindaklanjuti?", "JKT-7K3M-Q9XA"),
        ("cek jkt 7k3m q9xa dong min", "JKT-7K3M-Q9XA"),
        ("tiket saya JKT7K3MQ9XA.", "JKT-7K3M-Q9XA"),
        ("nomornya jkt-7k3m-q9xo", "JKT-7K3M-Q9X0"),
        ("aduan saya gimana kabarnya", None),
        ("JKT-7K3M-Q9XAB terlalu panjang", None),
    ],
)
def test_find_in_text(message: str, expected: str | None) -> None:
    assert tickets.find_in_text(message) == expected
