"""The migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from backend import db
from backend.models import Base


def test_migrated_schema_matches_the_models(database_url: str) -> None:
    with db.get_engine().connect() as connection:
        context = MigrationContext.configure(connection, opts={"render_as_batch": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []
