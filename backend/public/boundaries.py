"""Kelurahan boundaries (backend/places data) as GeoJSON with complaint counts: a choropleth.

Only polygons and counts leave the server; no complaint's own point.
"""

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from backend.places.geo import short_kota

DATA = Path(__file__).resolve().parents[1] / "places" / "data" / "jakarta_kelurahan.geojson"
KEPT = ("kode", "nama", "kecamatan", "kota")
CLASSES = 5


def _rounded(coords: Any) -> Any:
    """Coordinates to 5 decimals (about 1 m): a smaller file, the same map."""
    if isinstance(coords, float):
        return round(coords, 5)
    return [_rounded(c) for c in coords]


@lru_cache(maxsize=1)
def kelurahan_shapes() -> tuple[dict[str, Any], ...]:
    collection = json.loads(DATA.read_text(encoding="utf-8"))
    return tuple(
        {
            "type": "Feature",
            "properties": {
                **{key: feature["properties"][key] for key in KEPT},
                "kota": short_kota(feature["properties"]["kota"]),
            },
            "geometry": {
                "type": feature["geometry"]["type"],
                "coordinates": _rounded(feature["geometry"]["coordinates"]),
            },
        }
        for feature in collection["features"]
    )


def breaks(counts: dict[str, int]) -> list[int]:
    """Upper bounds of the colour classes: equal steps up to the busiest kelurahan."""
    peak = max(counts.values(), default=0)
    if peak == 0:
        return []
    step = max(1, -(-peak // CLASSES))
    return sorted({min(peak, step * n) for n in range(1, CLASSES + 1)})


def choropleth(counts: dict[str, int]) -> bytes:
    """Every kelurahan's polygon with `jumlah`, its number of complaints."""
    features = [
        {**shape, "properties": {**shape["properties"], "jumlah": counts.get(code, 0)}}
        for shape in kelurahan_shapes()
        for code in (shape["properties"]["kode"],)
    ]
    document = {"type": "FeatureCollection", "breaks": breaks(counts), "features": features}
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()
