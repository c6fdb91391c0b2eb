"""Bulk writes for imports: ids reserved up front, rows written by COPY (PostgreSQL) or executemany (SQLite).

Reserving ids lets an importer link rows (persons to households, tags to persons) without reading
anything back. On PostgreSQL the ids come from the table's sequence, so concurrent writers never
collide; on SQLite the caller's transaction already holds the write lock (BEGIN IMMEDIATE).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from linli.db import raw
from linli.kit.time import as_utc


def reserve_ids(session: Session, table: Table, n: int) -> list[int]:
    """`n` fresh primary-key values of `table` (an integer `id` column)."""
    return [i for (i,) in reserve_ids_of(session, (table,), n)]


def reserve_ids_of(session: Session, tables: tuple[Table, ...], n: int) -> list[tuple[int, ...]]:
    """`n` fresh ids of each table, as n tuples, in one round trip (event intake: events and their
    timeline entries). On PostgreSQL straight through psycopg: a report batch asks every time."""
    if n <= 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        columns = ", ".join(f"nextval(pg_get_serial_sequence('{t.name}', 'id')) AS {t.name}" for t in tables)
        return [tuple(r) for r in raw.execute(session, f"SELECT {columns} FROM generate_series(1, :n)", {"n": n})]
    # SQLite: a writing transaction holds the database's only write lock, so max + 1 is ours.
    tops = [session.scalar(select(func.max(t.c.id))) or 0 for t in tables]
    return [tuple(top + i for top in tops) for i in range(1, n + 1)]


def insert_rows(session: Session, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert tuples of values (in `columns` order) into `table` as fast as the engine allows."""
    if not rows:
        return
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        cols = ", ".join(f'"{c}"' for c in columns)
        with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({cols}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
        return
    placeholders = ", ".join("?" for _ in columns)
    cols = ", ".join(f'"{c}"' for c in columns)
    raw = conn.connection.driver_connection
    # The sqlite3 driver's own date adapters are deprecated: dates and datetimes become text as SQLAlchemy
    # stores them. Columns are judged by the first row; callers that pass text already pay nothing.
    convert = [i for i, v in enumerate(rows[0]) if isinstance(v, date)]
    if convert:
        rows = [_sqlite(r, convert) for r in rows]
    raw.executemany(f'INSERT INTO "{table.name}" ({cols}) VALUES ({placeholders})', rows)


def sql_time(value: datetime, dialect: str) -> str:
    """A UTC timestamp as text either engine stores as SQLAlchemy would (for rows written in bulk)."""
    if dialect == "sqlite":
        return as_utc(value).strftime("%Y-%m-%d %H:%M:%S.%f")
    return as_utc(value).isoformat()


def _sqlite(row: Sequence[Any], convert: list[int]) -> tuple:
    out = list(row)
    for i in convert:
        v = out[i]
        if isinstance(v, datetime):
            out[i] = as_utc(v).strftime("%Y-%m-%d %H:%M:%S.%f")
        elif isinstance(v, date):
            out[i] = v.isoformat()
    return tuple(out)
