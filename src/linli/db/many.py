"""Many rows of one table in one statement of constant text, inside a transaction (linli.db.bulk is for
imports: COPY, no defaults, no conflicts).

The ORM's and Core's executemany write a batch either as one multi-row VALUES statement, whose text
grows with the number of rows (psycopg parses a text longer than 4 KB afresh on every execution, and
PostgreSQL plans it afresh: milliseconds for a batch of event reports), or as one statement per row
(pipelined, but a round of protocol work per row). On PostgreSQL `insert_many` sends the columns as
arrays to `INSERT … SELECT * FROM unnest(…)`: one short text for any number of rows, parsed and planned
once per connection. On SQLite (in-process, no protocol) it is the plain executemany.

Column defaults given in Python (`default=`) are applied here, as the ORM would; rows must carry every
other column they need, including ids where the table's own sequence is not to assign them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from linli.db import raw

_PG = postgresql.dialect()


def complete(table: Table, row: Mapping[str, Any]) -> dict[str, Any]:
    """The row with the Python-side defaults of the columns it leaves out (or sets to None where the
    column may not be null)."""
    out = dict(row)
    for c in table.columns:
        if c.default is None or not (c.key not in out or (out[c.key] is None and not c.nullable)):
            continue
        default = c.default
        if default.is_scalar:
            out[c.key] = default.arg
        elif default.is_callable:
            out[c.key] = default.arg(None)
    return out


@lru_cache(maxsize=64)
def unnest_insert_sql(table: Table, columns: tuple[str, ...], prefix: str = "") -> str:
    """PostgreSQL: INSERT of `columns` from one array parameter per column, named prefix + column."""
    casts = ", ".join(f"CAST(:{prefix}{name} AS {table.c[name].type.compile(dialect=_PG)}[])" for name in columns)
    return f"INSERT INTO {table.name} ({', '.join(columns)}) SELECT * FROM unnest({casts})"


def as_arrays(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], prefix: str = "") -> dict[str, list[Any]]:
    return {prefix + c: [r[c] for r in rows] for c in columns}


@lru_cache(maxsize=64)
def _unnest_insert(table: Table, columns: tuple[str, ...], suffix: str) -> str:
    return f"{unnest_insert_sql(table, columns)} {suffix}".rstrip()


_HELD = "linli.db.many.held"


@contextmanager
def together(session: Session) -> Iterator[None]:
    """On PostgreSQL, the `insert_many` calls inside the block are written as one statement when it
    ends (data-modifying WITH queries: every part runs to completion, and foreign keys are checked at
    the end of the statement), one round trip instead of one each. Elsewhere the block changes nothing.
    Nothing inside may read what the held inserts write."""
    if session.get_bind().dialect.name != "postgresql" or _HELD in session.info:
        yield
        return
    held: list[tuple[Table, tuple[str, ...], str, list[dict[str, Any]]]] = []
    session.info[_HELD] = held
    try:
        yield
    finally:
        session.info.pop(_HELD, None)
    if held:
        params: dict[str, Any] = {}
        for i, (_, columns, _, full) in enumerate(held):
            params.update(as_arrays(full, columns, f"q{i}_"))
        raw.execute(session, _together_sql(tuple((t, c, s) for t, c, s, _ in held)), params)


@lru_cache(maxsize=64)
def _together_sql(parts: tuple[tuple[Table, tuple[str, ...], str], ...]) -> str:
    inserts = [f"{unnest_insert_sql(t, c, f'q{i}_')} {s}".rstrip() for i, (t, c, s) in enumerate(parts)]
    if len(inserts) == 1:
        return inserts[0]
    ctes = ", ".join(f"w{i} AS ({sql})" for i, sql in enumerate(inserts[:-1]))
    return f"WITH {ctes} {inserts[-1]}"


def insert_many(
    session: Session,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    ignore_conflicts_on: tuple[str, ...] = (),
    pg_suffix: str = "",
    sqlite_statement=None,
) -> None:
    """Insert the rows (all with the same keys once completed) in one statement (within `together`:
    with the others of the block).

    `ignore_conflicts_on`: skip rows that clash on these unique columns. `pg_suffix` with
    `sqlite_statement`: another ON CONFLICT clause, as SQL text for PostgreSQL and as the insert
    construct to execute for SQLite."""
    if not rows:
        return
    full = [complete(table, r) for r in rows]
    columns = tuple(full[0])
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        suffix = pg_suffix
        if ignore_conflicts_on and not suffix:
            suffix = f"ON CONFLICT ({', '.join(ignore_conflicts_on)}) DO NOTHING"
        held = session.info.get(_HELD)
        if held is not None:
            held.append((table, columns, suffix, full))
        else:
            raw.execute(session, _unnest_insert(table, columns, suffix), as_arrays(full, columns))
        return
    if sqlite_statement is not None:
        stmt = sqlite_statement
    elif ignore_conflicts_on and dialect == "sqlite":
        stmt = sqlite_insert(table).on_conflict_do_nothing(index_elements=list(ignore_conflicts_on))
    else:
        stmt = insert(table)
    session.execute(stmt, full)
