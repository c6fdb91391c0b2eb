"""Reads of the pay run: the workers in post on a day with their level, confirmed runs and lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from linli.authz.scope import AreaScope, subtree_clause
from linli.kit import codes
from linli.workforce.models import (
    PayLine,
    PayRun,
    Worker,
    WorkerLevel,
    WorkerPost,
)


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


def pay_run(session: Session, scope: AreaScope, run_id: int) -> PayRun | None:
    run = session.get(PayRun, run_id)
    return run if run is not None and scope.contains(codes.unpad(run.area_code)) else None


def pay_run_of(session: Session, county: str, month: str) -> PayRun | None:
    return session.scalar(select(PayRun).where(PayRun.area_code == codes.pad(county), PayRun.month == month))


def pay_lines(session: Session, run_id: int) -> list[PayLine]:
    return list(session.scalars(select(PayLine).where(PayLine.run_id == run_id).order_by(PayLine.id)))
