"""The reads of the API and the pages, checked against the reader: an area out of reach and a row out of
scope answer 404 like a missing one; a case answers its station's staff only (403 to others). A person
of the register is shown by name to those who may read the register where the person lives, else by
nothing but "a resident"; no ID number is read."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.socialwork import counts as sw_counts
from linli.socialwork import repository as repo
from linli.socialwork.models import Case, CaseEntry, ServiceRecord, Staff, Station, StationService
from linli.socialwork.service import cases as case_service
from linli.socialwork.service.common import MANAGE, READ, area_in, staff_acting, visible_station

station = visible_station


def stations(
    session: Session, principal: Principal, area: str | None, *, offset: int = 0, limit: int = 50
) -> tuple[list[Station], int, dict[int, tuple[int, int]]]:
    """Stations under `area` in reach, with {station id: (staff in post, certified)}."""
    if area:
        area_in(session, principal, area, READ)
    items, total = repo.stations_in(session, principal.scope(READ), area, offset=offset, limit=limit)
    return items, total, repo.staff_counts(session, [s.id for s in items])


def counts(session: Session, principal: Principal, area: str):
    area_in(session, principal, area, READ)
    return sw_counts.by_child(session, principal.scope(READ), area)


def _names(session: Session, principal: Principal, person_ids) -> dict[int, str]:
    found = repo.persons_named(session, person_ids)
    return {i: n for i, (n, place) in found.items() if principal.can(Permission.residents_read, place)}


@dataclass
class RecordView:
    record: ServiceRecord
    staff_name: str
    person_name: str | None


def records(
    session: Session, principal: Principal, station_id: int, *, offset: int = 0, limit: int = 50
) -> tuple[list[RecordView], int]:
    s = visible_station(session, principal, station_id)
    rows, total = repo.records_of(session, s.id, offset=offset, limit=limit)
    staff = repo.staff_names(session, [r.staff_id for r in rows])
    names = _names(session, principal, [r.person_id for r in rows])
    return [RecordView(r, staff.get(r.staff_id, ""), names.get(r.person_id)) for r in rows], total


def record_view(session: Session, principal: Principal, r: ServiceRecord) -> RecordView:
    names = _names(session, principal, [r.person_id])
    return RecordView(r, repo.staff_names(session, [r.staff_id]).get(r.staff_id, ""), names.get(r.person_id))


@dataclass
class StationView:
    station: Station
    parent: Station | None
    rooms: list[Station]
    staff: list[Staff]
    services: list[StationService]
    records: list[RecordView]
    records_total: int
    cases: list[Case] = field(default_factory=list)  # the staff's only
    case_workers: dict[int, str] = field(default_factory=dict)
    me: Staff | None = None  # the reader's staff entry covering the station
    can_manage: bool = False


def station_view(session: Session, principal: Principal, station_id: int, *, records_limit: int = 20) -> StationView:
    s = visible_station(session, principal, station_id)
    parent = repo.get_station(session, principal.scope(READ), s.parent_id) if s.parent_id else None
    recs, total = records(session, principal, s.id, limit=records_limit)
    me = staff_acting(session, principal, s)
    view = StationView(
        s, parent, repo.rooms_of(session, s.id), repo.staff_of(session, s.id), repo.services_of(session, s.id),
        recs, total, me=me, can_manage=principal.can(MANAGE, s.area_code),
    )  # fmt: skip
    if me is not None:
        view.cases = repo.cases_of(session, s.id)
        view.case_workers = repo.staff_names(session, [c.worker_id for c in view.cases])
    return view


@dataclass
class CaseView:
    case: Case
    station: Station
    worker_name: str
    client_name: str
    entries: list[tuple[CaseEntry, str]]


def case(session: Session, principal: Principal, case_id: int) -> CaseView:
    c = case_service.readable(session, principal, case_id)
    s = visible_station(session, principal, c.station_id)
    entries = repo.entries_of(session, c.id)
    staff = repo.staff_names(session, [c.worker_id, *(e.staff_id for e in entries)])
    client = _names(session, principal, [c.person_id]).get(c.person_id, "") if c.person_id else c.client
    return CaseView(c, s, staff.get(c.worker_id, ""), client, [(e, staff.get(e.staff_id, "")) for e in entries])
