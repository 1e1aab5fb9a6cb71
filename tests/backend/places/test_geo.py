"""Pin → kelurahan: known points, gaps, borders, the islands and the outside."""

import math

import numpy as np
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st

from backend.places import geo, service

# (latitude, longitude) → (kelurahan, kecamatan, kota)
KNOWN_POINTS = {
    "monas": ((-6.1754, 106.8272), ("Gambir", "Gambir", "Jakarta Pusat")),
    "istiqlal": ((-6.1702, 106.8310), ("Pasar Baru", "Sawah Besar", "Jakarta Pusat")),
    "gbk": ((-6.2186, 106.8018), ("Gelora", "Tanah Abang", "Jakarta Pusat")),
    "ancol": ((-6.1228, 106.8330), ("Ancol", "Pademangan", "Jakarta Utara")),
    "jis": ((-6.1245, 106.8687), ("Papanggo", "Tanjung Priok", "Jakarta Utara")),
    "fatahillah": ((-6.1352, 106.8133), ("Pinangsia", "Taman Sari", "Jakarta Barat")),
    "taman_anggrek": (
        (-6.1786, 106.7922),
        ("Tanjung Duren Selatan", "Grogol Petamburan", "Jakarta Barat"),
    ),
    "ragunan_zoo": ((-6.3125, 106.8201), ("Ragunan", "Pasar Minggu", "Jakarta Selatan")),
    "blok_m": ((-6.2443, 106.8003), ("Melawai", "Kebayoran Baru", "Jakarta Selatan")),
    "tmii": ((-6.3025, 106.8952), ("Ceger", "Cipayung", "Jakarta Timur")),
    "halim": ((-6.2666, 106.8911), ("Halim Perdana Kusuma", "Makasar", "Jakarta Timur")),
    "pulau_tidung": (
        (-5.7980, 106.5100),
        ("Pulau Tidung", "Kepulauan Seribu Selatan", "Kepulauan Seribu"),
    ),
}

OUTSIDE_POINTS = {
    "depok_margonda": (-6.3900, 106.8300),
    "tangerang_city": (-6.1780, 106.6300),
    "bekasi_city": (-6.2380, 106.9900),
    "sea_north_of_ancol": (-6.0800, 106.8400),
    "java_sea_far_north": (-5.0000, 106.6000),
    "bandung": (-6.9147, 107.6098),
    "null_island": (0.0, 0.0),
}


@pytest.mark.parametrize("name", sorted(KNOWN_POINTS))
def test_known_point_lands_in_its_kelurahan(name: str) -> None:
    (lat, lon), expected = KNOWN_POINTS[name]
    place = service.locate(lat, lon)
    assert place is not None
    assert (place.kelurahan, place.kecamatan, place.kota) == expected


def test_known_points_cover_every_kota() -> None:
    kotas = {expected[2] for _, expected in KNOWN_POINTS.values()}
    assert len(kotas) == 6


@pytest.mark.parametrize("name", sorted(OUTSIDE_POINTS))
def test_point_outside_jakarta_is_none(name: str) -> None:
    lat, lon = OUTSIDE_POINTS[name]
    assert service.locate(lat, lon) is None


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        (math.nan, 106.8),
        (-6.2, math.nan),
        (math.inf, 106.8),
        (-6.2, -math.inf),
        (90.5, 106.8),
        (-91.0, 106.8),
        (-6.2, 180.01),
        (-6.2, -200.0),
    ],
)
def test_invalid_coordinates_raise_value_error(lat: float, lon: float) -> None:
    with pytest.raises(ValueError, match="coordinates|latitude"):
        service.locate(lat, lon)


def test_monas_place_has_codes_and_short_kota() -> None:
    place = service.locate(-6.1754, 106.8272)
    assert place == service.by_code("31.71.01.1001")
    assert place is not None
    assert (place.kecamatan_code, place.kota_code, place.kota) == (
        "31.71.01",
        "31.71",
        "Jakarta Pusat",
    )


def test_representative_point_of_every_kelurahan_locates_to_itself() -> None:
    gaz = geo.gazetteer()
    assert len(gaz.places) == 267
    for place in gaz.places:
        assert service.locate(place.latitude, place.longitude) == place


def test_by_code_unknown_is_none() -> None:
    assert service.by_code("31.99.99.9999") is None
    assert service.by_code("") is None
    assert service.by_code("31.71") is None


def test_by_code_accepts_the_undotted_form() -> None:
    place = service.by_code(" 3171011001 ")
    assert place is not None
    assert place.kelurahan_code == "31.71.01.1001"


def _gap_points() -> list[tuple[float, float]]:
    """Points of Jakarta's area that no kelurahan polygon covers (slivers)."""
    gaz = geo.gazetteer()
    union = shapely.union_all(gaz.geoms)
    holes = [shapely.Polygon(ring) for part in shapely.get_parts(union) for ring in part.interiors]
    holes.sort(key=lambda h: -h.area)
    points = []
    for hole in holes[:25]:
        rep = hole.representative_point()
        lon = rep.x / geo._M_PER_DEG_LON + geo._LON0
        lat = rep.y / geo._M_PER_DEG_LAT + geo._LAT0
        points.append((lat, lon))
    return points


def test_points_in_gaps_between_kelurahan_take_the_nearest() -> None:
    points = _gap_points()
    assert len(points) == 25
    gaz = geo.gazetteer()
    for lat, lon in points:
        x, y = geo.to_metres(lon, lat)
        assert not any(shapely.contains_xy(gaz.geoms, x, y))
        place = service.locate(lat, lon)
        assert place is not None
        nearest = int(np.argmin(shapely.distance(gaz.geoms, shapely.Point(x, y))))
        assert place == gaz.places[nearest]


