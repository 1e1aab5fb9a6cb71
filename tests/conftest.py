"""Shared fixtures: every database test runs on SQLite and on PostgreSQL.

Each run migrates fresh databases with Alembic (so the migrations are tested),
and every test starts from the seeded reference data alone.
"""

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import MetaData, select, text
from sqlalchemy.orm import Session

from backend import db
from backend.__main__ import migrate
from backend.config import get_settings

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
# Tables that hold rows right after migrating are reference data (categories,
# agencies, units, routing, ...) and stay; every other table is emptied after
# each test, children first.
_mutable_tables: list[str] = []


def _reset_caches() -> None:
    get_settings.cache_clear()
    db.get_engine.cache_clear()
    db.get_sessionmaker.cache_clear()
    db.get_read_only_engine.cache_clear()
    from backend.photos.storage import get_storage

    get_storage.cache_clear()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'aduan.db'}"
        yield from _use_database(url, tmp_path_factory)
        return
    name = f"aduan_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(
            f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL} ({exc}); "
            "run scripts/ensure-services.sh or `make pytest`, which starts it"
        )
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace(
            "postgresql://", "postgresql+psycopg://"
        )
        try:
            yield from _use_database(f"{base}/{name}", tmp_path_factory)
        finally:
            db.get_engine().dispose()
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _use_database(url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    os.environ["DATABASE_URL"] = url
    os.environ["PHOTO_DIR"] = str(tmp_path_factory.mktemp("photos"))
    os.environ["BACKEND_JOBS_INTERVAL_SECONDS"] = "0"  # tests run jobs.run_once themselves
    _reset_caches()
    migrate(url)
    _mutable_tables[:] = _tables_without_rows()
    yield url
    db.get_engine().dispose()


@pytest.fixture
def clean_db(database_url: str) -> Iterator[str]:
    yield database_url
    engine = db.get_engine()
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(_mutable_tables)} RESTART IDENTITY"))
        else:
            for table in _mutable_tables:
                connection.execute(text(f"DELETE FROM {table}"))  # noqa: S608 - reflected names


def _tables_without_rows() -> list[str]:
    """Empty tables after migration, children before parents."""
    metadata = MetaData()
    engine = db.get_engine()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return [
            table.name
            for table in reversed(metadata.sorted_tables)
            if connection.execute(select(table).limit(1)).first() is None
        ]


@pytest.fixture
def session(clean_db: str) -> Iterator[Session]:
    """A session whose work the test commits itself (or leaves for cleaning)."""
    with db.get_sessionmaker()() as session:
        yield session


@pytest.fixture
def app_client(clean_db: str) -> Iterator[TestClient]:
    from backend.app import create_app

    with TestClient(create_app(), raise_server_exceptions=False) as client:
        yield client


Headers = dict[str, str]


@pytest.fixture
def service_headers(app_client: TestClient) -> Headers:
    from backend.auth import service as auth

    token = auth.new_token()
    with db.get_sessionmaker().begin() as s:
        auth.register_service_client(s, f"tests-{uuid.uuid4().hex[:6]}", token)
    return {"Authorization": f"Bearer {token}"}


OperatorFactory = Callable[..., Headers]


@pytest.fixture
def operator_headers(app_client: TestClient) -> OperatorFactory:
    """Make an operator and log in through the API; returns its auth headers."""
    from backend.agencies import service as agencies
    from backend.auth import service as auth
    from backend.auth.models import Role

    def make(role: str = "operator", unit: str | None = None) -> Headers:
        username = f"{role}-{uuid.uuid4().hex[:8]}"
        password = "correct horse battery"
        with db.get_sessionmaker().begin() as s:
            unit_id = agencies.get_unit(s, unit).id if unit else None
            auth.create_operator(s, username, password, Role(role), unit_id)
        reply = app_client.post(
            "/api/v1/auth/login", json={"username": username, "password": password}
        )
        assert reply.status_code == 200, reply.text
        return {"Authorization": f"Bearer {reply.json()['access_token']}"}

    return make


@pytest.fixture
def photo_dir() -> Path:
    return get_settings().photo_dir
