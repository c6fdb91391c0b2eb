"""An alliance's co-construction agreements, meetings and annual reviews; the communities' annual
evaluations of the units reported to them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from linli.authz.scope import AreaScope
from linli.organizations.models import Agreement, AllianceMeeting, AllianceReview, UnitEvaluation


def agreements_of(session: Session, alliance_id: int) -> list[Agreement]:
    q = select(Agreement).where(Agreement.alliance_id == alliance_id)
    return list(session.scalars(q.order_by(Agreement.starts_on.desc(), Agreement.id.desc())))


def get_agreement(session: Session, agreement_id: int, scope: AreaScope) -> Agreement | None:
    """An agreement of an alliance covering a place in scope (as the alliance is seen)."""
    q = select(Agreement).where(Agreement.id == agreement_id, scope.reach_clause(Agreement.area_code))
    return session.scalar(q)


def meetings_of(session: Session, alliance_id: int) -> list[AllianceMeeting]:
    q = select(AllianceMeeting).where(AllianceMeeting.alliance_id == alliance_id)
    return list(session.scalars(q.order_by(AllianceMeeting.held_on.desc(), AllianceMeeting.id.desc())))


def reviews_of(session: Session, alliance_id: int) -> list[AllianceReview]:
    q = select(AllianceReview).where(AllianceReview.alliance_id == alliance_id)
    return list(session.scalars(q.order_by(AllianceReview.year.desc())))


def review_row(session: Session, alliance_id: int, year: int) -> AllianceReview | None:
    q = select(AllianceReview).where(AllianceReview.alliance_id == alliance_id, AllianceReview.year == year)
    return session.scalar(q)


def evaluations_of(session: Session, org_id: int, scope: AreaScope) -> list[UnitEvaluation]:
    """A unit's evaluations by the communities in scope, the newest year first."""
    q = select(UnitEvaluation).where(UnitEvaluation.organization_id == org_id, scope.clause(UnitEvaluation.area_code))
    return list(session.scalars(q.order_by(UnitEvaluation.year.desc(), UnitEvaluation.area_code)))


def evaluation_row(session: Session, org_id: int, area_code: str, year: int) -> UnitEvaluation | None:
    q = select(UnitEvaluation).where(
        UnitEvaluation.organization_id == org_id, UnitEvaluation.area_code == area_code, UnitEvaluation.year == year
    )
    return session.scalar(q)
