"""Pieces of SQL the register's reads share: literal LIKE patterns, one-parameter IN lists, year arithmetic."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session


def contains(text: str) -> str:
    """A LIKE pattern (escape character backslash) matching values that contain `text` literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def one_of(session: Session, column, values: Sequence):
    """`column IN values`; on PostgreSQL `= ANY(array)`, one parameter however many values (a cached plan)."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    return column.in_(list(values))


def years_before(today: date, years: int) -> date:
    """The same day `years` years before `today` (28 February for a 29 February)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)
