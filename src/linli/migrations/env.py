"""Alembic environment: the URL comes from the caller's config or LINLI_DATABASE_URL."""

from __future__ import annotations

from alembic import context

from linli import domains
from linli.db.base import Base
from linli.db.engine import make_engine

domains.import_models()  # every table onto Base.metadata
config = context.config


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from linli.config import get_settings

    url = config.get_main_option("sqlalchemy.url") or get_settings().resolved_database_url()
    engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn)
        conn.commit()
    engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
