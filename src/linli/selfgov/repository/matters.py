"""Matters (四议两公开) for the matter page and the township's list, and the to-dos' counts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.authz.scope import subtree_clause
from linli.kit import codes
from linli.kit.errors import NotFound
from linli.kit.i18n import t
from linli.selfgov.models import (
    BallotBatch,
    Matter,
    MatterStep,
    Meeting,
    Motion,
    Suspension,
)
from linli.selfgov.repository.places import READ, WRITE, reaches

# --- matters ---------------------------------------------------------------------------------------


def matter(session: Session, matter_id: int) -> Matter | None:
    """A matter by id, unchecked (another domain names it and checks its place itself)."""
    return session.get(Matter, matter_id)


def matter_readable(session: Session, principal: Principal, matter_id: int) -> Matter:
    m = session.get(Matter, matter_id)
    if m is None or not reaches(principal, m.area_code):
        raise NotFound(t("matter {id} does not exist", id=matter_id))
    return m


def matter_for_update(session: Session, matter_id: int) -> Matter | None:
    return session.get(Matter, matter_id, with_for_update=True)


def steps_of(session: Session, matter_id: int) -> dict[int, MatterStep]:
    return {s.step: s for s in session.scalars(select(MatterStep).where(MatterStep.matter_id == matter_id))}


def step_of_meeting(session: Session, meeting_id: int) -> MatterStep | None:
    return session.scalar(select(MatterStep).where(MatterStep.meeting_id == meeting_id))


def suspensions_of(session: Session, matter_id: int) -> list[Suspension]:
    q = select(Suspension).where(Suspension.matter_id == matter_id).order_by(Suspension.id)
    return list(session.scalars(q))


def open_suspension(session: Session, matter_id: int) -> Suspension | None:
    q = select(Suspension).where(Suspension.matter_id == matter_id, Suspension.resumed_at.is_(None))
    return session.scalar(q)


@dataclass(frozen=True)
class MatterFilter:
    area_code: str | None = None
    status: str | None = None
    step: int | None = None
    failed_quorum: bool = False


def list_matters(
    session: Session, principal: Principal, f: MatterFilter, *, offset: int = 0, limit: int = 50
) -> tuple[list[Matter], int]:
    """Matters the principal may read (in their areas, or of their own village), newest change first."""
    conds = [principal.scope(READ).reach_clause(Matter.area_code)]
    if f.area_code:
        conds.append(subtree_clause(Matter.area_code, f.area_code))
    if f.status:
        conds.append(Matter.status == f.status)
    if f.step is not None:
        conds.append(Matter.step == f.step)
    if f.failed_quorum:
        failed = select(Meeting.id).where(Meeting.matter_id == Matter.id, Meeting.status == "failed")
        conds.append(failed.exists())
    query = select(Matter).where(*conds)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Matter.updated_at.desc(), Matter.id.desc()).offset(offset).limit(limit))
    return list(rows), total


def failed_meetings(
    session: Session, principal: Principal, code: str | None = None, *, limit: int = 50
) -> list[Meeting]:
    """Meetings that failed their quorum, in the principal's areas, the latest first."""
    conds = [principal.scope(READ).clause(Meeting.area_code), Meeting.status == "failed"]
    if code:
        conds.append(subtree_clause(Meeting.area_code, code))
    q = select(Meeting).where(*conds).order_by(Meeting.held_on.desc(), Meeting.id.desc()).limit(limit)
    return list(session.scalars(q))


# --- to-dos ----------------------------------------------------------------------------------------


def count_active_matters(session: Session, principal: Principal) -> int:
    conds = [principal.scope(WRITE).clause(Matter.area_code), Matter.status == "active"]
    return session.scalar(select(func.count()).where(*conds)) or 0


def count_unconfirmed_batches(session: Session, principal: Principal) -> int:
    """Paper ballot batches in the principal's places waiting for a second person's confirmation."""
    q = (
        select(func.count())
        .select_from(BallotBatch)
        .join(Motion, Motion.id == BallotBatch.motion_id)
        .join(Meeting, Meeting.id == Motion.meeting_id)
        .where(principal.scope(WRITE).clause(Meeting.area_code), BallotBatch.confirmed_at.is_(None))
    )
    return session.scalar(q) or 0


def count_suspended(session: Session, principal: Principal, permission: Permission) -> int:
    conds = [principal.scope(permission).clause(Matter.area_code), Matter.status == "suspended"]
    return session.scalar(select(func.count()).where(*conds)) or 0


def generated_matters(session: Session, code: str) -> int:
    return (
        session.scalar(select(func.count()).where(Matter.area_code == codes.pad(code), Matter.generated.is_(True))) or 0
    )


def meeting_of_batch(session: Session, batch_id: int) -> int:
    """The meeting a ballot batch was entered for (404 for an unknown batch)."""
    q = (
        select(Motion.meeting_id)
        .join(BallotBatch, BallotBatch.motion_id == Motion.id)
        .where(BallotBatch.id == batch_id)
    )
    found = session.scalar(q)
    if found is None:
        raise NotFound(t("ballot batch {id} does not exist", id=batch_id))
    return found
