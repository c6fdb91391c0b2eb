"""All SQL of the safety domain that reads (the rows the service changes come from here too).

Scoped reads take an AreaScope; `get_*` functions answer None for a row out of scope, and the callers
turn None into the same 404 as a missing row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from linli.authz.scope import AreaScope, ancestors_clause, subtree_clause
from linli.events.models import Event, EventCategory
from linli.kit import codes
from linli.organizations.models import Organization
from linli.safety.kinds import DISPUTES_CATEGORY
from linli.safety.models import Appointment, LegalSession, MediationCase


def _page(session: Session, query: Select, order, offset: int, limit: int) -> tuple[list, int]:
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    return list(session.scalars(query.order_by(*order).offset(offset).limit(limit))), total


def serving_on(day: date):
    """SQL: the appointment serves on `day` (not ended by hand, and `day` within its dates)."""
    return (
        Appointment.status == "active",
        Appointment.starts_on <= day,
        or_(Appointment.ends_on.is_(None), Appointment.ends_on >= day),
    )


# --- appointments ----------------------------------------------------------------------------------


def get_appointment(session: Session, appointment_id: int, scope: AreaScope) -> Appointment | None:
    return session.scalar(
        select(Appointment).where(Appointment.id == appointment_id, scope.clause(Appointment.area_code))
    )


def appointment_for_update(session: Session, appointment_id: int) -> Appointment | None:
    """The appointment, locked (unscoped: the service checks the principal)."""
    return session.get(Appointment, appointment_id, with_for_update=True)


def appointments_in(
    session: Session, scope: AreaScope, area_code: str, *, serving: date | None = None, offset: int = 0, limit: int = 50
) -> tuple[list[Appointment], int]:
    """Appointments in scope under `area_code` (only those serving on `serving`, when given), by place."""
    conds = [scope.clause(Appointment.area_code), subtree_clause(Appointment.area_code, area_code)]
    if serving is not None:
        conds += serving_on(serving)
    query = select(Appointment).where(*conds)
    return _page(session, query, (Appointment.area_code, Appointment.duty, Appointment.id), offset, limit)


def appointments_serving(session: Session, area_codes: Iterable[str], day: date) -> list[Appointment]:
    """Those serving on `day` at one of `area_codes` (grids, communities) or above them: whom a grid's
    worker or a resident calls. Unscoped: the callers pass the places the principal was granted."""
    wanted = list(area_codes)
    if not wanted:
        return []
    place = or_(
        Appointment.area_code.in_([codes.pad(c) for c in wanted]), ancestors_clause(Appointment.area_code, wanted)
    )
    query = select(Appointment).where(place, *serving_on(day))
    return list(session.scalars(query.order_by(Appointment.area_code, Appointment.duty, Appointment.id)))


def organization_reached(session: Session, org_id: int, scope: AreaScope) -> Organization | None:
    """An organization of the registry in the scope's subtrees or above them (a county's court serves the
    communities beneath it)."""
    return session.scalar(
        select(Organization).where(Organization.id == org_id, scope.reach_clause(Organization.area_code))
    )


def organization_names(session: Session, org_ids: Sequence[int | None]) -> dict[int, str]:
    ids = sorted({i for i in org_ids if i is not None})
    if not ids:
        return {}
    return dict(session.execute(select(Organization.id, Organization.name).where(Organization.id.in_(ids))).all())  # type: ignore[arg-type]


def units_for_duty(session: Session, scope: AreaScope, kinds: Sequence[str], limit: int = 200) -> list[Organization]:
    """Active organizations of `kinds` in the scope's subtrees or above them: the picker of an appointment's unit."""
    query = select(Organization).where(
        scope.reach_clause(Organization.area_code), Organization.kind.in_(kinds), Organization.status == "active"
    )
    return list(session.scalars(query.order_by(Organization.name, Organization.id).limit(limit)))


# --- mediation cases -------------------------------------------------------------------------------


def get_case(session: Session, case_id: int, scope: AreaScope) -> MediationCase | None:
    return session.scalar(
        select(MediationCase).where(MediationCase.id == case_id, scope.clause(MediationCase.area_code))
    )


def case_for_update(session: Session, case_id: int) -> MediationCase | None:
    return session.get(MediationCase, case_id, with_for_update=True)


def cases_in(
    session: Session, scope: AreaScope, area_code: str, *, status: str | None = None, offset: int = 0, limit: int = 50
) -> tuple[list[MediationCase], int]:
    conds = [scope.clause(MediationCase.area_code), subtree_clause(MediationCase.area_code, area_code)]
    if status:
        conds.append(MediationCase.status == status)
    query = select(MediationCase).where(*conds)
    return _page(session, query, (MediationCase.opened_on.desc(), MediationCase.id.desc()), offset, limit)


def cases_of_event(session: Session, event_id: int, scope: AreaScope) -> list[MediationCase]:
    query = select(MediationCase).where(MediationCase.event_id == event_id, scope.clause(MediationCase.area_code))
    return list(session.scalars(query.order_by(MediationCase.id)))


def open_cases_count(session: Session, scope: AreaScope) -> int:
    query = select(func.count()).where(scope.clause(MediationCase.area_code), MediationCase.status == "open")
    return session.scalar(query) or 0


# --- legal-service sessions ------------------------------------------------------------------------


def sessions_in(
    session: Session, scope: AreaScope, area_code: str, *, offset: int = 0, limit: int = 50
) -> tuple[list[LegalSession], int]:
    conds = [scope.clause(LegalSession.area_code), subtree_clause(LegalSession.area_code, area_code)]
    query = select(LegalSession).where(*conds)
    return _page(session, query, (LegalSession.held_on.desc(), LegalSession.id.desc()), offset, limit)


def generated_appointments(session: Session) -> int:
    return session.scalar(select(func.count()).where(Appointment.generated.is_(True))) or 0


def dispute_events(session: Session, scope: AreaScope, area_code: str, limit: int = 10) -> list[Event]:
    """Events of the disputes category (矛盾纠纷) under `area_code` without a mediation case yet, oldest
    first: what the demo links its cases to."""
    linked = select(MediationCase.event_id).where(MediationCase.event_id.is_not(None))
    query = select(Event).where(
        scope.clause(Event.area_code),
        subtree_clause(Event.area_code, area_code),
        Event.category_code.in_(select(EventCategory.code).where(EventCategory.parent_code == DISPUTES_CATEGORY)),
        Event.id.not_in(linked),
    )
    return list(session.scalars(query.order_by(Event.id).limit(limit)))
