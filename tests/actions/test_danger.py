"""The danger lexicon: people in danger now, and what only sounds like it.

Sentences written for these tests, apart from any evaluation set.
"""

import pytest

from bot.components.danger import DangerLexicon
from bot.components.lexicon import LEXICON_DIR, read


@pytest.fixture(scope="module")
def lexicon() -> DangerLexicon:
    return DangerLexicon(read(LEXICON_DIR / "danger.yml"))


@pytest.mark.parametrize(
    ("text", "danger"),
    [
        ("rumah pak haji kebakaran, anaknya masih di dalem!", "fire"),
        ("TOLONG ADA KEBAKARAN DI GANG MELATI", "fire"),
        ("ada orang kejebak di lift mall lantai 3", "trapped"),
        ("atap musholla barusan ambruk ada jamaah ketiban", "trapped"),
        ("bapak2 pingsan di trotoar ga bangun bangun", "medical"),
        ("ada pengendara ketabrak truk, berdarah banyak", "medical"),
        ("bocah kecebur kali, hanyut kebawa arus", "drowning"),
        ("anak tetangga kesetrum kabel di genangan", "electric"),
        ("ada begal bawa celurit di flyover", "violence"),
        ("tawuran pelajar sekarang lagi di depan sekolah bawa sajam", "violence"),
        ("bau gas elpiji nyengat banget dari warung sebelah", "gas"),
        ("temen kos saya bilang mau bunuh diri", "suicide"),
        ("someone collapsed at the bus stop, not breathing", "medical"),
        ("there is a house fire on my street, kids inside", "fire"),
        ("kemarin dia bilang mau loncat dari jembatan, sekarang ga bisa dihubungi", "suicide"),
        ("istri saya mau lahiran di taksi, ketubannya udah pecah", "medical"),
        ("ayah saya nyeri dada dan susah napas", "medical"),
        ("nenek tiba2 ga bisa ngomong, mulutnya mencong", "medical"),
        ("balita jatuh ke sumur resapan belum bisa dikeluarin", "drowning"),
        ("api dari bengkel udah merembet ke rumah warga", "fire"),
        ("plafon aula runtuh pas acara, banyak pengunjung luka2", "medical"),
        ("tetangga lagi mukulin anaknya, teriak2 minta tolong", "violence"),
        ("anak SD ditarik paksa masuk mobil sama orang asing", "violence"),
        ("a tree fell on a car, the driver can't get out", "trapped"),
        ("bapak saya dipatuk ular di kebun, tangannya bengkak", "animal"),
        ("bayi saya keselek, mukanya biru", "medical"),
        ("air udah sampe genteng, kami sekeluarga di atas genteng nunggu perahu", "trapped"),
        ("nenek saya tinggal sendiri, dari kemarin ga angkat telpon", "alone"),
        (
            "asap masuk kamar, tangga darurat ketutup asap, ada orang di dalam ga bisa keluar",
            "fire",
        ),
    ],
)
def test_danger_now_raises_the_alarm(lexicon: DangerLexicon, text: str, danger: str) -> None:
    reading = lexicon.read(text)
    assert reading.alarm
    assert reading.danger == danger


@pytest.mark.parametrize(
    "text",
    [
        "pohon tumbang nutup jalan, untung ga ada korban",
        "tiap malam minggu ada tawuran di jembatan, tolong dijaga",
        "bekas kebakaran pasar belum dibersihin sampe sekarang",
        "kabel listrik menjuntai rendah, rawan kesetrum",
        "jalan bolong ini sering bikin kecelakaan motor",
        "minggu lalu ada yang jatuh ke got yang ga ada tutupnya",
        "rumah kosong di ujung gang temboknya retak mau roboh",
        "sampah numpuk di pinggir kali bau banget",
        "lampu jalan mati sebulan",
        "kemaren ada tabrakan di perempatan, korbannya udah dibawa ke rs!!! lampunya masih mati!!!",
        "tadi ada kebakaran kecil di tps, udah dipadamin damkar, sampahnya belum diangkut",
        "pohon roboh nimpa pagar, untung ga ada orang",
        "hidran kebakaran di gang kami ga ada airnya",
        "kalo ada keadaan darurat harus gimana?",
        "tembok sekolah retak gede, belum roboh sih tapi anak2 suka nyender",
        "banjir sepinggang, semua warga aman tapi mobil2 tenggelam",
        "kalo ada orang pingsan di jalan harus gimana? buat jaga2 aja",
        "aplikasinya crash terus pas kirim laporan",
        "sudah tiga kali kecelakaan di pertigaan ini bulan ini, tolong pasang lampu",
    ],
)
def test_what_only_sounds_dangerous_does_not(lexicon: DangerLexicon, text: str) -> None:
    assert not lexicon.read(text).alarm


def test_a_past_danger_happening_again_now_is_an_alarm(lexicon: DangerLexicon) -> None:
    assert lexicon.read("kemarin udah tawuran, sekarang mereka tawuran lagi bawa golok").alarm


def test_hypothetical_and_denied_dangers_are_masked(lexicon: DangerLexicon) -> None:
    reading = lexicon.read("kabel semrawut begini berpotensi kebakaran")
    assert reading.danger is None
    assert reading.masked


def test_shouting_does_not_make_a_past_danger_present(lexicon: DangerLexicon) -> None:
    # Exclamation marks are how many residents write; "kemaren" still dates it.
    assert not lexicon.read("KEMAREN ADA TAWURAN DI JEMBATAN!!! TOLONG DIJAGA!!!").alarm


def test_a_lookalike_word_does_not_hide_a_danger(lexicon: DangerLexicon) -> None:
    # "tangga darurat" is cut out as a word; the smoke and the people stay.
    reading = lexicon.read("tangga darurat ketutup asap, ada orang di dalam ga bisa keluar")
    assert reading.alarm
    assert not reading.masked


def test_nobody_hurt_is_read_as_denied(lexicon: DangerLexicon) -> None:
    assert lexicon.read("pohon roboh nimpa mobil, untung ga ada orang").denied
