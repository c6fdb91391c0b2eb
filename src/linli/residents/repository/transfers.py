"""SQL of transfer requests: visible from both ends (the source grid and the target grid)."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from linli.authz.scope import AreaScope
from linli.residents.models import TransferRequest


def get_transfer(session: Session, transfer_id: int, scope: AreaScope) -> TransferRequest | None:
    """A transfer is visible from both ends: the source grid and the target grid."""
    return session.scalar(
        select(TransferRequest).where(
            TransferRequest.id == transfer_id,
            or_(scope.clause(TransferRequest.area_code), scope.clause(TransferRequest.to_area)),
        )
    )


def transfers(
    session: Session, scope: AreaScope, *, status: str | None, offset: int, limit: int
) -> tuple[list[TransferRequest], int]:
    cond = [or_(scope.clause(TransferRequest.area_code), scope.clause(TransferRequest.to_area))]
    if status:
        cond.append(TransferRequest.status == status)
    total = session.scalar(select(func.count()).select_from(TransferRequest).where(*cond)) or 0
    rows = session.scalars(
        select(TransferRequest).where(*cond).order_by(TransferRequest.id.desc()).offset(offset).limit(limit)
    ).all()
    return list(rows), total


def pending_transfer_for(session: Session, *, person_id: int | None, household_id: int | None):
    stmt = select(TransferRequest).where(TransferRequest.status == "pending")
    if person_id is not None:
        stmt = stmt.where(TransferRequest.person_id == person_id)
    if household_id is not None:
        stmt = stmt.where(TransferRequest.household_id == household_id)
    return session.scalar(stmt.limit(1))


def pending_into(session: Session, scope: AreaScope) -> int:
    """Pending transfers whose target lies in the scope: the requests its staff decide."""
    if scope.empty:
        return 0
    cond = [TransferRequest.status == "pending", scope.clause(TransferRequest.to_area)]
    return session.scalar(select(func.count()).select_from(TransferRequest).where(*cond)) or 0
