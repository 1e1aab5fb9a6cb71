"""FastAPI dependencies: who is calling, and may they."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from backend.auth import service
from backend.auth.models import Operator, Role, ServiceClient
from backend.db import read_only_session
from backend.errors import Forbidden, Unauthorized

_bearer = HTTPBearer(auto_error=False)
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


@dataclass(frozen=True)
class Caller:
    """An authenticated caller: exactly one of `operator` and `service` is set."""

    operator: Operator | None = None
    service: ServiceClient | None = None

    @property
    def actor(self) -> str:
        """How history records the caller (no personal data)."""
        if self.operator is not None:
            return f"operator:{self.operator.id}"
        assert self.service is not None  # noqa: S101 - invariant of the dataclass
        return f"service:{self.service.name}"


def _token(credentials: HTTPAuthorizationCredentials | None) -> str:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("missing bearer token")
    return credentials.credentials


def current_caller(credentials: BearerDep) -> Caller:
    """Authenticate on a short session of its own, so that the request's
    transaction (and any lock it takes) starts in the route's thread."""
    token = _token(credentials)
    with read_only_session() as session:
        # Service clients first: they make most of the calls.
        client = service.service_client_for(session, token)
        if client is not None:
            return Caller(service=client)
        operator = service.operator_for(session, token)
        if operator is not None:
            return Caller(operator=operator)
    raise Unauthorized("invalid or expired token")


def current_service(caller: Annotated[Caller, Depends(current_caller)]) -> ServiceClient:
    if caller.service is None:
        raise Forbidden("this route is for service clients")
    return caller.service


def current_operator(caller: Annotated[Caller, Depends(current_caller)]) -> Operator:
    if caller.operator is None:
        raise Forbidden("this route is for operators")
    return caller.operator


def current_admin(operator: Annotated[Operator, Depends(current_operator)]) -> Operator:
    if operator.role is not Role.ADMIN:
        raise Forbidden("this route is for admins")
    return operator


def client_address(request: Request) -> str:
    """The source address of the request (uvicorn takes it from X-Forwarded-For
    when the proxy is in FORWARDED_ALLOW_IPS; 127.0.0.1 by default)."""
    return request.client.host if request.client is not None else "unknown"


CallerDep = Annotated[Caller, Depends(current_caller)]
AddressDep = Annotated[str, Depends(client_address)]
ServiceDep = Annotated[ServiceClient, Depends(current_service)]
OperatorDep = Annotated[Operator, Depends(current_operator)]
AdminDep = Annotated[Operator, Depends(current_admin)]
