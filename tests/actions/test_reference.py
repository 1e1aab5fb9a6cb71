"""Status questions that name the problem, and new reports that mention reporting."""

import pytest

from bot.components.lexicon import LEXICON_DIR, read
from bot.components.reference import StatusCues


@pytest.fixture(scope="module")
def cues() -> StatusCues:
    return StatusCues(read(LEXICON_DIR / "status_cues.yml"))


@pytest.mark.parametrize(
    "text",
    [
        "yang kemarin saya laporin soal got mampet, udah ada yang dateng belum?",
        "laporan saya gimana kabarnya min",
        "aduan gw soal pkl udah diproses?",
        "kok belum diangkut juga sampahnya, kan udah lapor",
        "udah ditindaklanjuti belum ya",
        "any update on my complaint about the broken streetlight?",
        "mau cek status laporan",
    ],
)
def test_a_reference_to_an_earlier_report_is_a_status_question(cues: StatusCues, text: str) -> None:
    assert cues.refers_to_earlier_report(text)


@pytest.mark.parametrize(
    "text",
    [
        "mau lapor jalan bolong di depan sd",
        "udah lapor ke RT tapi ga ditanggapi, jalan depan rumah hancur",
        "Dengan hormat, bersama ini kami sampaikan aduan kami mengenai saluran mampet",
        "got depan rumah mampet udah seminggu",
    ],
)
def test_a_new_report_is_not(cues: StatusCues, text: str) -> None:
    assert not cues.refers_to_earlier_report(text)


def test_a_ticket_always_is(cues: StatusCues) -> None:
    assert cues.refers_to_earlier_report("sampahnya masih numpuk", has_ticket=True)
