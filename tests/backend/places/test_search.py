"""Text → kelurahan: names, typos, abbreviations, variants, landmarks, ambiguity."""

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.places import geo, search, service


def _top(text: str) -> tuple[str, str, bool]:
    found = service.search(text)
    assert found, f"no candidate for {text!r}"
    return found[0].kelurahan, found[0].kecamatan, service.is_clear(found)


@pytest.mark.parametrize(
    ("text", "kelurahan"),
    [
        ("jl kemang raya no 5 bangka mampang", "Bangka"),
        ("kel. cipinang muara jaktim", "Cipinang Muara"),
        ("sampah numpuk di depan pasar minggu", "Pasar Minggu"),
        ("lampu jalan mati gang h. naim rt 03 rw 05 kel cipete utara", "Cipete Utara"),
        ("pesanggrahan ulujami", "Ulujami"),
        ("kec gambir kel kebon kelapa", "Kebon Kelapa"),
        ("Pondok Labu, Cilandak, Jakarta Selatan", "Pondok Labu"),
    ],
)
def test_address_text_finds_one_clear_kelurahan(text: str, kelurahan: str) -> None:
    assert _top(text)[0::2] == (kelurahan, True)


@pytest.mark.parametrize(
    ("text", "kelurahan"),
    [
        ("dpn psr mingu", "Pasar Minggu"),
        ("kebn jeruk", "Kebon Jeruk"),
        ("cipinang muarra", "Cipinang Muara"),
        ("gambit", "Gambir"),
        ("rawamangn", "Rawamangun"),
        ("cipinangmuara", "Cipinang Muara"),
        ("tanjng duren utara", "Tanjung Duren Utara"),
        ("kelapa dua wtan", "Kelapa Dua Wetan"),  # "wtan" alone reads as "utan"
    ],
)
def test_typos_and_merged_words_still_match(text: str, kelurahan: str) -> None:
    assert _top(text)[0::2] == (kelurahan, True)


@pytest.mark.parametrize(
    ("text", "kelurahan"),
    [
        ("kb jeruk", "Kebon Jeruk"),
        ("pd labu", "Pondok Labu"),
        ("tj priok", "Tanjung Priok"),
        ("kp melayu", "Kampung Melayu"),
        ("KEL. MENTENG DALAM", "Menteng Dalam"),
    ],
)
def test_abbreviations_are_expanded(text: str, kelurahan: str) -> None:
    assert _top(text)[0::2] == (kelurahan, True)


@pytest.mark.parametrize(
    ("text", "kelurahan"),
    [
        ("Pal Merah", "Palmerah"),
        ("palmerah", "Palmerah"),
        ("kramat jati", "Kramatjati"),
        ("pulogadung", "Pulo Gadung"),
        ("setiabudi", "Setia Budi"),
        ("kali deres", "Kalideres"),
        ("tanjung priuk", "Tanjung Priok"),
        ("kampung tengah", "Tengah"),
        ("pal meriem", "Palmeriam"),
        ("papango", "Papanggo"),
        ("wijaya kesuma", "Wijaya Kusuma"),
        ("harapan mulya", "Harapan Mulia"),
        ("halim perdana kusumah", "Halim Perdana Kusuma"),
    ],
)
def test_spelling_variants_match_the_official_name(text: str, kelurahan: str) -> None:
    assert _top(text)[0::2] == (kelurahan, True)


@pytest.mark.parametrize(
    ("text", "kelurahan"),
    [
        ("monas", "Gambir"),
        ("ragunan", "Ragunan"),
        ("depan blok m", "Melawai"),
        ("pasar minggu", "Pasar Minggu"),
        ("kota tua", "Pinangsia"),
        ("ancol", "Ancol"),
        ("tanah abang", "Kampung Bali"),
        ("taman mini", "Ceger"),
        ("deket gbk", "Gelora"),
        ("banjir di kampung pulo", "Kampung Melayu"),
        ("pulau pramuka", "Pulau Panggang"),
    ],
)
def test_landmarks_lead_to_their_kelurahan(text: str, kelurahan: str) -> None:
    assert _top(text)[0::2] == (kelurahan, True)


@pytest.mark.parametrize(
    ("text", "kelurahan"),
    [
        ("untung jawa", "Pulau Untung Jawa"),
        ("p. tidung", "Pulau Tidung"),
        ("benhil", "Bendungan Hilir"),
    ],
)
def test_short_forms_of_kelurahan_names_match(text: str, kelurahan: str) -> None:
    assert _top(text)[0::2] == (kelurahan, True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sunter", {"Sunter Agung", "Sunter Jaya"}),
        ("kuningan", {"Karet Kuningan", "Kuningan Timur", "Kuningan Barat"}),
        ("pik", {"Kamal Muara", "Kapuk Muara"}),
    ],
)
def test_area_spanning_several_kelurahan_offers_them_all(text: str, expected: set[str]) -> None:
    found = service.search(text)
    assert {c.kelurahan for c in found} == expected
    assert not service.is_clear(found)


