from fastapi import APIRouter
from fastapi.responses import JSONResponse

from backend.auth import service
from backend.auth.deps import AddressDep
from backend.auth.schemas import LoginRequest, TokenOut
from backend.db import SessionDep
from backend.errors import Unauthorized

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


@router.post("/login", response_model=TokenOut, responses={401: {}})
def login(body: LoginRequest, session: SessionDep, address: AddressDep) -> TokenOut | JSONResponse:
    result = service.login(session, body.username, body.password, address)
    if isinstance(result, service.LoginRefused):
        # Returned, not raised: the failure count must be committed.
        return JSONResponse(
            status_code=Unauthorized.status_code,
            content={"detail": result.reason, "code": Unauthorized.code},
        )
    return TokenOut(
        access_token=result.token,
        expires_at=result.row.expires_at,
        role=result.row.operator.role.value,
    )
