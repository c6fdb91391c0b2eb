"""Pages of the safety units: an area's police, judges and legal advisers with its figures, mediation cases
and legal-service sessions, and the forms to appoint and record (/areas/{code}/safety); a mediation case
with its closing form (/safety/cases/{id}); and whom a grid worker or resident calls (/safety)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linli.areas import repository as area_repo
from linli.areas.pages import area_in_reach, crumbs
from linli.authz.deps import DbSession, Require, SignedIn
from linli.authz.permissions import Permission, Role
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import InvalidInput
from linli.kit.i18n import N_, t
from linli.kit.types import Id
from linli.safety import kinds, reads, repository, service
from linli.safety.schemas import AppointmentIn, CaseCloseIn, CaseIn, SessionIn
from linli.web.display import prefetch
from linli.web.forms import attempt, date_field
from linli.web.nav import NavLink
from linli.web.templating import render

router = APIRouter(include_in_schema=False)
READ, APPOINT, RECORD = Permission.safety_read, Permission.safety_appoint, Permission.safety_record
Reader = Annotated[Principal, Depends(Require(READ))]
Appointer = Annotated[Principal, Depends(Require(APPOINT))]
Recorder = Annotated[Principal, Depends(Require(RECORD))]
CALLERS = (Role.grid_worker, Role.resident)


def _href(principal: Principal) -> str | None:
    """Staff who appoint or record go to their area's page; grid workers and residents to whom they call."""
    for permission in (APPOINT, RECORD):
        code = principal.first_area_with(permission)
        if code is not None:
            return f"/areas/{code}/safety"
    return "/safety" if any(principal.has_role(r) for r in CALLERS) else None


NAV = [NavLink(58, N_("Police and legal advisers"), _href)]


def _labels() -> dict:
    return {
        "duty_label": lambda v: kinds.label(kinds.DUTIES, v),
        "outcome_label": lambda v: kinds.label(kinds.OUTCOMES, v),
        "case_state": lambda v: kinds.label(kinds.CASE_STATES, v),
        "appointment_state": lambda v: kinds.label(kinds.APPOINTMENT_STATES, v),
        "duties": kinds.options(kinds.DUTIES),
        "outcomes": kinds.options(kinds.OUTCOMES),
        "today": date.today().isoformat(),
    }


def _places(session, area) -> list[tuple[str, str]]:
    """The communities and grids that can be chosen in the forms: the area itself (a community or grid),
    its children, and under a street its communities' grids (a judge is appointed to a grid)."""
    own = [(area.code, area.name)] if len(area.code) in (12, 15) else []
    children = sorted(area_repo.child_names(session, area.code).items())
    places = own + [(c, n) for c, n in children if len(c) in (12, 15)]
    if len(area.code) == 9:
        for community, name in children:
            grids = sorted(area_repo.child_names(session, community).items())
            places += [(g, f"{name} · {n}") for g, n in grids]
    return places


def _area_page(request, session, principal, area, *, form=None, errors=(), status=200):
    appointments, _ = reads.appointments(session, principal, area.code, limit=200)
    cases, cases_total = reads.cases(session, principal, area.code, limit=50)
    sessions, _ = reads.sessions(session, principal, area.code, limit=50)
    figures = reads.figures(session, principal, area.code)
    can_appoint = principal.can(APPOINT, area.code)
    prefetch(request, [a.area_code for a in appointments] + [c.area_code for c in cases]
             + [r.area_code for r in figures.rows] + [s.area_code for s in sessions])  # fmt: skip
    units = repository.units_for_duty(session, principal.visible, ("police_station", "court")) if can_appoint else []
    return render(
        request, "safety/area.html",
        {"area": area, "appointments": appointments, "cases": cases, "cases_total": cases_total,
         "sessions": sessions, "figures": figures, "units": units, "places": _places(session, area),
         "can_appoint": can_appoint, "can_record": principal.can(RECORD, area.code),
         "form": form or {}, "errors": list(errors), "breadcrumb": crumbs(session, principal, area, "safety"),
         **_labels()},
        status_code=status,
    )  # fmt: skip


@router.get("/areas/{code}/safety", response_class=HTMLResponse)
def area_page(code: str, request: Request, principal: Reader, session: DbSession):
    return _area_page(request, session, principal, area_in_reach(session, principal, code, READ))


