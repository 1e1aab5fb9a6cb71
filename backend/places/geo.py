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
import logging
import math
import time
from array import array
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely

logger = logging.getLogger(__name__)

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
# Side of the cells of the lookup grid: a cell wholly inside one kelurahan (or
# out of reach of all) answers without touching a polygon.
GRID_CELL_M = 100.0
_OUTSIDE = -1
_MIXED = -2

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
        self.representative_points = frozenset((p.latitude, p.longitude) for p in places)
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
        self.nx = int(math.ceil((maxx - minx + 2 * pad) / GRID_CELL_M))
        self.ny = int(math.ceil((maxy - miny + 2 * pad) / GRID_CELL_M))
        self.cells: array[int] = array("h")
        self.cells.frombytes(_grid(self).tobytes())

    def locate_index(self, lon: float, lat: float) -> int | None:
        """Index into `places` of the kelurahan at a valid point, or None."""
        x, y = to_metres(lon, lat)
        i = int((x - self.bbox[0]) // GRID_CELL_M)
        j = int((y - self.bbox[1]) // GRID_CELL_M)
        if not (0 <= i < self.nx and 0 <= j < self.ny):
            return None
        cell = self.cells[j * self.nx + i]
        if cell >= 0:
            return cell
        if cell == _OUTSIDE:
            return None
        return self.locate_index_exact(x, y)

    def locate_index_exact(self, x: float, y: float) -> int | None:
        """The rule itself, on projected coordinates; the grid only shortcuts it."""
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


def _cell_boxes(gaz: Gazetteer, bounds: Any, pad: float = 0.0) -> tuple[Any, Any, Any]:
    """Row and column numbers, and boxes, of the grid cells meeting `bounds` ± pad."""
    x0, y0 = gaz.bbox[0], gaz.bbox[1]
    i0 = max(0, int((bounds[0] - pad - x0) // GRID_CELL_M))
    i1 = min(gaz.nx, int((bounds[2] + pad - x0) // GRID_CELL_M) + 1)
    j0 = max(0, int((bounds[1] - pad - y0) // GRID_CELL_M))
    j1 = min(gaz.ny, int((bounds[3] + pad - y0) // GRID_CELL_M) + 1)
    jj, ii = (a.ravel() for a in np.meshgrid(np.arange(j0, j1), np.arange(i0, i1), indexing="ij"))
    boxes = shapely.box(
        x0 + ii * GRID_CELL_M,
        y0 + jj * GRID_CELL_M,
        x0 + (ii + 1) * GRID_CELL_M,
        y0 + (jj + 1) * GRID_CELL_M,
    )
    return jj, ii, boxes


def _grid(gaz: Gazetteer) -> Any:
    """Each cell: a kelurahan index when the cell lies wholly inside that one
    kelurahan and no other, _OUTSIDE when it is out of every kelurahan's reach
    (farther than its tolerance from its parts' boxes), else _MIXED."""
    grid = np.full((gaz.ny, gaz.nx), _OUTSIDE, dtype=np.int16)
    parts, owners = shapely.get_parts(gaz.geoms, return_index=True)
    for part, owner in zip(parts, owners, strict=True):
        jj, ii, _ = _cell_boxes(gaz, shapely.bounds(part), gaz.tolerance[owner])
        grid[jj, ii] = _MIXED
    for part, owner in zip(parts, owners, strict=True):
        jj, ii, boxes = _cell_boxes(gaz, shapely.bounds(part))
        shapely.prepare(part)
        inside = shapely.contains_properly(part, boxes)
        jj, ii = jj[inside], ii[inside]
        grid[jj, ii] = np.where(grid[jj, ii] == _MIXED, owner, _MIXED)
    # Where two kelurahan overlap, the exact rule decides.
    left, right = gaz.tree.query(gaz.geoms, predicate="intersects")
    pairs = left < right
    shared = shapely.get_parts(
        shapely.intersection(gaz.geoms[left[pairs]], gaz.geoms[right[pairs]])
    )
    for sliver in shared[shapely.area(shared) > 0]:
        jj, ii, boxes = _cell_boxes(gaz, shapely.bounds(sliver))
        hit = shapely.intersects(sliver, boxes)
        grid[jj[hit], ii[hit]] = _MIXED
    return grid


def _project_coords(coords: Any) -> Any:
    x, y = to_metres(coords[:, 0], coords[:, 1])
    return np.column_stack([x, y])


@cache
def gazetteer() -> Gazetteer:
    """Loaded once per process, on first use."""
    started = time.perf_counter()
    with KELURAHAN_FILE.open(encoding="utf-8") as fh:
        collection = json.load(fh)
    gaz = Gazetteer(collection["features"])
    logger.info(
        "kelurahan polygons loaded",
        extra={"kelurahan": len(gaz.places), "seconds": round(time.perf_counter() - started, 3)},
    )
    return gaz


def locate(latitude: float, longitude: float) -> Place | None:
    check_coordinates(latitude, longitude)
    gaz = gazetteer()
    index = gaz.locate_index(float(longitude), float(latitude))
    return None if index is None else gaz.places[index]


def is_representative_point(latitude: float, longitude: float) -> bool:
    """True for a kelurahan's `Place` point: a place found by text, not a pin."""
    return (round(latitude, 7), round(longitude, 7)) in gazetteer().representative_points


def by_code(kelurahan_code: str) -> Place | None:
    """The kelurahan of a Kemendagri code, dotted ("31.71.01.1001") or not ("3171011001")."""
    code = kelurahan_code.strip()
    if len(code) == 10 and code.isdigit():
        code = f"{code[:2]}.{code[2:4]}.{code[4:6]}.{code[6:]}"
    return gazetteer().by_code.get(code)
