"""The migrations build exactly the schema the models describe."""

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

from backend import db
from backend.__main__ import alembic_config
from backend.models import Base


def test_migrated_schema_matches_the_models(database_url: str) -> None:
    with db.get_engine().connect() as connection:
        context = MigrationContext.configure(connection, opts={"render_as_batch": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_tokens_behind_console_sessions_become_console_tokens(tmp_path: Path) -> None:
    """Migration 0009: a live console cookie stays a console token, not an API one."""
    url = f"sqlite:///{tmp_path / 'tokens.db'}"
    config = alembic_config(url)
    command.upgrade(config, "0002")
    command.upgrade(config, "0008")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO operators (id, username, password_hash, role, active, created_at) "
                "VALUES (1, 'budi', 'x', 'operator', 1, '2026-12-01 00:00:00')"
            )
        )
        for token_id in (1, 2):
            connection.execute(
                text(
                    "INSERT INTO operator_tokens (id, operator_id, token_hash, expires_at, "
                    "created_at) VALUES (:id, 1, :hash, '2030-01-01 00:00:00', "
                    "'2026-12-01 00:00:00')"
                ),
                {"id": token_id, "hash": f"{token_id:064d}"},
            )
        connection.execute(
            text(
                "INSERT INTO console_sessions (id, token_id, csrf_token, created_at) "
                "VALUES (1, 2, 'csrf', '2026-12-01 00:00:00')"
            )
        )
    command.upgrade(config, "0009")
    with engine.connect() as connection:
        uses = dict(connection.execute(text("SELECT id, use FROM operator_tokens")).all())
    engine.dispose()
    assert uses == {1: "api", 2: "console"}
