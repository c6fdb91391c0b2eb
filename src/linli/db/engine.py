"""Engines: SQLite in WAL mode with foreign keys and real transactions, or PostgreSQL via psycopg 3."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Engine, create_engine, event

from linli.config import get_settings


def normalize_url(url: str) -> str:
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str, **kwargs) -> Engine:
    url = normalize_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
        _configure_sqlite(engine)
        return engine
    # psycopg prepares a statement run five times; PostgreSQL may then reuse a generic plan, blind to
    # the values of the scope's area-code range and of LIMIT/OFFSET, and pick a much worse index.
    # Custom plans cost a fraction of a millisecond of planning and keep range scans on the right index.
    connect_args = {"options": "-c plan_cache_mode=force_custom_plan", **kwargs.pop("connect_args", {})}
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT and defers BEGIN oddly; take it over, as the
    # SQLAlchemy documentation recommends, so SQLite behaves transactionally like PostgreSQL.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # A transaction that will write takes the write lock up front (BEGIN IMMEDIATE): a deferred one
        # that read first would fail with "database is locked" when another writer committed meanwhile.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("linli_writes") else "BEGIN")


def begin_for_writing(session) -> None:
    """Declare, before its first statement, that the session's transaction will write."""
    session.connection(execution_options={"linli_writes": True})


@lru_cache
def get_engine() -> Engine:
    return make_engine(get_settings().resolved_database_url())
