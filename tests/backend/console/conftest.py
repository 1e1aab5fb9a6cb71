"""Console test helpers: the console mounted on the app, and logged-in officers."""

import io
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import text

from backend import db

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def with_console(app: FastAPI) -> FastAPI:
    """The backend app with the console, whether or not create_app mounts it yet."""
    from backend.console.api import router

    if not any(c.path.startswith("/console") for c in iter_route_contexts(app.routes)):
        app.include_router(router)
    return app


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match is not None, "page has no CSRF field"
    return match.group(1)


@dataclass
class Officer:
    client: TestClient
    username: str
    csrf: str

    def post(self, path: str, data: dict[str, str], **kwargs: Any) -> httpx.Response:
        """A form POST carrying this session's CSRF token."""
        return self.client.post(path, data={"csrf_token": self.csrf, **data}, **kwargs)


OfficerFactory = Callable[..., Officer]


def make_operator(role: str, unit: str | None, username: str | None = None) -> str:
    from backend.agencies import service as agencies
    from backend.auth import service as auth
    from backend.auth.models import Role

    username = username or f"{role}-{uuid.uuid4().hex[:8]}"
    with db.get_sessionmaker().begin() as s:
        unit_id = agencies.get_unit(s, unit).id if unit else None
        auth.create_operator(s, username, PASSWORD, Role(role), unit_id)
    return username


def log_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log in through the form; returns the session's CSRF token."""
    page = client.get("/console/login")
    reply = client.post(
        "/console/login",
        data={"csrf_token": csrf_of(page.text), "username": username, "password": password},
        follow_redirects=False,
    )
    assert reply.status_code == 303, reply.text
    return csrf_of(client.get("/console/queue").text)


@pytest.fixture(autouse=True)
def _forget_console_sessions(clean_db: str) -> Iterator[None]:
    """console_sessions references operator_tokens, which clean_db empties after us."""
    yield
    with db.get_engine().begin() as connection:
        connection.execute(text("DELETE FROM console_sessions"))


@pytest.fixture
def console_app(app_client: TestClient) -> FastAPI:
    app = app_client.app
    assert isinstance(app, FastAPI)
    return with_console(app)


@pytest.fixture
def anonymous(console_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(console_app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def officer(console_app: FastAPI) -> Iterator[OfficerFactory]:
    """officer(role="operator", unit=None): a new browser, logged in as a new operator."""
    clients: list[TestClient] = []

    def make(role: str = "operator", unit: str | None = None) -> Officer:
        client = TestClient(console_app, raise_server_exceptions=False)
        clients.append(client)
        username = make_operator(role, unit)
        return Officer(client, username, log_in(client, username))

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def png() -> bytes:
    """A small valid PNG."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 60, 30)).save(out, "PNG")
    return out.getvalue()
