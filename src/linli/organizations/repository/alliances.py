"""Alliances and their member units."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linli.authz.scope import AreaScope, reach_clause
from linli.organizations.models import (
    Alliance,
    AllianceMember,
    Organization,
)
from linli.organizations.repository.common import page as _page


def get_alliance(session: Session, alliance_id: int, scope: AreaScope) -> Alliance | None:
    """An alliance covering a place in scope: its own area inside the scope, or an ancestor of it (a
    community's workers see the street's alliance their community is part of)."""
    return session.scalar(select(Alliance).where(Alliance.id == alliance_id, scope.reach_clause(Alliance.area_code)))


def alliance_for_update(session: Session, alliance_id: int) -> Alliance | None:
    return session.get(Alliance, alliance_id, with_for_update=True)


def alliances_in(
    session: Session, scope: AreaScope, *, area_code: str | None = None, offset: int = 0, limit: int = 50
) -> tuple[list[Alliance], int]:
    """The alliances covering places in scope (under `area_code` or covering it)."""
    conds = [scope.reach_clause(Alliance.area_code)]
    if area_code:
        conds.append(reach_clause(Alliance.area_code, [area_code]))
    return _page(session, select(Alliance).where(*conds), (Alliance.area_code, Alliance.id), offset, limit)


def member_counts(session: Session, alliance_ids: Sequence[int]) -> dict[int, int]:
    if not alliance_ids:
        return {}
    q = (
        select(AllianceMember.alliance_id, func.count())
        .where(AllianceMember.alliance_id.in_(list(alliance_ids)))
        .group_by(AllianceMember.alliance_id)
    )
    return dict(session.execute(q).all())  # type: ignore[arg-type]


def members_of(session: Session, alliance_id: int) -> list[tuple[AllianceMember, Organization]]:
    q = (
        select(AllianceMember, Organization)
        .join(Organization, Organization.id == AllianceMember.organization_id)
        .where(AllianceMember.alliance_id == alliance_id)
        .order_by(AllianceMember.id)
    )
    return [tuple(r) for r in session.execute(q).all()]  # type: ignore[misc]


def member_row(session: Session, alliance_id: int, org_id: int) -> AllianceMember | None:
    q = select(AllianceMember).where(
        AllianceMember.alliance_id == alliance_id, AllianceMember.organization_id == org_id
    )
    return session.scalar(q)


def alliances_of_org(session: Session, org_id: int, scope: AreaScope) -> list[tuple[Alliance, AllianceMember]]:
    q = (
        select(Alliance, AllianceMember)
        .join(AllianceMember, AllianceMember.alliance_id == Alliance.id)
        .where(AllianceMember.organization_id == org_id, scope.reach_clause(Alliance.area_code))
        .order_by(Alliance.id)
    )
    return [tuple(r) for r in session.execute(q).all()]  # type: ignore[misc]


def generated_alliances(session: Session) -> int:
    return session.scalar(select(func.count()).where(Alliance.generated.is_(True))) or 0


def generated_alliance(session: Session) -> Alliance | None:
    """The demo's alliance (the first generated one)."""
    return session.scalar(select(Alliance).where(Alliance.generated.is_(True)).order_by(Alliance.id).limit(1))
