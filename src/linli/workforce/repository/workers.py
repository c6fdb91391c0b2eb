"""Reads of workers in scope: posts, levels, assessments, names, counts per community."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from linli.authz.scope import AreaScope, subtree_clause
from linli.kit import codes
from linli.residents.models import Household, Person
from linli.workforce.models import (
    Assessment,
    Worker,
    WorkerLevel,
    WorkerPost,
)


def get_worker(session: Session, scope: AreaScope, worker_id: int) -> Worker | None:
    w = session.get(Worker, worker_id)
    return w if w is not None and scope.contains(codes.unpad(w.area_code)) else None


def worker_of_user(session: Session, user_id: int | None) -> Worker | None:
    if user_id is None:
        return None
    return session.scalar(select(Worker).where(Worker.user_id == user_id))


def person_in(session: Session, person_id: int, community: str) -> Person | None:
    """The person, when they live (or lived last) in the community."""
    p = session.get(Person, person_id)
    return p if p is not None and codes.in_subtree(p.area_code, community) else None


def names(session: Session, workers: Sequence[Worker]) -> dict[int, str]:
    """Each worker's name: their register entry's, else their own."""
    ids = {w.person_id for w in workers if w.person_id}
    found = dict(session.execute(select(Person.id, Person.name).where(Person.id.in_(ids))).all()) if ids else {}
    return {w.id: found.get(w.person_id) if w.person_id else (w.name or "") for w in workers}


def list_workers(
    session: Session, scope: AreaScope, area_code: str | None, offset: int, limit: int
) -> tuple[list[Worker], int]:
    q = select(Worker).where(scope.clause(Worker.area_code))
    if area_code:
        q = q.where(subtree_clause(Worker.area_code, area_code))
    total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    rows = session.scalars(q.order_by(Worker.area_code, Worker.id).offset(offset).limit(limit)).all()
    return list(rows), total


def posts_of(session: Session, worker_id: int) -> list[WorkerPost]:
    q = select(WorkerPost).where(WorkerPost.worker_id == worker_id).order_by(WorkerPost.start)
    return list(session.scalars(q))


def levels_of(session: Session, worker_id: int) -> list[WorkerLevel]:
    q = select(WorkerLevel).where(WorkerLevel.worker_id == worker_id).order_by(WorkerLevel.effective_from)
    return list(session.scalars(q))


def assessments_of(session: Session, worker_id: int) -> list[Assessment]:
    q = select(Assessment).where(Assessment.worker_id == worker_id).order_by(Assessment.year)
    return list(session.scalars(q))


def post_on(session: Session, worker_id: int, day: date) -> WorkerPost | None:
    return session.scalar(
        select(WorkerPost)
        .where(WorkerPost.worker_id == worker_id, WorkerPost.start <= day)
        .where(or_(WorkerPost.end.is_(None), WorkerPost.end > day))
        .order_by(WorkerPost.start.desc())
        .limit(1)
    )


def posts_overlapping(session: Session, worker_id: int, first: date, last: date) -> list[WorkerPost]:
    """Posts held on any day between first and last (inclusive)."""
    q = select(WorkerPost).where(WorkerPost.worker_id == worker_id, WorkerPost.start <= last)
    return list(session.scalars(q.where(or_(WorkerPost.end.is_(None), WorkerPost.end > first))))


def level_on(session: Session, worker_id: int, day: date) -> WorkerLevel | None:
    return session.scalar(
        select(WorkerLevel)
        .where(WorkerLevel.worker_id == worker_id, WorkerLevel.effective_from <= day)
        .order_by(WorkerLevel.effective_from.desc(), WorkerLevel.id.desc())
        .limit(1)
    )


def assessment(session: Session, worker_id: int, year: int) -> Assessment | None:
    return session.scalar(select(Assessment).where(Assessment.worker_id == worker_id, Assessment.year == year))


def households_by_community(session: Session, area_code: str) -> dict[str, int]:
    """Households of the register per community or village (12-digit code) under the area."""
    community = func.substr(Household.area_code, 1, 12)
    rows = session.execute(
        select(community, func.count()).where(subtree_clause(Household.area_code, area_code)).group_by(community)
    ).all()
    return {c: n for c, n in rows}


def active_by_community(session: Session, area_code: str) -> dict[str, int]:
    community = func.substr(Worker.area_code, 1, 12)
    rows = session.execute(
        select(community, func.count())
        .where(subtree_clause(Worker.area_code, area_code), Worker.status == "active")
        .group_by(community)
    ).all()
    return {c: n for c, n in rows}


def names_by_id(session: Session, worker_ids: Sequence[int]) -> dict[int, str]:
    if not worker_ids:
        return {}
    rows = session.execute(
        select(Worker.id, Worker.name, Person.name)
        .outerjoin(Person, Person.id == Worker.person_id)
        .where(Worker.id.in_(sorted(set(worker_ids))))
    ).all()
    return {i: p or n or "" for i, n, p in rows}


def generated_workers(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Worker).where(Worker.generated.is_(True))) or 0
