"""Place shapes on the wire."""

from pydantic import BaseModel


class ReverseResult(BaseModel):
    inside_jakarta: bool
    kelurahan_code: str | None
    kelurahan: str | None
    kecamatan_code: str | None
    kecamatan: str | None
    kota_code: str | None
    kota: str | None


class SearchCandidate(BaseModel):
    kelurahan_code: str
    kelurahan: str
    kecamatan: str
    kota: str
    latitude: float
    longitude: float
    score: float
    matched: str


class SearchResult(BaseModel):
    candidates: list[SearchCandidate]
    clear: bool


class NearbyComplaint(BaseModel):
    ticket_id: str
    category: str
    status: str
    distance_m: float
    supporters: int


class NearbyResult(BaseModel):
    complaints: list[NearbyComplaint]
