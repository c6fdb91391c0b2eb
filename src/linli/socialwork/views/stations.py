"""Pages of stations: an area's stations with the figures by child area and the form to register a centre,
station or room; a station's page with its rooms, staff, services and records, the forms to add them, and
its cases for its staff."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linli.areas import repository as area_repo
from linli.areas.pages import area_in_reach, crumbs
from linli.authz.deps import DbSession
from linli.kit import codes
from linli.kit.i18n import t
from linli.kit.types import Id
from linli.socialwork import reads, service
from linli.socialwork.schemas import CaseIn, RecordIn, ServiceIn, StaffIn, StationIn
from linli.socialwork.views.common import (
    MANAGE,
    PAGE,
    READ,
    Manager,
    Reader,
    Recorder,
    helpers,
    number,
    opt_int,
    refusal_status,
)
from linli.web import display
from linli.web.forms import attempt, date_field
from linli.web.templating import render

router = APIRouter(include_in_schema=False)


def _area_page(request, session, principal, area, *, form=None, errors=(), status=200):
    items, total, staff = reads.stations(session, principal, area.code, limit=PAGE)
    rows, sums = reads.counts(session, principal, area.code)
    display.prefetch(request, [*(s.area_code for s in items), *(codes.pad(r.code) for r in rows)])
    return render(
        request,
        "socialwork/area.html",
        {
            "area": area, "items": items, "total": total, "staff": staff, "rows": rows, "sums": sums,
            "can_manage": principal.can(MANAGE, area.code),
            "parents": [s for s in items if s.level == "station" and s.status == "active"],
            "form": form or {}, "errors": list(errors),
            "breadcrumb": crumbs(session, principal, area, "socialwork"), **helpers(),
        },
        status_code=status,
    )  # fmt: skip


@router.get("/areas/{code}/socialwork", response_class=HTMLResponse)
def area_page(code: str, request: Request, principal: Reader, session: DbSession):
    return _area_page(request, session, principal, area_in_reach(session, principal, code, READ))


@router.post("/areas/{code}/socialwork", response_class=HTMLResponse)
def register_station(
    code: str,
    request: Request,
    principal: Manager,
    session: DbSession,
    area_code: str = Form(""),
    name: str = Form(""),
    address: str = Form(""),
    opened_on: str = Form(""),
    parent_id: str = Form(""),
):
    area = area_in_reach(session, principal, code, MANAGE)
    form = {"area_code": area_code, "name": name, "address": address, "opened_on": opened_on, "parent_id": parent_id}
    with attempt(session) as tried:
        data = StationIn(
            area_code=(area_code or code).strip(), name=name, address=address,
            opened_on=date_field(opened_on, t("opening day")), parent_id=opt_int(parent_id, t("station")),
        )  # fmt: skip
        station = service.stations.register_station(session, principal, data)
    if tried.refused:
        return _area_page(request, session, principal, area, form=form, errors=tried.errors, status=422)
    return RedirectResponse(f"/socialwork/stations/{station.id}?done=saved", status_code=303)


def station_page(request, session, principal, station_id: int, *, form=None, errors=(), status=200, part=""):
    v = reads.station_view(session, principal, station_id)
    display.prefetch(request, [v.station.area_code, *(r.area_code for r in v.rooms)])
    area = area_repo.find_area(session, codes.unpad(v.station.area_code))
    return render(
        request,
        "socialwork/station.html",
        {
            "v": v, "s": v.station, "offered": [x.kind for x in v.services],
            "form": form or {}, "errors": list(errors), "part": part,
            "breadcrumb": crumbs(session, principal, area, "socialwork"), **helpers(),
        },
        status_code=status,
    )  # fmt: skip


@router.get("/socialwork/stations/{station_id}", response_class=HTMLResponse)
def station_view(station_id: Id, request: Request, principal: Reader, session: DbSession):
    return station_page(request, session, principal, station_id)


def _refused(request, session, principal, station_id, tried, form, part):
    return station_page(
        request, session, principal, station_id, form=form, errors=tried.errors, status=refusal_status(tried), part=part
    )


@router.post("/socialwork/stations/{station_id}/staff", response_class=HTMLResponse)
def add_staff(
    station_id: Id,
    request: Request,
    principal: Manager,
    session: DbSession,
    name: str = Form(""),
    title: str = Form(""),
    qualification: str = Form("none"),
    qualified_on: str = Form(""),
    worker_id: str = Form(""),
    username: str = Form(""),
):
    form = {"name": name, "title": title, "qualification": qualification, "qualified_on": qualified_on,
            "worker_id": worker_id, "username": username}  # fmt: skip
    with attempt(session) as tried:
        data = StaffIn(
            name=name, title=title, qualification=qualification,
            qualified_on=date_field(qualified_on, t("qualified on")), worker_id=opt_int(worker_id, t("worker")),
            username=username or None,
        )  # fmt: skip
        service.stations.add_staff(session, principal, station_id, data)
    if tried.refused:
        return _refused(request, session, principal, station_id, tried, form, "staff")
    return RedirectResponse(f"/socialwork/stations/{station_id}?done=saved#staff", status_code=303)


@router.post("/socialwork/stations/{station_id}/services", response_class=HTMLResponse)
def add_service(
    station_id: Id, request: Request, principal: Manager, session: DbSession, kind: str = Form(""), note: str = Form("")
):
    form = {"kind": kind, "note": note}
    with attempt(session) as tried:
        service.stations.add_service(session, principal, station_id, ServiceIn(kind=kind, note=note))
    if tried.refused:
        return _refused(request, session, principal, station_id, tried, form, "services")
    return RedirectResponse(f"/socialwork/stations/{station_id}?done=saved#services", status_code=303)


@router.post("/socialwork/stations/{station_id}/records", response_class=HTMLResponse)
def log_record(
    station_id: Id,
    request: Request,
    principal: Recorder,
    session: DbSession,
    served_on: str = Form(""),
    kind: str = Form(""),
    hours: str = Form(""),
    beneficiaries: str = Form("1"),
    person_id: str = Form(""),
    content: str = Form(""),
):
    form = {"served_on": served_on, "kind": kind, "hours": hours, "beneficiaries": beneficiaries,
            "person_id": person_id, "content": content}  # fmt: skip
    with attempt(session) as tried:
        data = RecordIn(
            served_on=date_field(served_on, t("date"), required=True), kind=kind, hours=number(hours, t("hours")),
            beneficiaries=opt_int(beneficiaries, t("people reached")) or 0,
            person_id=opt_int(person_id, t("beneficiary")), content=content,
        )  # fmt: skip
        service.records.log(session, principal, station_id, data)
    if tried.refused:
        return _refused(request, session, principal, station_id, tried, form, "records")
    return RedirectResponse(f"/socialwork/stations/{station_id}?done=logged#records", status_code=303)


@router.post("/socialwork/stations/{station_id}/cases", response_class=HTMLResponse)
def open_case(
    station_id: Id,
    request: Request,
    principal: Recorder,
    session: DbSession,
    kind: str = Form(""),
    worker_id: str = Form(""),
    person_id: str = Form(""),
    client: str = Form(""),
    summary: str = Form(""),
    opened_on: str = Form(""),
):
    form = {"kind": kind, "worker_id": worker_id, "person_id": person_id, "client": client, "summary": summary,
            "opened_on": opened_on}  # fmt: skip
    with attempt(session) as tried:
        data = CaseIn(
            kind=kind, worker_id=opt_int(worker_id, t("case worker")), person_id=opt_int(person_id, t("client")),
            client=client, summary=summary, opened_on=date_field(opened_on, t("case opened on")),
        )  # fmt: skip
        case = service.cases.open_case(session, principal, station_id, data)
    if tried.refused:
        return _refused(request, session, principal, station_id, tried, form, "cases")
    return RedirectResponse(f"/socialwork/cases/{case.id}?done=saved", status_code=303)
