from pydantic import BaseModel, ConfigDict


class CategoryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    label: str
    agency_code: str
    photo_required: bool


class CategoryList(BaseModel):
    categories: list[CategoryOut]
