"""Typed address or landmark → candidate kelurahan.

The text is normalised (lower case, ASCII, punctuation to spaces), filler
words ("depan", "jl", "no", "rt") and numbers (house numbers, "rt04", "no12";
not a five-digit postal code) split it into runs, abbreviations are
expanded ("kb" → "kebon") and each remaining word is corrected against the
words of the place names when it is a likely typo. Then runs of up to
`MAX_WINDOW` words are looked up, longest first, as one key without spaces,
so "pal merah", "palmerah" and "Pal Merah" are the same key; a window whose key
is a name is taken even when its words are not ("pinang ranti", "bale kambang").
A whole typed address ("jl. kenanga no 12, rt 04/rw 09, kel. Pondok Labu,
Cilandak") gives the kelurahan: "kel."/"kec." say what the next name is, a
kecamatan confirms its kelurahan, and a kelurahan's name right after "jl."/"gang"
is a street's name and counts less than one named as such. Names come from
the kelurahan polygons' file; spelling variants and short forms from
`data/aliases.csv`; landmarks from `data/landmarks.csv`; postal codes
from `data/jakarta_kelurahan_kodepos.csv`.

Scores run from 0 to 100 and are comparable between candidates of one search;
`is_clear` says whether the first candidate stands out enough to use it
without asking.
"""

import csv
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from backend.places.geo import DATA_DIR, Place, gazetteer

MAX_QUERY_CHARS = 500
MAX_TOKENS = 128
MAX_WINDOW = 4

DIRECT_WEIGHT = 0.80  # a kelurahan (or landmark) named outright
AREA_WEIGHT = 0.76  # every kelurahan of a kecamatan named without one of them
WEAK_WEIGHT = 0.50  # a one-word kelurahan name that is also a common word
STREET_WEIGHT = 0.70  # a kelurahan's name used as a street's ("jl. duren tiga raya")
KECAMATAN_CONTEXT = 10.0  # the kelurahan's kecamatan is named too
KOTA_CONTEXT = 5.0  # its kota is named too
KOTA_MISMATCH = -25.0  # another kota is named
CORROBORATED = 5.0  # two different words point to the same kelurahan
CLEAR_MIN_SCORE = 60.0
CLEAR_MARGIN = 6.0
WINDOW_FUZZY_CUTOFF = 85.0

# Filler words split the text; markers say what the next name is;
# abbreviations are expanded; weak names are one-word kelurahan names that are
# also everyday words ("baru", "tengah"): they count fully only after "kel."
# or with their kecamatan named.
with (DATA_DIR / "words.json").open(encoding="utf-8") as _fh:
    _WORDS = json.load(_fh)
FILLER: frozenset[str] = frozenset(_WORDS["filler"])
KELURAHAN_MARKERS: frozenset[str] = frozenset(_WORDS["kelurahan_markers"])
KECAMATAN_MARKERS: frozenset[str] = frozenset(_WORDS["kecamatan_markers"])
ABBREVIATIONS: dict[str, str] = dict(_WORDS["abbreviations"])
WEAK_NAMES: frozenset[str] = frozenset(_WORDS["weak_names"])
STREET_MARKERS: frozenset[str] = frozenset(_WORDS["street_markers"])
# House numbers, "rt04", "rw 009", "no12", "12a": never part of a name. Five
# digits alone are a postal code and stay.
NUMBER = re.compile(r"(?:rt|rw|no|nomor|nmr|blok|blk|kav|gg|lt)?\d+[a-z]?")


@dataclass(frozen=True)
class Candidate(Place):
    score: float  # 0..100
    matched: str  # the name or landmark the text was matched to


@dataclass(frozen=True)
class _Entry:
    kind: str  # "kelurahan" | "kecamatan" | "kota" | "landmark" | "area" | "kodepos"
    codes: tuple[str, ...]
    label: str
    weak: bool = False


@dataclass(frozen=True)
class _Match:
    entry: _Entry
    score: float  # 0..100, how well the words matched the name
    marker: str | None  # "kelurahan" / "kecamatan" / "street" when the text said so
    start: int


def normalise(text: str) -> list[str]:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).split()


def _words(text: str) -> list[str]:
    return [ABBREVIATIONS.get(w, w) for w in normalise(text)]