def test_point_just_beyond_mainland_tolerance_is_outside() -> None:
    # South of the southernmost mainland vertex (Jagakarsa/Ciganjur by Depok).
    gaz = geo.gazetteer()
    mainland = [g for g, p in zip(gaz.geoms, gaz.places, strict=True) if p.kota_code != "31.01"]
    _, miny, _, _ = shapely.total_bounds(mainland)
    lowest = min(mainland, key=lambda g: shapely.bounds(g)[1])
    coords = shapely.get_coordinates(lowest)
    x, y = coords[np.argmin(coords[:, 1])]
    lon = x / geo._M_PER_DEG_LON + geo._LON0
    lat_in = (y - 0.5 * geo.MAINLAND_TOLERANCE_M) / geo._M_PER_DEG_LAT + geo._LAT0
    lat_out = (y - 1.5 * geo.MAINLAND_TOLERANCE_M) / geo._M_PER_DEG_LAT + geo._LAT0
    assert service.locate(lat_in, lon) is not None
    assert service.locate(lat_out, lon) is None


def _east_of_island(place: service.Place, metres: float) -> tuple[float, float]:
    """A point `metres` east of the easternmost vertex of an island kelurahan."""
    gaz = geo.gazetteer()
    coords = shapely.get_coordinates(gaz.geoms[gaz.places.index(place)])
    x, y = coords[np.argmax(coords[:, 0])]
    return y / geo._M_PER_DEG_LAT + geo._LAT0, (x + metres) / geo._M_PER_DEG_LON + geo._LON0


def test_sea_near_an_island_belongs_to_its_kelurahan() -> None:
    place = service.by_code("31.01.02.1002")  # Pulau Tidung
    assert place is not None
    assert service.locate(*_east_of_island(place, 0.5 * geo.ISLAND_TOLERANCE_M)) == place


def test_sea_beyond_the_island_tolerance_is_outside() -> None:
    place = service.by_code("31.01.02.1002")  # Pulau Tidung
    assert place is not None
    gaz = geo.gazetteer()
    for metres in np.arange(1.5, 20, 0.5) * geo.ISLAND_TOLERANCE_M:  # east, out of reach
        lat, lon = _east_of_island(place, metres)
        x, y = geo.to_metres(lon, lat)
        if shapely.distance(gaz.geoms, shapely.Point(x, y)).min() > geo.ISLAND_TOLERANCE_M:
            break
    else:
        pytest.fail("no open sea east of Pulau Tidung")
    assert service.locate(lat, lon) is None


def test_overlap_picks_one_kelurahan_deterministically() -> None:
    gaz = geo.gazetteer()
    a, b = next(
        (i, int(j))
        for i, g in enumerate(gaz.geoms)
        for j in gaz.tree.query(g, predicate="overlaps")
        if j > i
    )
    overlap = shapely.intersection(gaz.geoms[a], gaz.geoms[b])
    rep = overlap.representative_point()
    lon = rep.x / geo._M_PER_DEG_LON + geo._LON0
    lat = rep.y / geo._M_PER_DEG_LAT + geo._LAT0
    first = service.locate(lat, lon)
    assert first in (gaz.places[a], gaz.places[b])
    assert service.locate(lat, lon) == first


@given(
    st.floats(allow_nan=True, allow_infinity=True), st.floats(allow_nan=True, allow_infinity=True)
)
def test_locate_never_crashes_on_any_float_pair(lat: float, lon: float) -> None:
    valid = math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180
    if valid:
        result = service.locate(lat, lon)
        assert result is None or isinstance(result, service.Place)
    else:
        with pytest.raises(ValueError, match="coordinates|latitude"):
            service.locate(lat, lon)


@given(st.floats(-6.40, -6.05), st.floats(106.65, 107.0))
def test_locate_in_greater_jakarta_returns_place_or_none(lat: float, lon: float) -> None:
    result = service.locate(lat, lon)
    assert result is None or result.kelurahan_code.startswith("31.")


@given(st.floats(-6.42, -5.15), st.floats(106.35, 107.02))
def test_grid_shortcut_agrees_with_the_exact_rule(lat: float, lon: float) -> None:
    gaz = geo.gazetteer()
    x, y = geo.to_metres(lon, lat)
    assert gaz.locate_index(lon, lat) == gaz.locate_index_exact(x, y)


def test_grid_shortcut_agrees_with_the_exact_rule_along_borders() -> None:
    gaz = geo.gazetteer()
    rng = np.random.default_rng(11)
    vertices = shapely.get_coordinates(gaz.geoms)
    picks = vertices[rng.integers(0, len(vertices), 5000)] + rng.uniform(-200, 200, (5000, 2))
    for x, y in picks:
        lon = x / geo._M_PER_DEG_LON + geo._LON0
        lat = y / geo._M_PER_DEG_LAT + geo._LAT0
        x2, y2 = geo.to_metres(lon, lat)
        assert gaz.locate_index(lon, lat) == gaz.locate_index_exact(x2, y2)


def test_warm_loads_polygons_and_names() -> None:
    from backend.places import search

    search._index.cache_clear()
    geo.gazetteer.cache_clear()
    service.warm()
    assert geo.gazetteer.cache_info().currsize == 1
    assert search._index.cache_info().currsize == 1
