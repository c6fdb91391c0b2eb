"""The three lists: needs, resources, projects; the to-dos they make; the resources covering a place."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linli.authz.scope import AreaScope, subtree_clause
from linli.organizations.models import (
    Alliance,
    Need,
    Project,
    Resource,
)
from linli.organizations.repository.common import page as _page


def get_need(session: Session, need_id: int, scope: AreaScope) -> Need | None:
    return session.scalar(select(Need).where(Need.id == need_id, scope.clause(Need.area_code)))


def need_for_update(session: Session, need_id: int) -> Need | None:
    return session.get(Need, need_id, with_for_update=True)


def needs_in(
    session: Session,
    scope: AreaScope,
    area_code: str,
    *,
    status: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[Need], int]:
    """Needs raised under `area_code` (an alliance's area, a community), newest first."""
    conds = [scope.clause(Need.area_code), subtree_clause(Need.area_code, area_code)]
    if status:
        conds.append(Need.status == status)
    return _page(session, select(Need).where(*conds), (Need.id.desc(),), offset, limit)


def need_of_event(session: Session, event_id: int) -> Need | None:
    return session.scalar(select(Need).where(Need.event_id == event_id, Need.status != "closed"))


def get_resource(session: Session, resource_id: int, scope: AreaScope) -> Resource | None:
    return session.scalar(select(Resource).where(Resource.id == resource_id, scope.clause(Resource.area_code)))


def resource_for_update(session: Session, resource_id: int) -> Resource | None:
    return session.get(Resource, resource_id, with_for_update=True)


def resources_of(
    session: Session, alliance_id: int, *, organization_id: int | None = None, active_only: bool = False
) -> list[Resource]:
    conds = [Resource.alliance_id == alliance_id]
    if organization_id is not None:
        conds.append(Resource.organization_id == organization_id)
    if active_only:
        conds.append(Resource.status == "active")
    return list(session.scalars(select(Resource).where(*conds).order_by(Resource.id)))


def get_project(session: Session, project_id: int, scope: AreaScope) -> Project | None:
    return session.scalar(select(Project).where(Project.id == project_id, scope.clause(Project.area_code)))


def project_for_update(session: Session, project_id: int) -> Project | None:
    return session.get(Project, project_id, with_for_update=True)


def projects_of(
    session: Session,
    *,
    alliance_id: int | None = None,
    need_id: int | None = None,
    organization_id: int | None = None,
    limit: int = 200,
) -> list[Project]:
    conds = []
    if alliance_id is not None:
        conds.append(Project.alliance_id == alliance_id)
    if need_id is not None:
        conds.append(Project.need_id == need_id)
    if organization_id is not None:
        conds.append(Project.organization_id == organization_id)
    return list(session.scalars(select(Project).where(*conds).order_by(Project.id.desc()).limit(limit)))


def needs_by_id(session: Session, need_ids: Sequence[int]) -> dict[int, Need]:
    ids = sorted(set(need_ids))
    return {n.id: n for n in session.scalars(select(Need).where(Need.id.in_(ids)))} if ids else {}


def resources_by_id(session: Session, resource_ids: Sequence[int]) -> dict[int, Resource]:
    ids = sorted(set(resource_ids))
    return {r.id: r for r in session.scalars(select(Resource).where(Resource.id.in_(ids)))} if ids else {}


def open_needs_count(session: Session, scope: AreaScope) -> int:
    q = select(func.count()).where(scope.clause(Need.area_code), Need.status == "open")
    return session.scalar(q) or 0


def overdue_projects_count(
    session: Session, scope: AreaScope, today: date, org_ids: Sequence[int] | None = None
) -> int:
    """Projects under way past their end date (in scope; of the given organizations when named)."""
    conds = [scope.clause(Project.area_code), Project.status == "claimed", Project.ends_on < today]
    if org_ids is not None:
        if not org_ids:
            return 0
        conds.append(Project.organization_id.in_(list(org_ids)))
    return session.scalar(select(func.count()).where(*conds)) or 0


def overdue_projects(session: Session, scope: AreaScope, today: date, limit: int = 50) -> list[Project]:
    conds = [scope.clause(Project.area_code), Project.status == "claimed", Project.ends_on < today]
    return list(session.scalars(select(Project).where(*conds).order_by(Project.ends_on).limit(limit)))


def resources_covering(session: Session, scope: AreaScope, area_code: str) -> list[tuple[Resource, Alliance]]:
    """Offered resources of the active alliances whose area holds `area_code` (padded), in reach."""
    place = area_code
    q = (
        select(Resource, Alliance)
        .join(Alliance, Alliance.id == Resource.alliance_id)
        .where(
            Resource.status == "active",
            Alliance.status == "active",
            scope.reach_clause(Alliance.area_code),
            Alliance.area_code.in_(_self_and_ancestors(place)),
        )
        .order_by(Resource.id)
    )
    return [tuple(r) for r in session.execute(q).all()]  # type: ignore[misc]


def _self_and_ancestors(padded: str) -> list[str]:
    from linli.kit import codes

    real = codes.unpad(padded)
    return [codes.pad(c) for c in (*codes.ancestors(real), real)]