def _key(name: str) -> str:
    return "".join(_words(name))


class _Index:
    def __init__(self) -> None:
        gaz = gazetteer()
        self.words: dict[str, list[str]] = {}
        self.places = gaz.by_code
        self.by_kecamatan: dict[str, list[str]] = defaultdict(list)
        self.entries: dict[str, list[_Entry]] = defaultdict(list)
        kecamatan: dict[str, str] = {}
        kota: dict[str, str] = {}
        for p in gaz.places:
            self.by_kecamatan[p.kecamatan_code].append(p.kelurahan_code)
            kecamatan[p.kecamatan_code] = p.kecamatan
            kota[p.kota_code] = p.kota
            weak = _key(p.kelurahan) in WEAK_NAMES
            self._add(p.kelurahan, _Entry("kelurahan", (p.kelurahan_code,), p.kelurahan, weak))
        for code, name in kecamatan.items():
            self._add(name, _Entry("kecamatan", (code,), name))
        for code, name in kota.items():
            self._add(name, _Entry("kota", (code,), name))
        areas: dict[str, list[str]] = defaultdict(list)
        with (DATA_DIR / "aliases.csv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["kind"] == "area":  # a name for several kelurahan
                    areas[row["alias"]].append(row["code"])
                    continue
                label = {**kecamatan, **kota}.get(row["code"]) or self.places[row["code"]].kelurahan
                self._add(row["alias"], _Entry(row["kind"], (row["code"],), label))
        for alias, members in areas.items():
            self._add(alias, _Entry("area", tuple(members), alias.title()))
        postal: dict[str, list[str]] = defaultdict(list)
        with (DATA_DIR / "jakarta_kelurahan_kodepos.csv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                postal[row["kodepos"]].append(row["kode"])
        for kodepos, members in postal.items():
            self._add(kodepos, _Entry("kodepos", tuple(members), f"kode pos {kodepos}"))
        with (DATA_DIR / "landmarks.csv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                codes = tuple(row["kelurahan_codes"].split("|"))
                entry = _Entry("landmark", codes, row["name"])
                for alias in [row["name"], *row["aliases"].split("|")]:
                    self._add(alias, entry)
        self.keys = list(self.entries)
        # Whole-window typo matches compare only names with the same first
        # letter (typos are rarely in the first letter): ~10x fewer comparisons.
        self.keys_by_initial: dict[str, list[str]] = defaultdict(list)
        for key in self.keys:
            self.keys_by_initial[key[0]].append(key)
        self.vocabulary = sorted({w for words in self.words.values() for w in words})
        self.vocabulary_set = frozenset(self.vocabulary)

    def _add(self, name: str, entry: _Entry) -> None:
        key = _key(name)
        if key and entry not in self.entries[key]:
            self.entries[key].append(entry)
            self.words.setdefault(key, _words(name))


@cache
def _index() -> _Index:
    return _Index()


def load() -> None:
    """Build the name index now instead of on the first search."""
    _index()


@lru_cache(maxsize=8192)
def _correct(word: str) -> tuple[str, float]:
    """The place-name word a typed word most likely means, with a 0..100 score.

    One typo (a missing, extra, wrong or swapped letter) is allowed in words of
    4 to 8 letters, two in longer words; shorter words must be exact.
    """
    index = _index()
    if word in index.vocabulary_set or len(word) < 4 or word.isdigit():
        return word, 100.0
    budget = 1 if len(word) <= 8 else 2
    best = process.extractOne(word, index.vocabulary, scorer=OSA.distance, score_cutoff=budget)
    if best is None:
        return word, 100.0
    return best[0], 100.0 * (1.0 - best[1] / max(len(word), len(best[0])))


def _runs(tokens: list[str]) -> list[list[tuple[int, str, str | None]]]:
    """Split into runs of content words, each with its position and preceding marker."""
    runs: list[list[tuple[int, str, str | None]]] = []
    current: list[tuple[int, str, str | None]] = []
    marker: str | None = None
    for i, word in enumerate(tokens):
        if word in STREET_MARKERS:
            if current:
                runs.append(current)
            current = []
            marker = "street"
            continue
        if word == "raya" and marker == "street" and not current:
            continue  # "jl. raya lenteng agung": the street's name follows
        if word in KELURAHAN_MARKERS or word in KECAMATAN_MARKERS:
            if current:
                runs.append(current)
            current = []
            marker = "kelurahan" if word in KELURAHAN_MARKERS else "kecamatan"
            continue
        if word in FILLER or (NUMBER.fullmatch(word) and not _is_postal_code(word)):
            if current:
                runs.append(current)
            current = []
            marker = None
            continue
        current.append((i, word, marker if not current else None))
    if current:
        runs.append(current)
    return runs


def _is_postal_code(word: str) -> bool:
    return len(word) == 5 and word.isdigit()


def _lookup(words: list[str], fixed: list[tuple[str, float]]) -> tuple[list[_Entry], float]:
    """Entries named by a window of words, as typed or with their typos corrected."""
    index = _index()
    entries = index.entries.get("".join(words))
    if entries is not None:
        return entries, 100.0
    entries = index.entries.get("".join(w for w, _ in fixed))
    if entries is not None:
        return entries, min(s for _, s in fixed)
    typos = sum(w != f for w, (f, _) in zip(words, fixed, strict=True))
    if len(words) < 2 or not typos or typos == len(words):
        return [], 0.0
    # Each word was corrected on its own, perhaps to the wrong name; try the
    # whole window ("kelapa dua wtan": "wtan" alone reads as "utan"), when at
    # least one word is a place-name word as typed.
    key = "".join(words)
    names = index.keys_by_initial.get(key[0], [])
    best = process.extractOne(key, names, scorer=OSA.distance, score_cutoff=typos)
    if best is None:
        return [], 0.0
    return index.entries[best[0]], 100.0 * (1.0 - best[1] / max(len(key), len(best[0])))


def _matches(text: str) -> list[_Match]:
    tokens = _words(text[:MAX_QUERY_CHARS])[:MAX_TOKENS]
    found: list[_Match] = []
    leftovers: list[list[tuple[int, str, str | None]]] = []
    vocabulary = _index().vocabulary_set
    for run in _runs(tokens):
        corrected = [_correct(word) for _, word, _ in run]
        # Names are made of place-name words: a window of several words can
        # only be a name if each of them is one (after correction).
        unknown = [f not in vocabulary for f, _ in corrected]
        used = [False] * len(run)
        for size in range(min(MAX_WINDOW, len(run)), 0, -1):
            for start in range(len(run) - size + 1):
                words = [w for _, w, _ in run[start : start + size]]
                if any(used[start : start + size]) or (
                    size > 1
                    and any(unknown[start : start + size])
                    and "".join(words) not in _index().entries
                ):
                    continue
                entries, score = _lookup(words, corrected[start : start + size])
                if score < 100.0:  # a common word is not a typo of a place
                    entries = [e for e in entries if not e.weak]
                if not entries:
                    continue
                used[start : start + size] = [True] * size
                marker = run[start][2] if start == 0 else None
                found.extend(_Match(e, score, marker, run[start][0]) for e in entries)
        leftovers.append([t for t, u in zip(run, used, strict=True) if not u])
    if not any(m.entry.kind in ("kelurahan", "landmark") for m in found):
        found.extend(_fuzzy_windows(leftovers))
    return found


def _fuzzy_windows(runs: list[list[tuple[int, str, str | None]]]) -> list[_Match]:
    """Last resort: whole multi-word windows against whole names (merged words + typos)."""
    index = _index()
    found: list[_Match] = []
    for run in runs:
        for size in range(min(3, len(run)), 0, -1):
            for start in range(len(run) - size + 1):
                words = [w for _, w, _ in run[start : start + size]]
                key = "".join(words)
                if len(key) < 6 or all(w in index.vocabulary_set for w in words):
                    continue
                best = process.extractOne(
                    key,
                    index.keys_by_initial.get(key[0], []),
                    scorer=fuzz.ratio,
                    score_cutoff=WINDOW_FUZZY_CUTOFF,
                )
                if best is not None:
                    marker = run[start][2]
                    found.extend(
                        _Match(e, float(best[1]), marker, run[start][0])
                        for e in index.entries[best[0]]
                    )
    return found


def _rank(matches: list[_Match]) -> list[tuple[float, str, str]]:
    """(score, kelurahan code, matched label), best first."""
    index = _index()
    allowed = [
        m
        for m in matches
        if m.marker in (None, "street")
        or m.entry.kind == m.marker
        or (m.marker == "kelurahan" and m.entry.kind == "landmark")
    ]
    direct: dict[str, list[tuple[float, _Match]]] = defaultdict(list)
    for m in allowed:
        if m.entry.kind in ("kelurahan", "landmark"):
            weight = WEAK_WEIGHT if m.entry.weak and m.marker != "kelurahan" else DIRECT_WEIGHT
            if m.marker == "street" and m.entry.kind == "kelurahan":
                weight = min(weight, STREET_WEIGHT)
            for code in m.entry.codes:
                direct[code].append((m.score * weight, m))
    kecamatan = [m for m in allowed if m.entry.kind == "kecamatan"]
    _drop_kecamatan_homonyms(direct, kecamatan)
    areas = [(m, index.by_kecamatan[m.entry.codes[0]]) for m in kecamatan]
    areas += [(m, list(m.entry.codes)) for m in matches if m.entry.kind in ("area", "kodepos")]
    kota_codes = {m.entry.codes[0] for m in allowed if m.entry.kind == "kota"}
    scores: dict[str, tuple[float, str]] = {}
    for code, hits in direct.items():
        best, match = max(hits, key=lambda h: h[0])
        starts = {h[1].start for h in hits}
        scores[code] = (best + (CORROBORATED if len(starts) > 1 else 0.0), match.entry.label)
    _add_areas(scores, areas)
    ranked = []
    for code, (score, label) in scores.items():
        if kota_codes:
            in_kota = any(code.startswith(k + ".") for k in kota_codes)
            score += KOTA_CONTEXT if in_kota else KOTA_MISMATCH
        ranked.append((max(0.0, min(100.0, score)), code, label))
    ranked.sort(key=lambda r: (-r[0], r[1]))
    return ranked


def _add_areas(scores: dict[str, tuple[float, str]], areas: list[tuple[_Match, list[str]]]) -> None:
    """A kecamatan, area or postal code confirms the kelurahan named in it;
    without one, each of its kelurahan becomes a candidate, more so in several."""
    named = list(scores)
    area_hits: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for match, members in areas:
        inside = [c for c in named if c in members]
        for c in inside:
            scores[c] = (scores[c][0] + KECAMATAN_CONTEXT, scores[c][1])
        if not inside:
            for c in members:
                area_hits[c].append((match.score * AREA_WEIGHT, match.entry.label))
    for c, hits in area_hits.items():
        best, label = max(hits)
        scores[c] = (best + KECAMATAN_CONTEXT * (len(hits) - 1), label)


def _drop_kecamatan_homonyms(
    direct: dict[str, list[tuple[float, "_Match"]]], kecamatan: list[_Match]
) -> None:
    """ "pesanggrahan ulujami": a word naming both a kecamatan and its namesake
    kelurahan is read as the kecamatan when another of its kelurahan is named."""
    for kec in kecamatan:
        prefix = kec.entry.codes[0] + "."
        others = [
            code
            for code, hits in direct.items()
            if code.startswith(prefix) and any(m.start != kec.start for _, m in hits)
        ]
        if not others:
            continue
        for code in list(direct):
            if code.startswith(prefix) and code not in others:
                del direct[code]
            elif code.startswith(prefix):
                direct[code] = [h for h in direct[code] if h[1].start != kec.start]


def search(text: str, limit: int = 5) -> list[Candidate]:
    """Candidate kelurahan for a typed address or landmark, best first."""
    if limit < 1:
        return []
    index = _index()
    ranked = _rank(_matches(text))
    return [
        Candidate(**vars(index.places[code]), score=round(score, 1), matched=label)
        for score, code, label in ranked[:limit]
    ]


def is_clear(candidates: list[Candidate]) -> bool:
    """True when the first candidate can be used without asking the citizen.

    Pass the list `search` returned with limit ≥ 2.
    """
    if not candidates or candidates[0].score < CLEAR_MIN_SCORE:
        return False
    return len(candidates) == 1 or candidates[0].score - candidates[1].score >= CLEAR_MARGIN
