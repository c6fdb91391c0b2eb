"""Dual reporting (双报到): units and Party members reported to communities, their service records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linli.authz.scope import AreaScope, subtree_clause
from linli.organizations.models import (
    MemberReport,
    ServiceRecord,
    UnitReport,
)


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


def member_persons(session: Session, report_ids: Sequence[int]) -> dict[int, tuple[int, str]]:
    """{member report id: (person id, community area code)}."""
    ids = sorted(set(report_ids))
    if not ids:
        return {}
    q = select(MemberReport.id, MemberReport.person_id, MemberReport.area_code).where(MemberReport.id.in_(ids))
    return {i: (p, a) for i, p, a in session.execute(q).all()}
