from pydantic import BaseModel


class LocationSuggestion(BaseModel):
    latitude: float
    longitude: float


class PhotoOut(BaseModel):
    photo_id: str
    content_type: str
    width: int
    height: int
    byte_size: int
    location_suggestion: LocationSuggestion | None
