"""Places: where a complaint is, from a pin or from typed text, and nearby reports.

Other domains call this module in-process:
`from backend.places import service as places`.
"""

from backend.places.geo import Place, by_code, locate

__all__ = ["Place", "by_code", "locate"]
