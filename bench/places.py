"""Places in-process: reverse lookups/s (pin → kelurahan) and text searches/s.

Deterministic (fixed seeds) and bounded (fixed counts). Prints one line per
figure. Floors from issue 5: 20,000 reverse lookups/s, 2,000 searches/s.
Usage:
    .venv/bin/python bench/places.py [--points 200000] [--queries 20000]
"""

import argparse
import random
import string
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import shapely  # noqa: E402

from backend.places import geo, search, service  # noqa: E402

FILLERS = ["", "di ", "depan ", "dekat ", "jl. raya ", "gang mawar rt 03 rw 05 ", "sebelah "]
COMPLAINT_TEXTS = [
    "sampah numpuk udah 3 hari ga diangkut",
    "jalan bolong gede bgt min",
    "lampu pju mati dari minggu lalu",
    "got mampet kalo ujan banjir",
    "parkir liar bikin macet",
]
ABBREVIATED = {"kebon": "kb", "pondok": "pd", "tanjung": "tj", "kampung": "kp", "pasar": "psr"}


def reverse_points(n: int, rng: random.Random) -> list[tuple[float, float]]:
    """80% uniform over mainland Jakarta and its edge, 10% on kelurahan borders
    (gaps and overlaps), 10% around the islands (mostly sea)."""
    gaz = geo.gazetteer()
    border = shapely.get_coordinates(gaz.geoms)
    points = []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.8:
            points.append((rng.uniform(-6.40, -6.05), rng.uniform(106.66, 107.00)))
        elif kind < 0.9:
            x, y = border[rng.randrange(len(border))]
            x += rng.uniform(-30, 30)
            y += rng.uniform(-30, 30)
            points.append((y / geo._M_PER_DEG_LAT + geo._LAT0, x / geo._M_PER_DEG_LON + geo._LON0))
        else:
            points.append((rng.uniform(-6.05, -5.20), rng.uniform(106.38, 106.86)))
    return points


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    match rng.randrange(3):
        case 0:
            return word[:i] + word[i + 1 :]  # missing letter
        case 1:
            return word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :]
        case _:
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swapped


def queries(n: int, rng: random.Random) -> list[tuple[str, str | None]]:
    """(text, intended kelurahan code): addresses built from real names with
    fillers, abbreviations, typos (40%) and kecamatan/kota context; landmarks;
    and complaint texts with no place at all (code None)."""
    places = geo.gazetteer().places
    landmarks = [
        (k, es[0].codes[0] if len(es[0].codes) == 1 else None)
        for k, es in search._index().entries.items()
        if es[0].kind == "landmark"
    ]
    out: list[tuple[str, str | None]] = []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.1:
            out.append((rng.choice(COMPLAINT_TEXTS), None))
            continue
        if kind < 0.25:
            key, code = rng.choice(landmarks)
            out.append((rng.choice(FILLERS) + key, code))
            continue
        place = rng.choice(places)
        words = place.kelurahan.lower().split()
        words = [ABBREVIATED.get(w, w) if rng.random() < 0.3 else w for w in words]
        if rng.random() < 0.4:
            j = rng.randrange(len(words))
            words[j] = _typo(words[j], rng)
        text = rng.choice(["", "kel. ", "kelurahan "]) + " ".join(words)
        if rng.random() < 0.4:
            text += " kec. " + place.kecamatan
        if rng.random() < 0.3:
            text += " " + place.kota
        text = rng.choice(COMPLAINT_TEXTS) + " " + rng.choice(FILLERS) + text
        out.append((text, place.kelurahan_code))
    return out


def accuracy(labelled: list[tuple[str, str | None]]) -> None:
    """How often the first candidate is the intended kelurahan, and how often
    a wrong one is offered as clear (the costly mistake)."""
    right = clear_right = clear_wrong = 0
    named = sum(code is not None for _, code in labelled)
    for text, code in labelled:
        found = service.search(text)
        clear = service.is_clear(found)
        top = found[0].kelurahan_code if found else None
        right += top == code or (code is None and not clear)
        clear_right += clear and top == code and code is not None
        clear_wrong += clear and top != code
    n = len(labelled)
    print(
        f"search quality on {n:,} texts: first candidate right {100 * right / n:.1f}%, "
        f"clear and right {100 * clear_right / named:.1f}% of those naming one kelurahan, "
        f"clear but wrong {100 * clear_wrong / n:.2f}%"
    )


def rate(label: str, fn: Callable[..., object], args: Sequence[tuple[object, ...]]) -> float:
    """Calls/s by the wall clock, and per CPU-second of this process (which
    stays meaningful when other work shares the machine)."""
    start, cpu_start = time.perf_counter(), time.process_time()
    for a in args:
        fn(*a)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    per_second = len(args) / elapsed
    print(
        f"{label}: {per_second:,.0f}/s wall, {len(args) / cpu:,.0f}/s per CPU-second "
        f"({len(args):,} in {elapsed:.2f} s)"
    )
    return per_second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=20_000)
    args = parser.parse_args()

    start = time.perf_counter()
    geo.gazetteer()
    search._index()
    print(f"load (polygons, index, names): {time.perf_counter() - start:.3f} s")

    points = reverse_points(args.points, random.Random(5))
    inside = sum(service.locate(lat, lon) is not None for lat, lon in points[:10_000])
    print(f"reverse sample: {inside / 100:.1f}% of the first 10,000 points inside Jakarta")
    rate("reverse lookups", service.locate, points)

    labelled = queries(args.queries, random.Random(7))
    texts = [(text,) for text, _ in labelled]
    search._correct.cache_clear()
    rate("text searches (word-correction cache cold)", service.search, texts)
    rate("text searches (same texts again, cache warm)", service.search, texts)
    accuracy(labelled[:5000])


if __name__ == "__main__":
    main()
