"""A small key/value table for process-shared markers (e.g. the grid index version)."""

from __future__ import annotations

import uuid

from sqlalchemy import String, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from linli.db import raw
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


# --- versions of process-cached data ------------------------------------------------------------
#
# Data every request needs but that rarely changes (the grid index, the event catalogue) is cached
# in each process under a random version written into `meta` by every change. A transaction reads
# all version keys once, in one query, and uses that snapshot for every cache it consults.

VERSIONS = "linli.meta.versions"
VERSION_KEYS: set[str] = set()


def register_version_key(key: str) -> str:
    VERSION_KEYS.add(key)
    return key


def version_of(session: Session, key: str) -> str | None:
    """The version of `key` as this transaction first saw it (one query for all keys)."""
    snapshot = session.info.get(VERSIONS)
    if snapshot is None:
        keys = sorted(VERSION_KEYS)
        if session.get_bind().dialect.name == "postgresql":  # every report asks: straight through psycopg
            rows = raw.execute(session, "SELECT key, value FROM meta WHERE key = ANY(:keys)", {"keys": keys})
        else:
            rows = session.execute(select(MetaValue.key, MetaValue.value).where(MetaValue.key.in_(keys)))
        snapshot = session.info[VERSIONS] = {k: v for k, v in rows}
    return snapshot.get(key)


def bump_version(session: Session, key: str) -> None:
    """Mark the data under `key` changed (in the caller's transaction): every process reloads it."""
    set_meta(session, key, uuid.uuid4().hex)
    session.info.pop(VERSIONS, None)


@event.listens_for(Session, "after_transaction_end")
def _forget_versions(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(VERSIONS, None)