def test_kelurahan_named_inside_an_area_name_is_clear() -> None:
    assert _top("jl. danau sunter utara sunter agung") == ("Sunter Agung", "Tanjung Priok", True)


def test_every_alias_row_resolves_to_a_known_code() -> None:
    with (geo.DATA_DIR / "aliases.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    places = geo.gazetteer().places
    known = {
        "kelurahan": {p.kelurahan_code for p in places},
        "area": {p.kelurahan_code for p in places},
        "kecamatan": {p.kecamatan_code for p in places},
        "kota": {p.kota_code for p in places},
    }
    for row in rows:
        assert row["code"] in known[row["kind"]], row


def test_landmark_on_a_border_offers_both_kelurahan() -> None:
    found = service.search("depan stasiun tebet")
    assert {c.kelurahan for c in found[:2]} == {"Tebet Timur", "Kebon Baru"}
    assert not service.is_clear(found)


def test_jatinegara_alone_is_ambiguous_between_kelurahan_and_kecamatan() -> None:
    found = service.search("jatinegara")
    assert found[0].kelurahan == "Jatinegara"
    assert found[0].kecamatan == "Cakung"
    assert any(c.kecamatan == "Jatinegara" for c in found[1:])
    assert not service.is_clear(found)


def test_kel_marker_picks_the_jatinegara_kelurahan() -> None:
    assert _top("kel. jatinegara") == ("Jatinegara", "Cakung", True)


def test_kec_marker_picks_the_jatinegara_kecamatan() -> None:
    found = service.search("kec. jatinegara")
    assert found
    assert all(c.kecamatan == "Jatinegara" for c in found)
    assert not service.is_clear(found)


def test_kecamatan_alone_is_not_clear() -> None:
    found = service.search("tebet")
    assert len(found) == 5
    assert all(c.kecamatan == "Tebet" for c in found)
    assert not service.is_clear(found)


def test_same_name_kelurahan_inside_its_kecamatan_is_clear() -> None:
    assert _top("gambir") == ("Gambir", "Gambir", True)


def test_kota_abbreviation_boosts_the_kelurahan_in_that_kota() -> None:
    with_kota = service.search("kel cipinang muara jaktim")[0].score
    without = service.search("kel cipinang muara")[0].score
    assert with_kota > without


def test_kelurahan_in_another_kota_than_stated_is_not_clear() -> None:
    found = service.search("cawang jaksel")  # Cawang is in Jakarta Timur
    assert found[0].kelurahan == "Cawang"
    assert not service.is_clear(found)


def test_common_word_kelurahan_name_is_weak_without_marker() -> None:
    assert not service.is_clear(service.search("jalan baru"))
    assert _top("kel. baru pasar rebo") == ("Baru", "Pasar Rebo", True)


def test_typo_of_a_common_word_does_not_make_a_place() -> None:
    found = service.search("lampu mati di kebon kacang")
    assert [c.kelurahan for c in found] == ["Kebon Kacang"]


def test_postal_code_alone_finds_its_kelurahan() -> None:
    assert _top("jl h naim no 4 12730") == ("Bangka", "Mampang Prapatan", True)


def test_postal_code_and_kecamatan_together_single_out_the_kelurahan() -> None:
    found = service.search("kec tebet 12820")
    assert found[0].kelurahan == "Tebet Timur"
    assert service.is_clear(found)


def test_postal_code_shared_by_several_kelurahan_is_not_clear() -> None:
    with (geo.DATA_DIR / "jakarta_kelurahan_kodepos.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    shared = next(r["kodepos"] for r in rows if sum(o["kodepos"] == r["kodepos"] for o in rows) > 1)
    found = service.search(shared)
    assert len(found) > 1
    assert not service.is_clear(found)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "jaksel", "jl. margonda raya depok", "harga cabe berapa", "!!!", "12345"],
)
def test_text_without_a_place_gives_no_candidates(text: str) -> None:
    assert service.search(text) == []
    assert not service.is_clear([])


def test_limit_bounds_the_candidates() -> None:
    assert len(service.search("tebet", limit=2)) == 2
    assert service.search("tebet", limit=0) == []


def test_candidates_are_sorted_and_scored_within_0_and_100() -> None:
    found = service.search("jatinegara pulogadung tebet")
    scores = [c.score for c in found]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 100 for s in scores)


def test_every_kelurahan_name_finds_itself() -> None:
    for place in geo.gazetteer().places:
        found = service.search(f"kelurahan {place.kelurahan}")
        assert found[0].kelurahan_code == place.kelurahan_code, place.kelurahan


