"""The start page `/`: the workbench of staff; a resident's home (no other role): report a problem, their
reports and how far each has got, the warnings in force and the notices for their place, their own
entry in the register and their messages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from linli.alerts import repository as alerts
from linli.areas import pages as area_pages
from linli.areas import repository as areas
from linli.authz.deps import DbSession, Require, SignedIn
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.events.kinds import state_label
from linli.events.repository import reads as event_reads
from linli.kit.i18n import N_, t
from linli.notices import repository as notices_repository
from linli.services import kinds as service_kinds
from linli.services import repository as services_repository
from linli.web import todo
from linli.web.labels import role_label
from linli.web.nav import NavLink, is_staff
from linli.web.templating import render
from linli.workbench.overview import Overview, overview, overview_area

router = APIRouter(include_in_schema=False)
EventsReader = Annotated[Principal, Depends(Require(Permission.events_read))]


NAV = [
    NavLink(
        5,
        N_("Workbench"),
        lambda p: "/" if is_staff(p) else None,
        badge=lambda s, p: todo.total(s, p) if is_staff(p) else 0,
        badge_label=N_("waiting"),
    ),
    NavLink(10, N_("Home"), lambda p: None if is_staff(p) else "/"),
]


def _places(session, principal: Principal) -> list[dict]:
    names = areas.get_areas(session, list(principal.grant_areas))
    return [
        {
            "role_label": role_label(r.value),
            "code": c,
            "name": names[c].name if c in names else c,
            "href": f"/grids/{c}" if len(c) == 15 else f"/areas/{c}",
        }
        for r, c in principal.roles_held
    ]


MINE = 10  # reports, warnings and notices shown on a resident's home; each list links to the rest


@router.get("/", response_class=HTMLResponse)
def home(request: Request, principal: SignedIn, session: DbSession):
    places = _places(session, principal)
    if not is_staff(principal):
        return _resident_home(request, session, principal, places)
    todos = todo.gather(session, principal)
    code = overview_area(principal)
    summary = overview(session, principal, code) if code else None
    return render(
        request, "workbench.html", {"grants": places, "todos": todos, "staff": True, **_overview_context(summary)}
    )


def _overview_context(summary: Overview | None) -> dict:
    return {"ov": summary, "percent": lambda rate: f"{rate * 100:.1f}%"}


@router.get("/areas/{code}/overview", response_class=HTMLResponse)
def area_overview(code: str, request: Request, principal: EventsReader, session: DbSession):
    """The overview of one area (a child area's name on an overview opens its own)."""
    summary = overview(session, principal, code)
    crumbs = [*area_pages.area_crumbs(session, principal, summary.area), {"name": t("Overview"), "href": ""}]
    return render(request, "workbench/overview.html", {**_overview_context(summary), "breadcrumb": crumbs})


def _resident_home(request: Request, session, principal: Principal, places: list[dict]):
    reports, reports_total = event_reads.list_events(
        session, principal, area_code=None, states=[], category=None, unit_id=None, overdue=None, mine=True,
        offset=0, limit=MINE,
    )  # fmt: skip
    warnings, _ = alerts.list_messages(session, principal, current=True, limit=MINE)
    notices, notices_total = notices_repository.list_for_me(session, principal, limit=MINE)
    home_code = principal.first_area_with(Permission.events_report)
    applications, applications_total = services_repository.list_mine(session, principal, limit=MINE)
    services_code = principal.first_area_with(Permission.services_apply)
    enrol_code = principal.first_area_with(Permission.facilities_enrol)  # their community's facilities, classes
    return render(
        request,
        "resident_home.html",
        {
            "grants": places,
            "report_href": f"/areas/{home_code}/events/new" if home_code else None,
            "reports": reports,
            "reports_total": reports_total,
            "state_label": state_label,
            "warnings": warnings,
            "notices": notices,
            "notices_total": notices_total,
            "services_href": f"/services/catalogue/{services_code}" if services_code else None,
            "applications": applications,
            "applications_total": applications_total,
            "application_items": services_repository.names_of_items(session, [a.item_id for a in applications]),
            "application_state": lambda s: service_kinds.label(service_kinds.STATES, s),
            "classes_href": "/facilities/classes" if enrol_code else None,
            "facilities_href": f"/public/facilities/{enrol_code[:12]}"
            if enrol_code and len(enrol_code) >= 12
            else None,
        },
    )
