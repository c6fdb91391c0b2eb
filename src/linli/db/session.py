"""Sessions and the unit of work: services never commit; the request or the CLI commits once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy.orm import Session, sessionmaker

from linli.db.engine import begin_for_writing, get_engine


@lru_cache
def get_session_factory() -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(), expire_on_commit=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session] | None = None, *, writes: bool = True) -> Iterator[Session]:
    """A session committed once at the end, or rolled back on any error."""
    session = (factory or get_session_factory())()
    if writes:
        begin_for_writing(session)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
