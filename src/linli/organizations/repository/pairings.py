"""Pairings of units with communities and their activities."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linli.authz.scope import AreaScope, subtree_clause
from linli.organizations.models import (
    Pairing,
    PairingActivity,
)
from linli.organizations.repository.common import page as _page


def get_pairing(session: Session, pairing_id: int, scope: AreaScope) -> Pairing | None:
    return session.scalar(select(Pairing).where(Pairing.id == pairing_id, scope.clause(Pairing.area_code)))


def pairing_for_update(session: Session, pairing_id: int) -> Pairing | None:
    return session.get(Pairing, pairing_id, with_for_update=True)


def active_pairings_of_community(session: Session, area_code: str) -> list[Pairing]:
    """The active pairings of a community (padded code), oldest first."""
    q = select(Pairing).where(Pairing.area_code == area_code, Pairing.status == "active").order_by(Pairing.id)
    return list(session.scalars(q))


def pairings_in(
    session: Session, scope: AreaScope, area_code: str, *, offset: int = 0, limit: int = 50
) -> tuple[list[Pairing], int]:
    conds = [scope.clause(Pairing.area_code), subtree_clause(Pairing.area_code, area_code)]
    return _page(session, select(Pairing).where(*conds), (Pairing.status, Pairing.id.desc()), offset, limit)


def pairings_of_org(session: Session, org_id: int, scope: AreaScope) -> list[Pairing]:
    q = select(Pairing).where(Pairing.organization_id == org_id, scope.clause(Pairing.area_code))
    return list(session.scalars(q.order_by(Pairing.id)))


def activities_of(session: Session, pairing_id: int) -> list[PairingActivity]:
    q = select(PairingActivity).where(PairingActivity.pairing_id == pairing_id)
    return list(session.scalars(q.order_by(PairingActivity.held_on.desc(), PairingActivity.id.desc())))


def activity_counts(session: Session, pairing_ids: Sequence[int]) -> dict[int, int]:
    if not pairing_ids:
        return {}
    q = (
        select(PairingActivity.pairing_id, func.count())
        .where(PairingActivity.pairing_id.in_(list(pairing_ids)))
        .group_by(PairingActivity.pairing_id)
    )
    return dict(session.execute(q).all())  # type: ignore[arg-type]