def _opt_id(value: str, what: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise InvalidInput(t("{what}: {value!r} is not a number from the list", what=what, value=value))
    return int(value)


def _count(value: str, what: str) -> int:
    value = (value or "").strip() or "0"
    if not value.isdigit():
        raise InvalidInput(t("{what}: {value!r} is not a whole number", what=what, value=value))
    return int(value)


@router.post("/areas/{code}/safety/appointments", response_class=HTMLResponse)
def appoint(
    code: str, request: Request, principal: Appointer, session: DbSession,
    area_code: str = Form(""), duty: str = Form(""), name: str = Form(""), organization_id: str = Form(""),
    unit_name: str = Form(""), phone: str = Form(""), duty_phone: str = Form(""), hours: str = Form(""),
    starts_on: str = Form(""), ends_on: str = Form(""),
):  # fmt: skip
    area = area_in_reach(session, principal, code, APPOINT)
    form = {"form": "appoint", "area_code": area_code, "duty": duty, "name": name, "organization_id": organization_id,
            "unit_name": unit_name, "phone": phone, "duty_phone": duty_phone, "hours": hours,
            "starts_on": starts_on, "ends_on": ends_on}  # fmt: skip
    with attempt(session) as tried:
        data = AppointmentIn(
            area_code=area_code or code, duty=duty, name=name, organization_id=_opt_id(organization_id, t("unit")),
            unit_name=unit_name, phone=phone, duty_phone=duty_phone, hours=hours,
            starts_on=date_field(starts_on, t("starts on"), required=True), ends_on=date_field(ends_on, t("ends on")),
        )  # fmt: skip
        service.appoint(session, principal, data)
    if tried.refused:
        return _area_page(request, session, principal, area, form=form, errors=tried.errors, status=422)
    return RedirectResponse(f"/areas/{code}/safety?done=appointed#appointments", status_code=303)


@router.post("/areas/{code}/safety/cases", response_class=HTMLResponse)
def open_case(
    code: str, request: Request, principal: Recorder, session: DbSession,
    area_code: str = Form(""), event_id: str = Form(""), title: str = Form(""), parties: str = Form(""),
    mediator: str = Form(""), opened_on: str = Form(""),
):  # fmt: skip
    area = area_in_reach(session, principal, code, RECORD)
    form = {"form": "case", "area_code": area_code, "event_id": event_id, "title": title, "parties": parties,
            "mediator": mediator, "opened_on": opened_on}  # fmt: skip
    with attempt(session) as tried:
        data = CaseIn(
            area_code=area_code or code, event_id=_opt_id(event_id, t("event number")), title=title, parties=parties,
            mediator=mediator, opened_on=date_field(opened_on, t("case opened on"), required=True),
        )  # fmt: skip
        c = service.open_case(session, principal, data)
    if tried.refused:
        return _area_page(request, session, principal, area, form=form, errors=tried.errors, status=422)
    return RedirectResponse(f"/safety/cases/{c.id}?done=opened", status_code=303)


@router.post("/areas/{code}/safety/sessions", response_class=HTMLResponse)
def record_session(
    code: str, request: Request, principal: Recorder, session: DbSession,
    area_code: str = Form(""), held_on: str = Form(""), place: str = Form(""), topic: str = Form(""),
    attendance: str = Form("0"),
):  # fmt: skip
    area = area_in_reach(session, principal, code, RECORD)
    form = {"form": "session", "area_code": area_code, "held_on": held_on, "place": place, "topic": topic,
            "attendance": attendance}  # fmt: skip
    with attempt(session) as tried:
        data = SessionIn(
            area_code=area_code or code, held_on=date_field(held_on, t("held on"), required=True), place=place,
            topic=topic, attendance=_count(attendance, t("attendance")),
        )  # fmt: skip
        service.record_session(session, principal, data)
    if tried.refused:
        return _area_page(request, session, principal, area, form=form, errors=tried.errors, status=422)
    return RedirectResponse(f"/areas/{code}/safety?done=recorded#sessions", status_code=303)


def _case_page(request, session, principal, case_id: int, *, form=None, errors=(), status=200):
    case = reads.case(session, principal, case_id)
    prefetch(request, [case.area_code])
    area = area_repo.find_area(session, codes.unpad(codes.pad(case.area_code)))
    return render(
        request, "safety/case.html",
        {"case": case, "can_record": principal.can(RECORD, case.area_code), "form": form or {},
         "errors": list(errors), "breadcrumb": crumbs(session, principal, area, "safety"), **_labels()},
        status_code=status,
    )  # fmt: skip


@router.get("/safety/cases/{case_id}", response_class=HTMLResponse)
def case_page(case_id: Id, request: Request, principal: Reader, session: DbSession):
    return _case_page(request, session, principal, case_id)


@router.post("/safety/cases/{case_id}/close", response_class=HTMLResponse)
def close_case(
    case_id: Id, request: Request, principal: Recorder, session: DbSession,
    outcome: str = Form(""), closed_on: str = Form(""), summary: str = Form(""),
):  # fmt: skip
    form = {"outcome": outcome, "closed_on": closed_on, "summary": summary}
    with attempt(session) as tried:
        data = CaseCloseIn(outcome=outcome, closed_on=date_field(closed_on, t("closed on")), summary=summary)
        service.close_case(session, principal, case_id, data)
    if tried.refused:
        return _case_page(request, session, principal, case_id, form=form, errors=tried.errors, status=422)
    return RedirectResponse(f"/safety/cases/{case_id}?done=closed", status_code=303)


@router.get("/safety", response_class=HTMLResponse)
def contacts_page(request: Request, principal: SignedIn, session: DbSession):
    contacts = reads.contacts(session, principal)
    prefetch(request, [c.area_code for c in contacts])
    return render(request, "safety/contacts.html", {"contacts": contacts, **_labels()})
