from fastapi import APIRouter

from backend.agencies import service
from backend.agencies.schemas import CategoryList, CategoryOut
from backend.db import SessionDep

router = APIRouter(prefix="/api/v1", tags=["categories"])


@router.get("/categories", response_model=CategoryList)
def list_categories(session: SessionDep) -> CategoryList:
    """Complaint categories (CONTRACT.md §3), in menu order; public reference data."""
    categories = service.list_categories(session)
    return CategoryList(categories=[CategoryOut.model_validate(c) for c in categories])
