"""Open311 GeoReport v2: the public API other civic tools use to file and follow reports."""
