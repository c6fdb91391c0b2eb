"""A small key/value table for process-shared markers (e.g. the grid index version)."""

from __future__ import annotations

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from linli.db.base import Base


class MetaValue(Base):
    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), nullable=False)


def get_meta(session: Session, key: str) -> str | None:
    return session.scalar(select(MetaValue.value).where(MetaValue.key == key))


def set_meta(session: Session, key: str, value: str) -> None:
    row = session.get(MetaValue, key)
    if row is None:
        session.add(MetaValue(key=key, value=value))
    else:
        row.value = value
    session.flush()