def test_landmark_table_codes_exist_and_its_point_lies_in_one_of_them() -> None:
    with (geo.DATA_DIR / "landmarks.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 30
    for row in rows:
        codes = row["kelurahan_codes"].split("|")
        assert all(service.by_code(c) is not None for c in codes), row["name"]
        place = service.locate(float(row["latitude"]), float(row["longitude"]))
        assert place is not None, row["name"]
        assert place.kelurahan_code in codes, row["name"]


def test_every_weak_name_is_a_one_word_kelurahan_name() -> None:
    names = {search._key(p.kelurahan) for p in geo.gazetteer().places}
    assert search.WEAK_NAMES <= names


def test_no_place_name_word_is_a_filler_word() -> None:
    words = {w for place in geo.gazetteer().places for w in search.normalise(place.kelurahan)}
    assert not words & search.FILLER


@settings(max_examples=300)
@given(st.text(max_size=600))
def test_search_never_crashes_on_any_text(text: str) -> None:
    found = service.search(text)
    assert len(found) <= 5
    assert isinstance(service.is_clear(found), bool)


@pytest.mark.parametrize(
    "text",
    [
        "jl. kenanga no 12, rt 04/rw 09, kel. Pondok Labu, Cilandak",
        "jl kenanga no 12 rt 04 rw 09 kelurahan pondok labu kecamatan cilandak",
        "jl. kenanga 12 rt04/rw09 pondok labu cilandak",
        "Jl. Kenanga No.12A RT 004/RW 009, Kel. Pondok Labu, Kec. Cilandak, Jakarta Selatan 12450",
        "jl. kenanga no12 rt.04 rw.09 pd labu",
    ],
)
def test_whole_typed_address_gives_its_kelurahan(text: str) -> None:
    assert _top(text) == ("Pondok Labu", "Cilandak", True)


@pytest.mark.parametrize(
    ("text", "kelurahan"),
    [
        ("jl. pasar minggu raya no 3 rt 2 rw 5 kel. pejaten timur, pasar minggu", "Pejaten Timur"),
        ("jl. cempaka putih raya no 7, kel. rawasari, cempaka putih", "Rawasari"),
        ("jl. kemanggisan raya no 3 kel. palmerah kec. pal merah", "Palmerah"),
        ("jl. duren tiga raya no 8 kel. pancoran", "Pancoran"),
        ("Jl. Tebet Raya No. 5, RT 01/RW 02, Kel. Tebet Timur, Kec. Tebet", "Tebet Timur"),
    ],
)
def test_kelurahan_named_with_kel_beats_a_street_named_after_another(
    text: str, kelurahan: str
) -> None:
    assert _top(text)[0::2] == (kelurahan, True)


def test_a_kecamatan_alone_is_not_clear() -> None:
    found = service.search("jl. kenanga no 12, rt 04/rw 09, kec. cilandak")
    assert "Pondok Labu" in {c.kelurahan for c in found}
    assert not service.is_clear(found)


@pytest.mark.parametrize(
    ("text", "kelurahan"),
    [
        ("kel. pinang ranti, kec. makasar", "Pinangranti"),
        ("bale kambang kramat jati", "Balekambang"),
        ("kel. suka pura kec. cilincing", "Sukapura"),
        ("rawabadak selatan koja", "Rawa Badak Selatan"),
        ("kec. setia budi kel. karet", "Karet"),
    ],
)
def test_names_split_or_joined_otherwise_match(text: str, kelurahan: str) -> None:
    assert _top(text)[0::2] == (kelurahan, True)


def _crosswalk() -> list[dict[str, str]]:
    """BPS (HDX) names of the kelurahan with their Kemendagri codes (/work/shared/data)."""
    path = Path(__file__).parent / "data" / "bps_kemendagri_crosswalk.csv"
    with path.open(encoding="utf-8") as fh:
        return [row for row in csv.DictReader(fh) if row["kemendagri_kode"]]


@pytest.mark.parametrize("row", _crosswalk(), ids=lambda row: row["bps_nama"])
def test_bps_names_are_found(row: dict[str, str]) -> None:
    alone = service.search(row["bps_nama"])
    assert alone[0].kelurahan_code == row["kemendagri_kode"]
    address = service.search(f"kel. {row['bps_nama']}, kec. {row['bps_kecamatan']}")
    assert address[0].kelurahan_code == row["kemendagri_kode"]
    assert service.is_clear(address)


def test_a_kelurahan_after_kel_beats_one_used_as_a_main_road_name():
    candidates = search.search("jl raya lenteng agung no 3, kel tanjung barat")
    assert candidates[0].kelurahan == "Tanjung Barat"
    assert search.is_clear(candidates)
