"""JSON API of social work stations (/api/v1/socialwork/…): stations with their staff, services and
rooms, service records, cases (their station's staff only) and the figures by child area."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from linli.authz.deps import DbSession, Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.pagination import Page, PageParams, page_params
from linli.kit.types import Id
from linli.socialwork import counts, reads, service
from linli.socialwork.models import Staff, StationService
from linli.socialwork.schemas import (
    CaseIn,
    CaseOut,
    CountsOut,
    CountsRowOut,
    EntryIn,
    EntryOut,
    RecordIn,
    RecordOut,
    ServiceIn,
    ServiceOut,
    StaffIn,
    StaffOut,
    StationDetailOut,
    StationIn,
    StationOut,
)

router = APIRouter(prefix="/api/v1/socialwork", tags=["socialwork"])
Reader = Annotated[Principal, Depends(Require(Permission.socialwork_read))]
Manager = Annotated[Principal, Depends(Require(Permission.socialwork_manage))]
Recorder = Annotated[Principal, Depends(Require(Permission.socialwork_record))]
AREA = Query(None, max_length=15, description="area code: stations at it or beneath it")


def station_out(s) -> StationOut:
    fields = {k: getattr(s, k) for k in StationOut.model_fields if k != "area_code"}
    return StationOut(area_code=codes.unpad(s.area_code), **fields)


def staff_out(s: Staff) -> StaffOut:
    fields = {k: getattr(s, k) for k in StaffOut.model_fields if k != "has_account"}
    return StaffOut(has_account=s.user_id is not None, **fields)


def service_out(s: StationService) -> ServiceOut:
    return ServiceOut(id=s.id, kind=s.kind, note=s.note)


def record_out(v: reads.RecordView) -> RecordOut:
    r = v.record
    return RecordOut(
        id=r.id, station_id=r.station_id, staff_id=r.staff_id, staff_name=v.staff_name, served_on=r.served_on,
        kind=r.kind, hours=float(r.hours), beneficiaries=r.beneficiaries, person_id=r.person_id,
        person_name=v.person_name, content=r.content,
    )  # fmt: skip


def case_out(v: reads.CaseView) -> CaseOut:
    c = v.case
    return CaseOut(
        id=c.id, station_id=c.station_id, area_code=codes.unpad(c.area_code), kind=c.kind, worker_id=c.worker_id,
        worker_name=v.worker_name, client_name=v.client_name, person_id=c.person_id, summary=c.summary,
        opened_on=c.opened_on, closed_on=c.closed_on, status=c.status,
        entries=[EntryOut(id=e.id, step=e.step, on=e.on, text=e.text, staff_name=n) for e, n in v.entries],
    )  # fmt: skip


@router.get("/stations", response_model=Page[StationOut], summary="Social work stations in one's areas")
def list_stations(
    principal: Reader, session: DbSession, area: str | None = AREA, pp: PageParams = Depends(page_params)
):
    items, total, _ = reads.stations(session, principal, area, offset=pp.offset, limit=pp.size)
    return Page(items=[station_out(s) for s in items], total=total, page=pp.page, size=pp.size)


@router.post("/stations", response_model=StationOut, status_code=201, summary="Register a centre, station or room")
def register_station(body: StationIn, principal: Manager, session: DbSession):
    return station_out(service.stations.register_station(session, principal, body))


@router.get("/stations/{station_id}", response_model=StationDetailOut, summary="A station: staff, services, rooms")
def get_station(station_id: Id, principal: Reader, session: DbSession):
    v = reads.station_view(session, principal, station_id, records_limit=0)
    return StationDetailOut(
        **station_out(v.station).model_dump(), staff=[staff_out(s) for s in v.staff],
        services=[service_out(s) for s in v.services], rooms=[station_out(r) for r in v.rooms],
    )  # fmt: skip


@router.post("/stations/{station_id}/staff", response_model=StaffOut, status_code=201, summary="Add a staff member")
def add_staff(station_id: Id, body: StaffIn, principal: Manager, session: DbSession):
    return staff_out(service.stations.add_staff(session, principal, station_id, body))


@router.post("/stations/{station_id}/services", response_model=ServiceOut, status_code=201, summary="Offer a service")
def add_service(station_id: Id, body: ServiceIn, principal: Manager, session: DbSession):
    return service_out(service.stations.add_service(session, principal, station_id, body))


@router.get("/stations/{station_id}/records", response_model=Page[RecordOut], summary="A station's service records")
def list_records(station_id: Id, principal: Reader, session: DbSession, pp: PageParams = Depends(page_params)):
    items, total = reads.records(session, principal, station_id, offset=pp.offset, limit=pp.size)
    return Page(items=[record_out(v) for v in items], total=total, page=pp.page, size=pp.size)


@router.post("/stations/{station_id}/records", response_model=RecordOut, status_code=201, summary="Log a service")
def log_record(station_id: Id, body: RecordIn, principal: Recorder, session: DbSession):
    return record_out(reads.record_view(session, principal, service.records.log(session, principal, station_id, body)))


@router.post("/stations/{station_id}/cases", response_model=CaseOut, status_code=201, summary="Open a case (staff)")
def open_case(station_id: Id, body: CaseIn, principal: Recorder, session: DbSession):
    c = service.cases.open_case(session, principal, station_id, body)
    return case_out(reads.case(session, principal, c.id))


@router.get("/cases/{case_id}", response_model=CaseOut, summary="A case and its records (staff only)")
def get_case(case_id: Id, principal: Recorder, session: DbSession):
    return case_out(reads.case(session, principal, case_id))


@router.post("/cases/{case_id}/entries", response_model=CaseOut, status_code=201, summary="Assess, plan, note, close")
def add_entry(case_id: Id, body: EntryIn, principal: Recorder, session: DbSession):
    service.cases.add_entry(session, principal, case_id, body)
    return case_out(reads.case(session, principal, case_id))


def counts_row(row: counts.Row) -> CountsRowOut:
    f = row.figures
    return CountsRowOut(
        area_code=row.code, stations=int(f["stations"]), rooms=int(f["rooms"]), staff=int(f["staff"]),
        certified=int(f["certified"]), records=int(f["records"]), hours=round(float(f["hours"]), 1),
        open_cases=int(f["open_cases"]),
    )  # fmt: skip


@router.get("/counts", response_model=CountsOut, summary="Stations, staff, records, open cases by child area")
def socialwork_counts(principal: Reader, session: DbSession, area: str = Query(..., max_length=15)):
    rows, total = reads.counts(session, principal, area)
    return CountsOut(area_code=area, rows=[counts_row(r) for r in rows], total=counts_row(total))
