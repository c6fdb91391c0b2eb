"""All SQL of the organizations domain that reads (the rows the service changes come from here too).

Scoped reads take an AreaScope; `get_*` functions answer None for a row out of scope, and the callers
turn None into the same 404 as a missing row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from linli.authn.models import User
from linli.authz.scope import AreaScope, reach_clause, subtree_clause
from linli.organizations.models import (
    Alliance,
    AllianceMember,
    MemberReport,
    Need,
    Organization,
    OrgContact,
    Pairing,
    PairingActivity,
    Project,
    Resource,
    ServiceRecord,
    UnitReport,
)


def _page(session: Session, query: Select, order, offset: int, limit: int) -> tuple[list, int]:
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    return list(session.scalars(query.order_by(*order).offset(offset).limit(limit))), total


# --- organizations ---------------------------------------------------------------------------------


def get_org(session: Session, org_id: int, scope: AreaScope) -> Organization | None:
    return session.scalar(select(Organization).where(Organization.id == org_id, scope.clause(Organization.area_code)))


def org_for_update(session: Session, org_id: int) -> Organization | None:
    """The organization, locked (unscoped: the service checks the principal)."""
    return session.get(Organization, org_id, with_for_update=True)


def orgs_in(
    session: Session,
    scope: AreaScope,
    *,
    area_code: str | None = None,
    kind: str | None = None,
    q: str | None = None,
    status: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[Organization], int]:
    """Organizations in scope (under `area_code`, of `kind`, whose name contains `q`), by name."""
    conds = [scope.clause(Organization.area_code)]
    if area_code:
        conds.append(subtree_clause(Organization.area_code, area_code))
    if kind:
        conds.append(Organization.kind == kind)
    if status:
        conds.append(Organization.status == status)
    if q and q.strip():
        conds.append(Organization.name.contains(q.strip(), autoescape=True))
    query = select(Organization).where(*conds)
    return _page(session, query, (Organization.name, Organization.id), offset, limit)


def org_with_uscc(session: Session, uscc: str) -> Organization | None:
    return session.scalar(select(Organization).where(Organization.uscc == uscc))


def org_names(session: Session, org_ids: Sequence[int | None]) -> dict[int, str]:
    ids = sorted({i for i in org_ids if i is not None})
    if not ids:
        return {}
    return dict(session.execute(select(Organization.id, Organization.name).where(Organization.id.in_(ids))).all())  # type: ignore[arg-type]


def children_of(session: Session, org_id: int) -> list[Organization]:
    return list(session.scalars(select(Organization).where(Organization.parent_id == org_id).order_by(Organization.id)))


# --- contacts --------------------------------------------------------------------------------------


def is_contact(session: Session, org_id: int, user_id: int | None) -> bool:
    if user_id is None:
        return False
    found = select(OrgContact.id).where(OrgContact.organization_id == org_id, OrgContact.user_id == user_id)
    return session.scalar(found) is not None


def contacts_of(session: Session, org_id: int) -> list[tuple[int, str, str]]:
    """(user id, username, display name) of the organization's contacts."""
    q = (
        select(User.id, User.username, User.display_name)
        .join(OrgContact, OrgContact.user_id == User.id)
        .where(OrgContact.organization_id == org_id)
        .order_by(User.username)
    )
    return [tuple(r) for r in session.execute(q).all()]  # type: ignore[misc]


def contact_row(session: Session, org_id: int, user_id: int) -> OrgContact | None:
    q = select(OrgContact).where(OrgContact.organization_id == org_id, OrgContact.user_id == user_id)
    return session.scalar(q)


def orgs_of_contact(session: Session, user_id: int | None, scope: AreaScope) -> list[Organization]:
    """The organizations (in scope) an account acts for."""
    if user_id is None:
        return []
    q = (
        select(Organization)
        .join(OrgContact, OrgContact.organization_id == Organization.id)
        .where(OrgContact.user_id == user_id, scope.clause(Organization.area_code))
        .order_by(Organization.name)
    )
    return list(session.scalars(q))


# --- alliances -------------------------------------------------------------------------------------


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


# --- the three lists -------------------------------------------------------------------------------


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


# --- to-dos ----------------------------------------------------------------------------------------


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


# --- dual reporting --------------------------------------------------------------------------------


def unit_report(session: Session, org_id: int, area_code: str) -> UnitReport | None:
    q = select(UnitReport).where(UnitReport.organization_id == org_id, UnitReport.area_code == area_code)
    return session.scalar(q)


def unit_reports_of(session: Session, org_id: int) -> list[UnitReport]:
    return list(session.scalars(select(UnitReport).where(UnitReport.organization_id == org_id)))


def member_report_of_person(session: Session, person_id: int) -> MemberReport | None:
    return session.scalar(select(MemberReport).where(MemberReport.person_id == person_id))


def get_member_report(session: Session, report_id: int, scope: AreaScope) -> MemberReport | None:
    q = select(MemberReport).where(MemberReport.id == report_id, scope.clause(MemberReport.area_code))
    return session.scalar(q)


def member_reports_of(session: Session, org_id: int, scope: AreaScope) -> list[MemberReport]:
    q = select(MemberReport).where(MemberReport.organization_id == org_id, scope.clause(MemberReport.area_code))
    return list(session.scalars(q.order_by(MemberReport.id)))


def service_records_of(session: Session, org_id: int, scope: AreaScope, year: int) -> list[ServiceRecord]:
    q = select(ServiceRecord).where(
        ServiceRecord.organization_id == org_id,
        scope.clause(ServiceRecord.area_code),
        ServiceRecord.served_on >= date(year, 1, 1),
        ServiceRecord.served_on < date(year + 1, 1, 1),
    )
    return list(session.scalars(q.order_by(ServiceRecord.served_on.desc(), ServiceRecord.id.desc())))


def yearly_summary(session: Session, scope: AreaScope, area_code: str, year: int) -> list[tuple]:
    """(organization id, member report id or None, records, hours, average rating) of the service given
    in communities under `area_code` in `year`: one row per unit (its own records) and per member."""
    q = (
        select(
            ServiceRecord.organization_id,
            ServiceRecord.member_report_id,
            func.count(),
            func.sum(ServiceRecord.hours),
            func.avg(ServiceRecord.rating),
        )
        .where(
            scope.clause(ServiceRecord.area_code),
            subtree_clause(ServiceRecord.area_code, area_code),
            ServiceRecord.served_on >= date(year, 1, 1),
            ServiceRecord.served_on < date(year + 1, 1, 1),
        )
        .group_by(ServiceRecord.organization_id, ServiceRecord.member_report_id)
        # The unit's own row first (NULLs sort first on SQLite, last on PostgreSQL).
        .order_by(
            ServiceRecord.organization_id,
            ServiceRecord.member_report_id.is_(None).desc(),
            ServiceRecord.member_report_id,
        )
    )
    return [tuple(r) for r in session.execute(q).all()]


def generated_alliances(session: Session) -> int:
    return session.scalar(select(func.count()).where(Alliance.generated.is_(True))) or 0


def member_persons(session: Session, report_ids: Sequence[int]) -> dict[int, tuple[int, str]]:
    """{member report id: (person id, community area code)}."""
    ids = sorted(set(report_ids))
    if not ids:
        return {}
    q = select(MemberReport.id, MemberReport.person_id, MemberReport.area_code).where(MemberReport.id.in_(ids))
    return {i: (p, a) for i, p, a in session.execute(q).all()}


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


# --- pairings --------------------------------------------------------------------------------------


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
