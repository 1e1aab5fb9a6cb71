"""The category classifier on its own: ranking, the no-problem class, keywords."""

from bot.components.category_model import NONE, CategoryModel, KeywordHits, clean

CODES = ["sampah", "saluran_air", "banjir"]
EXAMPLES = [
    ("sampah numpuk di pinggir jalan", "sampah"),
    ("tumpukan sampah bau ga diangkut", "sampah"),
    ("truk sampah ga dateng seminggu", "sampah"),
    ("got mampet airnya item", "saluran_air"),
    ("selokan tersumbat plastik", "saluran_air"),
    ("saluran air depan rumah buntu", "saluran_air"),
    ("banjir sepaha di gang", "banjir"),
    ("air naik masuk rumah abis ujan", "banjir"),
    ("genangan tinggi di jalan raya", "banjir"),
    ("halo min", NONE),
    ("makasih ya", NONE),
    ("iya betul", NONE),
]


def model() -> CategoryModel:
    return CategoryModel.train(EXAMPLES, {"got": "saluran_air", "sampah": "sampah"}, CODES)


def test_ranking_covers_the_categories_best_first() -> None:
    ranking = model().rank(["sampah numpuk ga diangkut2"])[0]
    assert [code for code, _ in ranking.categories][0] == "sampah"
    assert sorted(code for code, _ in ranking.categories) == sorted(CODES)
    assert abs(sum(p for _, p in ranking.categories) - 1.0) < 1e-6


def test_a_greeting_is_mostly_no_problem() -> None:
    greeting, report = model().rank(["halo min", "got mampet"])
    assert greeting.none > report.none


def test_keyword_hits_mark_the_category_column_once() -> None:
    hits = KeywordHits({"got": "saluran_air", "got mampet": "saluran_air"}, CODES)
    matrix = hits.transform([clean("GOT MAMPET!!"), clean("banjir")]).toarray()
    assert matrix.tolist() == [[0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]


def test_clean_squeezes_long_letter_runs() -> None:
    assert clean("Bauuuu bangettt!!") == "bau banget"
