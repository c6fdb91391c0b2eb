"""All SQL of the workforce domain that reads: settings by area and year (the county's, else the nearest
ancestor's), workers in scope with their current post and level, households per community (from the
residents register) and confirmed pay runs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from linli.authz.scope import AreaScope, subtree_clause
from linli.kit import codes
from linli.residents.models import Household, Person
from linli.workforce.models import (
    Assessment,
    LevelCoefficient,
    PayLine,
    PayRun,
    Worker,
    WorkerLevel,
    WorkerPost,
    WorkforceSetting,
)


def setting_for(session: Session, area_code: str, year: int) -> WorkforceSetting | None:
    """The setting of `year` at the area or its nearest ancestor that has one."""
    chain = [codes.pad(c) for c in [*codes.ancestors(area_code), area_code]]
    rows = session.scalars(
        select(WorkforceSetting).where(WorkforceSetting.year == year, WorkforceSetting.area_code.in_(chain))
    ).all()
    return max(rows, key=lambda s: len(codes.unpad(s.area_code)), default=None)


def setting_at(session: Session, area_code: str, year: int) -> WorkforceSetting | None:
    """The setting of exactly this area and year (the one a save replaces)."""
    return session.scalar(
        select(WorkforceSetting).where(
            WorkforceSetting.area_code == codes.pad(area_code), WorkforceSetting.year == year
        )
    )


def coefficients(session: Session, setting_id: int) -> dict[int, LevelCoefficient]:
    rows = session.scalars(select(LevelCoefficient).where(LevelCoefficient.setting_id == setting_id))
    return {c.level: c for c in rows}


def settings_in(session: Session, scope: AreaScope) -> list[WorkforceSetting]:
    q = select(WorkforceSetting).where(scope.reach_clause(WorkforceSetting.area_code))
    return list(session.scalars(q.order_by(WorkforceSetting.area_code, WorkforceSetting.year)))


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


@dataclass(frozen=True)
class PayRow:
    worker_id: int
    area_code: str
    post: str
    party_building: bool
    both_heads: bool
    level: int | None


def pay_rows(session: Session, county: str, day: date) -> list[PayRow]:
    """Every worker of the county in post on `day`, with that post and their level that day: three queries."""
    posts = session.execute(
        select(Worker.id, Worker.area_code, WorkerPost.post, WorkerPost.party_building, WorkerPost.both_heads)
        .join(WorkerPost, WorkerPost.worker_id == Worker.id)
        .where(subtree_clause(Worker.area_code, county), Worker.status == "active", WorkerPost.start <= day)
        .where(or_(WorkerPost.end.is_(None), WorkerPost.end > day))
        .order_by(Worker.area_code, Worker.id)
    ).all()
    latest = (
        select(WorkerLevel.worker_id, func.max(WorkerLevel.effective_from).label("since"))
        .join(Worker, Worker.id == WorkerLevel.worker_id)
        .where(subtree_clause(Worker.area_code, county), WorkerLevel.effective_from <= day)
        .group_by(WorkerLevel.worker_id)
        .subquery()
    )
    levels = dict(
        session.execute(
            select(WorkerLevel.worker_id, WorkerLevel.level).join(
                latest, and_(latest.c.worker_id == WorkerLevel.worker_id, latest.c.since == WorkerLevel.effective_from)
            )
        ).all()
    )
    return [PayRow(w, a, p, pb, bh, levels.get(w)) for w, a, p, pb, bh in posts]


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


def pay_run(session: Session, scope: AreaScope, run_id: int) -> PayRun | None:
    run = session.get(PayRun, run_id)
    return run if run is not None and scope.contains(codes.unpad(run.area_code)) else None


def pay_run_of(session: Session, county: str, month: str) -> PayRun | None:
    return session.scalar(select(PayRun).where(PayRun.area_code == codes.pad(county), PayRun.month == month))


def pay_lines(session: Session, run_id: int) -> list[PayLine]:
    return list(session.scalars(select(PayLine).where(PayLine.run_id == run_id).order_by(PayLine.id)))


def setting_by_id(session: Session, setting_id: int) -> WorkforceSetting:
    return session.get(WorkforceSetting, setting_id)


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
