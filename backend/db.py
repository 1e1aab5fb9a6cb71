"""Engine, session and the declarative base shared by every domain's models."""

import enum
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from functools import lru_cache
from typing import Annotated, Any

import anyio
from fastapi import Depends, Request
from sqlalchemy import DateTime, Engine, Enum, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.types import TypeDecorator

from backend.config import get_settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime}


def str_enum(cls: type[enum.StrEnum]) -> Enum:
    """A string enum stored as its values in a VARCHAR (no database enum type)."""
    return Enum(cls, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])


class CreatedAtMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    settings = get_settings()
    return create_engine(
        url, pool_size=settings.database_pool_size, max_overflow=20, pool_recycle=1800
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, emit BEGIN (savepoints need it).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


READ_ONLY = "aduan_read_only"


def _sqlite_begin_immediate(connection: Any) -> None:
    """Writers take the write lock at BEGIN: SQLite then queues them on
    busy_timeout instead of failing a transaction that read first and writes
    later. Read-only work (GET requests, token checks) begins deferred and,
    under WAL, never waits for a writer."""
    read_only = connection.get_execution_options().get(READ_ONLY, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


@lru_cache
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


@lru_cache
def get_sessionmaker() -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(), expire_on_commit=False)


@lru_cache
def get_read_only_engine() -> Engine:
    """The same engine and pool, for work that only reads (see _sqlite_begin_immediate)."""
    return get_engine().execution_options(**{READ_ONLY: True})


def read_only_session() -> Session:
    return get_sessionmaker()(bind=get_read_only_engine())


# Commit, rollback and close run on threads of their own: a request that holds
# a lock (SQLite's write lock, a row lock, a pooled connection) must never wait
# for a worker thread that another request, blocked on that lock, is holding.
_FINISH_LIMITER = anyio.CapacityLimiter(64)


async def get_session(request: Request) -> AsyncIterator[Session]:
    """Unit of work per request: commit on success, roll back on any error."""
    # No I/O here: the first query runs in the route's thread.
    reads_only = request.method in ("GET", "HEAD")
    session = read_only_session() if reads_only else get_sessionmaker()()
    try:
        yield session
        await anyio.to_thread.run_sync(session.commit, limiter=_FINISH_LIMITER)
    except BaseException:
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(session.rollback, limiter=_FINISH_LIMITER)
        raise
    finally:
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(session.close, limiter=_FINISH_LIMITER)


# scope="function": the commit runs before the response is sent, so a failed
# commit is a 500 and never a 201 for data that was not stored.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
