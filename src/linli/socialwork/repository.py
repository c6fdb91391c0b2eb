"""All SQL of the social work domain that reads: stations in scope, their rooms, staff, services,
records and cases, the staff entry of an account, a staff member's hours of a day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import case as when
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linli.authz.scope import AreaScope, subtree_clause
from linli.kit import codes
from linli.residents.models import Person
from linli.socialwork.models import Case, CaseEntry, ServiceRecord, Staff, Station, StationService


def get_station(session: Session, scope: AreaScope, station_id: int) -> Station | None:
    s = session.get(Station, station_id)
    return s if s is not None and scope.contains(codes.unpad(s.area_code)) else None


def station_by_id(session: Session, station_id: int) -> Station | None:
    """Unscoped: the station above one the reader may see (a room's station, a station's centre)."""
    return session.get(Station, station_id)


def stations_in(
    session: Session, scope: AreaScope, area: str | None, *, offset: int = 0, limit: int = 50
) -> tuple[list[Station], int]:
    q = select(Station).where(scope.clause(Station.area_code))
    if area:
        q = q.where(subtree_clause(Station.area_code, area))
    total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    rows = session.scalars(q.order_by(Station.area_code, Station.id).offset(offset).limit(limit))
    return list(rows), total


def centre_of(session: Session, county: str) -> Station | None:
    """The open centre of a county (6-digit code)."""
    q = select(Station).where(
        Station.area_code == codes.pad(county), Station.level == "centre", Station.status == "active"
    )
    return session.scalar(q.order_by(Station.id).limit(1))


def open_station_at(session: Session, area: str, level: str) -> Station | None:
    q = select(Station).where(Station.area_code == codes.pad(area), Station.level == level, Station.status == "active")
    return session.scalar(q.limit(1))


def rooms_of(session: Session, station_id: int) -> list[Station]:
    q = select(Station).where(Station.parent_id == station_id).order_by(Station.area_code, Station.id)
    return list(session.scalars(q))


def staff_of(session: Session, station_id: int) -> list[Staff]:
    q = select(Staff).where(Staff.station_id == station_id).order_by(Staff.status, Staff.id)
    return list(session.scalars(q))


def get_staff(session: Session, staff_id: int) -> Staff | None:
    return session.get(Staff, staff_id)


def staff_of_user(session: Session, station_ids: Sequence[int], user_id: int | None) -> Staff | None:
    """The account's active staff entry at one of the stations (the first given first)."""
    if user_id is None or not station_ids:
        return None
    q = select(Staff).where(Staff.station_id.in_(station_ids), Staff.user_id == user_id, Staff.status == "active")
    found = {s.station_id: s for s in session.scalars(q)}
    return next((found[i] for i in station_ids if i in found), None)


def staff_counts(session: Session, station_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """{station id: (active staff, of them certified)}."""
    if not station_ids:
        return {}
    certified = func.sum(when((Staff.qualification != "none", 1), else_=0))
    q = (
        select(Staff.station_id, func.count(), certified)
        .where(Staff.station_id.in_(sorted(set(station_ids))), Staff.status == "active")
        .group_by(Staff.station_id)
    )
    return {i: (n, int(c or 0)) for i, n, c in session.execute(q).all()}


def staff_names(session: Session, staff_ids: Sequence[int]) -> dict[int, str]:
    ids = sorted(set(staff_ids))
    if not ids:
        return {}
    return dict(session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(ids))).all())


def services_of(session: Session, station_id: int) -> list[StationService]:
    q = select(StationService).where(StationService.station_id == station_id).order_by(StationService.id)
    return list(session.scalars(q))


def service_of(session: Session, station_id: int, kind: str) -> StationService | None:
    q = select(StationService).where(StationService.station_id == station_id, StationService.kind == kind)
    return session.scalar(q)


def records_of(
    session: Session, station_id: int, *, offset: int = 0, limit: int = 50
) -> tuple[list[ServiceRecord], int]:
    q = select(ServiceRecord).where(ServiceRecord.station_id == station_id)
    total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    rows = session.scalars(
        q.order_by(ServiceRecord.served_on.desc(), ServiceRecord.id.desc()).offset(offset).limit(limit)
    )
    return list(rows), total


def minutes_on(session: Session, staff_id: int, day: date) -> int:
    """The time a staff member has logged for a day, in minutes."""
    q = select(func.coalesce(func.sum(ServiceRecord.minutes), 0)).where(
        ServiceRecord.staff_id == staff_id, ServiceRecord.served_on == day
    )
    return int(session.scalar(q) or 0)


def get_case(session: Session, scope: AreaScope, case_id: int) -> Case | None:
    c = session.get(Case, case_id)
    return c if c is not None and scope.contains(codes.unpad(c.area_code)) else None


def case_for_update(session: Session, case_id: int) -> Case:
    return session.scalar(select(Case).where(Case.id == case_id).with_for_update())


def cases_of(session: Session, station_id: int) -> list[Case]:
    q = select(Case).where(Case.station_id == station_id).order_by(Case.status == "closed", Case.opened_on.desc())
    return list(session.scalars(q))


def entries_of(session: Session, case_id: int) -> list[CaseEntry]:
    q = select(CaseEntry).where(CaseEntry.case_id == case_id).order_by(CaseEntry.on, CaseEntry.id)
    return list(session.scalars(q))


def generated_stations(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Station).where(Station.generated.is_(True))) or 0


def persons_named(session: Session, person_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """{person id: (name, padded area code)} of the register: the caller shows a name only where its
    reader may read the register (never an ID number: none is read here)."""
    ids = sorted({i for i in person_ids if i is not None})
    if not ids:
        return {}
    q = select(Person.id, Person.name, Person.area_code).where(Person.id.in_(ids))
    return {i: (n, a) for i, n, a in session.execute(q).all()}


def first_present_persons(session: Session, area: str, n: int) -> list[int]:
    """Ids of the first present persons of the register under an area (the demo's beneficiaries)."""
    q = select(Person.id).where(subtree_clause(Person.area_code, area), Person.status == "present")
    return list(session.scalars(q.order_by(Person.id).limit(n)))
