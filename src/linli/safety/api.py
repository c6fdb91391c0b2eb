"""JSON API of the safety units (/api/v1/safety): appointments of community police, judges in grids and
legal advisers; mediation cases linked to dispute events; legal-service sessions; counts per area; and
the contacts a grid worker or resident calls."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from linli.authz.deps import DbSession, Require, SignedIn
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit.pagination import Page, PageParams, page_params
from linli.kit.types import Id
from linli.safety import reads, service
from linli.safety.schemas import (
    AppointmentEndIn,
    AppointmentIn,
    AppointmentOut,
    CaseCloseIn,
    CaseIn,
    CaseOut,
    ContactOut,
    CountsOut,
    SessionIn,
    SessionOut,
)

router = APIRouter(prefix="/api/v1/safety", tags=["safety"])
Reader = Annotated[Principal, Depends(Require(Permission.safety_read))]
Appointer = Annotated[Principal, Depends(Require(Permission.safety_appoint))]
Recorder = Annotated[Principal, Depends(Require(Permission.safety_record))]
Area = Query(max_length=15, description="area code: rows of this area and beneath it")


@router.get(
    "/appointments", response_model=Page[AppointmentOut], summary="Police, judges and legal advisers of an area"
)
def list_appointments(
    principal: Reader,
    session: DbSession,
    area: str = Area,
    serving: bool = Query(False, description="only those serving today"),
    pp: PageParams = Depends(page_params),
):
    items, total = reads.appointments(session, principal, area, serving=serving, offset=pp.offset, limit=pp.size)
    return Page(items=items, total=total, page=pp.page, size=pp.size)


@router.post("/appointments", response_model=AppointmentOut, status_code=201, summary="Appoint to a grid or community")
def appoint(body: AppointmentIn, principal: Appointer, session: DbSession):
    return reads.appointment_outs(session, [service.appoint(session, principal, body)])[0]


@router.get("/appointments/{appointment_id}", response_model=AppointmentOut, summary="An appointment")
def get_appointment(appointment_id: Id, principal: Reader, session: DbSession):
    return reads.appointment(session, principal, appointment_id)


@router.post("/appointments/{appointment_id}/end", response_model=AppointmentOut, summary="End an appointment")
def end_appointment(appointment_id: Id, body: AppointmentEndIn, principal: Appointer, session: DbSession):
    return reads.appointment_outs(session, [service.end_appointment(session, principal, appointment_id, body)])[0]


@router.get("/contacts", response_model=list[ContactOut], summary="Whom I call: my grid's and community's appointees")
def my_contacts(principal: SignedIn, session: DbSession):
    return reads.contacts(session, principal)


@router.get("/cases", response_model=Page[CaseOut], summary="Mediation cases of an area")
def list_cases(
    principal: Reader,
    session: DbSession,
    area: str = Area,
    status: Literal["open", "closed"] | None = None,
    pp: PageParams = Depends(page_params),
):
    items, total = reads.cases(session, principal, area, status=status, offset=pp.offset, limit=pp.size)
    return Page(items=items, total=total, page=pp.page, size=pp.size)


@router.post("/cases", response_model=CaseOut, status_code=201, summary="Record a mediation case")
def open_case(body: CaseIn, principal: Recorder, session: DbSession):
    return reads.case_out(service.open_case(session, principal, body))


@router.get("/cases/{case_id}", response_model=CaseOut, summary="A mediation case")
def get_case(case_id: Id, principal: Reader, session: DbSession):
    return reads.case(session, principal, case_id)


@router.post("/cases/{case_id}/close", response_model=CaseOut, summary="Close a case with its outcome (once)")
def close_case(case_id: Id, body: CaseCloseIn, principal: Recorder, session: DbSession):
    return reads.case_out(service.close_case(session, principal, case_id, body))


@router.get("/sessions", response_model=Page[SessionOut], summary="Legal-service sessions held in an area")
def list_sessions(principal: Reader, session: DbSession, area: str = Area, pp: PageParams = Depends(page_params)):
    items, total = reads.sessions(session, principal, area, offset=pp.offset, limit=pp.size)
    return Page(items=items, total=total, page=pp.page, size=pp.size)


@router.post("/sessions", response_model=SessionOut, status_code=201, summary="Record a legal-service session held")
def record_session(body: SessionIn, principal: Recorder, session: DbSession):
    return reads.session_out(service.record_session(session, principal, body))


@router.get("/counts", response_model=CountsOut, summary="Figures of an area by child: coverage, cases, success rate")
def figures(principal: Reader, session: DbSession, area: str = Area):
    return reads.figures(session, principal, area)
