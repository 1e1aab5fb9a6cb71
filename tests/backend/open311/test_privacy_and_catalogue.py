"""Masking personal data in free text, and the service catalogue's data files."""

import pytest

from backend.agencies.models import Category
from backend.open311 import catalogue
from backend.open311.exceptions import BadRequest
from backend.privacy import mask_personal


@pytest.mark.parametrize(
    "text",
    [
        "telp 0812-3456-7890",
        "WA 081234567890",
        "hub +62 812 3456 7890",
        "kantor (021) 555-1234",
        "62-21-5551234",
        "email budi.santoso+aduan@mail.co.id",
        "NIK 3174012345678901",
    ],
)
def test_personal_data_in_descriptions_is_masked(text: str) -> None:
    masked = mask_personal(text)
    assert "[disamarkan]" in masked
    assert not any(ch.isdigit() for ch in masked)
    assert "@" not in masked


@pytest.mark.parametrize(
    "text",
    [
        "sejak 01-12-2026 jam 08.30",
        "pungli Rp 50.000 per motor",
        "RT 005 RW 03 no 12",
        "lubang 3 meter, sudah 2 minggu",
        "laporan JKT-7K3M-Q9XA belum ditangani",
    ],
)
def test_ordinary_numbers_are_left_alone(text: str) -> None:
    assert mask_personal(text) == text


def test_every_seeded_category_has_catalogue_data(session: object) -> None:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    codes = set(session.scalars(select(Category.code)))
    assert codes == {code for code in codes if catalogue.info(code).description}
    assert {c for c in codes if catalogue.is_sensitive(c)} == {
        "bansos",
        "kependudukan",
        "kesehatan",
        "pungli",
    }


def test_an_unknown_category_still_has_defaults() -> None:
    info = catalogue.info("kategori_baru")
    assert (info.description, info.group, info.sensitive, info.attributes) == (
        None,
        "lainnya",
        False,
        (),
    )


def test_multivaluelist_takes_several_known_keys() -> None:
    attribute = catalogue.Attribute(
        code="JENIS",
        datatype="multivaluelist",
        required=False,
        description="Jenis sampah",
        values=(
            catalogue.AttributeValue(key="plastik", name="Plastik"),
            catalogue.AttributeValue(key="organik", name="Organik"),
        ),
    )
    answers = {"JENIS": ["plastik", "organik"]}
    assert catalogue.check_answers((attribute,), answers) == answers
    assert catalogue.answers_text((attribute,), answers) == "Jenis sampah: Plastik, Organik"
    with pytest.raises(BadRequest, match="must be one of"):
        catalogue.check_answers((attribute,), {"JENIS": ["plastik", "kaca"]})
