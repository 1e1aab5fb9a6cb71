"""Point → kelurahan lookup over the boundary polygons, offline.

The polygons (``data/jakarta_kelurahan.geojson``) are simplified: neighbours
leave hair-thin gaps and overlap slightly, and the coast and the islands are
drawn coarsely. So a point is placed in the polygon that contains it; failing
that, in the nearest polygon within a small distance (`MAINLAND_TOLERANCE_M`,
or `ISLAND_TOLERANCE_M` for Kepulauan Seribu, whose islands are far from any
other land); failing that, it is outside DKI Jakarta.

Geometry is held in a local metric projection (metres east/north of a point in
central Jakarta), so distances are in metres without a projection library.
"""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely

DATA_DIR = Path(__file__).resolve().parent / "data"
KELURAHAN_FILE = DATA_DIR / "jakarta_kelurahan.geojson"

# A GPS pin this close to a mainland kelurahan is taken to be in it: covers
# the gaps between neighbours (at most ~11 m wide) and most of the
# simplification error along the coast and the land border (median ~30 m,
# 90th percentile ~170 m against the more detailed BPS/HDX layer).
MAINLAND_TOLERANCE_M = 150.0
# The islands are drawn up to several hundred metres off (BPS/HDX disagrees by
# 200-900 m for some); no other province's land is within kilometres of them,
# so a wider margin costs nothing. The sea between the islands and the
# mainland (north of Ancol, Muara Baru) stays outside.
ISLAND_TOLERANCE_M = 1000.0
ISLANDS_KOTA_CODE = "31.01"

_LON0 = 106.8
_LAT0 = -6.2
_M_PER_DEG_LAT = 110_574.0
_M_PER_DEG_LON = 111_320.0 * math.cos(math.radians(_LAT0))

_KOTA_PREFIXES = ("Kota Administrasi ", "Kabupaten Administrasi ")


@dataclass(frozen=True)
class Place:
    kelurahan_code: str  # Kemendagri dotted, e.g. "31.71.01.1001"
    kelurahan: str
    kecamatan_code: str
    kecamatan: str
    kota_code: str  # "31.71" Jakarta Pusat ... "31.75" Jakarta Timur, "31.01" Kepulauan Seribu
    kota: str  # short form: "Jakarta Pusat", ..., "Kepulauan Seribu"
    latitude: float  # a representative point inside the kelurahan
    longitude: float


def short_kota(name: str) -> str:
    """ "Kota Administrasi Jakarta Selatan" → "Jakarta Selatan"."""
    for prefix in _KOTA_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :].strip()
    return name.strip()


def to_metres(lon: Any, lat: Any) -> tuple[Any, Any]:
    """Local equirectangular projection; scalars or numpy arrays."""
    return (lon - _LON0) * _M_PER_DEG_LON, (lat - _LAT0) * _M_PER_DEG_LAT


def check_coordinates(latitude: float, longitude: float) -> None:
    """Raise ValueError unless both are finite numbers in range."""
    if isinstance(latitude, bool) or isinstance(longitude, bool):
        raise ValueError("coordinates must be numbers")
    try:
        lat = float(latitude)
        lon = float(longitude)
    except (TypeError, ValueError) as exc:
        raise ValueError("coordinates must be numbers") from exc
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise ValueError("coordinates must be finite")
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise ValueError("latitude must be within ±90 and longitude within ±180")


class Gazetteer:
    """The 267 kelurahan: their places, polygons and a spatial index."""

    def __init__(self, features: list[dict[str, Any]]) -> None:
        places: list[Place] = []
        geoms: list[Any] = []
        for feature in features:
            props = feature["properties"]
            geom = shapely.geometry.shape(feature["geometry"])
            rep = geom.representative_point()
            places.append(
                Place(
                    kelurahan_code=props["kode"],
                    kelurahan=props["nama"],
                    kecamatan_code=props["kecamatan_kode"],
                    kecamatan=props["kecamatan"],
                    kota_code=props["kota_kode"],
                    kota=short_kota(props["kota"]),
                    latitude=round(rep.y, 7),
                    longitude=round(rep.x, 7),
                )
            )
            geoms.append(shapely.transform(geom, _project_coords))
        self.places: tuple[Place, ...] = tuple(places)
        self.by_code: dict[str, Place] = {p.kelurahan_code: p for p in places}
        self.geoms = np.array(geoms, dtype=object)
        shapely.prepare(self.geoms)
        self.tree = shapely.STRtree(self.geoms)
        self.tolerance = np.array(
            [
                ISLAND_TOLERANCE_M if p.kota_code == ISLANDS_KOTA_CODE else MAINLAND_TOLERANCE_M
                for p in places
            ]
        )
        # Anything farther than this from every polygon's box is outside at once.
        minx, miny, maxx, maxy = shapely.total_bounds(self.geoms)
        pad = ISLAND_TOLERANCE_M
        self.bbox = (minx - pad, miny - pad, maxx + pad, maxy + pad)

    def locate_index(self, lon: float, lat: float) -> int | None:
        """Index into `places` of the kelurahan at a valid point, or None."""
        x, y = to_metres(lon, lat)
        minx, miny, maxx, maxy = self.bbox
        if not (minx <= x <= maxx and miny <= y <= maxy):
            return None
        point = shapely.Point(x, y)
        hits = self.tree.query(point, predicate="intersects")
        if len(hits) == 1:
            return int(hits[0])
        if len(hits) > 1:
            # An overlap sliver: take the polygon the point is deepest inside.
            depth = shapely.distance(shapely.boundary(self.geoms[hits]), point)
            return int(hits[int(np.argmax(depth))])
        near, dist = self.tree.query_nearest(
            point, max_distance=ISLAND_TOLERANCE_M, return_distance=True
        )
        if len(near) == 0:
            return None
        best = int(near[int(np.argmin(dist))])
        if float(dist.min()) > self.tolerance[best]:
            return None
        return best


def _project_coords(coords: Any) -> Any:
    x, y = to_metres(coords[:, 0], coords[:, 1])
    return np.column_stack([x, y])


@cache
def gazetteer() -> Gazetteer:
    """Loaded once per process, on first use."""
    with KELURAHAN_FILE.open(encoding="utf-8") as fh:
        collection = json.load(fh)
    return Gazetteer(collection["features"])


def locate(latitude: float, longitude: float) -> Place | None:
    check_coordinates(latitude, longitude)
    gaz = gazetteer()
    index = gaz.locate_index(float(longitude), float(latitude))
    return None if index is None else gaz.places[index]


def by_code(kelurahan_code: str) -> Place | None:
    return gazetteer().by_code.get(kelurahan_code.strip())
