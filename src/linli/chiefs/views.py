"""Pages of road and lane chiefs: an area's chiefs, roads and figures (record a road, appoint a chief), and
an appointment's page with the open events of what it covers, its patrols and the chief's patrol form."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linli.areas import repository as area_repo
from linli.areas.pages import area_in_reach, crumbs
from linli.authz.deps import DbSession, Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.chiefs import kinds, reads, repository, service
from linli.chiefs.schemas import AppointmentIn, EndIn, FindingEventIn, PatrolIn, RoadIn
from linli.events import repository as events_repo
from linli.kit import codes
from linli.kit.errors import InvalidInput
from linli.kit.i18n import N_, t
from linli.kit.types import Id
from linli.web import display
from linli.web.forms import attempt, date_field
from linli.web.nav import NavLink, at_first_area
from linli.web.templating import render

READ, MANAGE, PATROL = Permission.chiefs_read, Permission.chiefs_manage, Permission.chiefs_patrol
Reader = Annotated[Principal, Depends(Require(READ))]
Manager = Annotated[Principal, Depends(Require(MANAGE))]
Patroller = Annotated[Principal, Depends(Require(PATROL))]

router = APIRouter(include_in_schema=False)
NAV = [NavLink(56, N_("Road chiefs"), at_first_area(READ, "/areas/{code}/chiefs"), more=True)]


def _helpers() -> dict:
    return {
        "level_label": lambda v: kinds.label(kinds.LEVELS, v),
        "road_kind_label": lambda v: kinds.label(kinds.ROAD_KINDS, v),
        "status_label": lambda v: kinds.label(kinds.STATUSES, v),
        "levels": kinds.options(kinds.LEVELS),
        "road_kinds": kinds.options(kinds.ROAD_KINDS),
        "today": service.today().isoformat(),
    }


def _float(value: str, what: str) -> float:
    try:
        return float(value.strip())
    except ValueError:
        raise InvalidInput(t("{what}: {value!r} is not a number", what=what, value=value)) from None


def _list_page(request, session, principal, area, *, form=None, errors=(), status=200):
    items, total, covers = reads.appointments(session, principal, area.code, status="active", limit=100)
    roads, roads_total = reads.roads(session, principal, area.code, limit=200)
    rows, sums = reads.counts(session, principal, area.code)
    display.prefetch(request, [*(r.area_code for r in roads), *(c.area_code for cs in covers.values() for c in cs),
                               *(r.code for r in rows)])  # fmt: skip
    can_manage = principal.can(MANAGE, area.code)
    return render(
        request,
        "chiefs/chiefs.html",
        {
            "area": area, "items": items, "total": total, "covers": covers, "roads": roads,
            "roads_total": roads_total, "road_names": {r.id: r.name for r in roads}, "rows": rows, "sums": sums,
            "can_manage": can_manage, "places": reads.places_for_forms(session, area.code) if can_manage else [],
            "form": form or {}, "errors": list(errors),
            "breadcrumb": crumbs(session, principal, area, "chiefs"), **_helpers(),
        },
        status_code=status,
    )  # fmt: skip


@router.get("/areas/{code}/chiefs", response_class=HTMLResponse)
def chiefs_page(code: str, request: Request, principal: Reader, session: DbSession):
    return _list_page(request, session, principal, area_in_reach(session, principal, code, READ))


@router.post("/areas/{code}/chief-roads", response_class=HTMLResponse)
def create_road(
    code: str,
    request: Request,
    principal: Manager,
    session: DbSession,
    area_code: str = Form(""),
    name: str = Form(""),
    kind: str = Form("road"),
):
    area = area_in_reach(session, principal, code, MANAGE)
    form = {"road_area": area_code, "road_name": name, "road_kind": kind}
    with attempt(session) as tried:
        service.create_road(session, principal, RoadIn(area_code=area_code or code, name=name, kind=kind))
    if tried.refused:
        return _list_page(request, session, principal, area, form=form, errors=tried.errors, status=422)
    return RedirectResponse(f"/areas/{code}/chiefs?done=road#roads", status_code=303)


@router.post("/areas/{code}/chiefs", response_class=HTMLResponse)
async def appoint(code: str, request: Request, principal: Manager, session: DbSession):
    area = area_in_reach(session, principal, code, MANAGE)
    data = await request.form()
    form = {k: str(data.get(k) or "") for k in ("level", "username", "name", "unit", "appointed_on")}
    grids = [str(g) for g in data.getlist("grids")]
    road_ids = [str(r) for r in data.getlist("road_ids")]
    form |= {"grids": grids, "road_ids": road_ids}
    with attempt(session) as tried:
        body = AppointmentIn(
            area_code=code, level=form["level"] or "road", username=form["username"] or None, name=form["name"] or None,
            unit=form["unit"], appointed_on=date_field(form["appointed_on"], t("appointed on")), grids=grids,
            road_ids=[int(r) for r in road_ids if r.isdigit()],
        )  # fmt: skip
        a = service.appoint(session, principal, body)
    if tried.refused:
        return _list_page(request, session, principal, area, form=form, errors=tried.errors, status=422)
    return RedirectResponse(f"/chiefs/{a.id}?done=appointed", status_code=303)


def _chief_page(request, session, principal, appointment_id: int, *, form=None, errors=(), status=200):
    a, covers = reads.appointment(session, principal, appointment_id)
    events = reads.open_events(session, principal, covers)
    patrols, patrol_total = reads.patrols(session, principal, appointment_id=a.id, limit=50)
    roads = repository.roads_by_id(session, [c.road_id for c in covers] + [p.road_id for p in patrols])
    is_chief = a.status == "active" and a.user_id is not None and a.user_id == principal.user_id
    display.prefetch(request, [a.area_code, *(c.area_code for c in covers), *(e.area_code for e in events)])
    area = area_repo.find_area(session, codes.unpad(a.area_code))
    return render(
        request,
        "chiefs/chief.html",
        {
            "a": a, "covers": covers, "roads": roads, "events": events, "patrols": patrols,
            "patrol_total": patrol_total, "is_chief": is_chief,
            "patrol_roads": reads.patrol_roads(session, principal, covers) if is_chief else [],
            "categories": events_repo.active_categories(session) if is_chief else [],
            "can_manage": principal.can(MANAGE, a.area_code) and a.status == "active",
            "form": form or {}, "errors": list(errors),
            "breadcrumb": crumbs(session, principal, area, "chiefs") if area else [], **_helpers(),
        },
        status_code=status,
    )  # fmt: skip


@router.get("/chiefs/{appointment_id}", response_class=HTMLResponse)
def chief_page(appointment_id: Id, request: Request, principal: Reader, session: DbSession):
    return _chief_page(request, session, principal, appointment_id)


@router.post("/chiefs/{appointment_id}/patrols", response_class=HTMLResponse)
def record_patrol(
    appointment_id: Id,
    request: Request,
    principal: Patroller,
    session: DbSession,
    road_id: str = Form(""),
    patrolled_on: str = Form(""),
    route: str = Form(""),
    findings: str = Form(""),
    category_code: str = Form(""),
    title: str = Form(""),
    lon: str = Form(""),
    lat: str = Form(""),
):
    form = {"road_id": road_id, "patrolled_on": patrolled_on, "route": route, "findings": findings,
            "category_code": category_code, "title": title, "lon": lon, "lat": lat}  # fmt: skip
    with attempt(session) as tried:
        if not road_id.isdigit():
            raise InvalidInput(t("choose the road you patrolled"))
        event = None
        if category_code or title.strip():
            event = FindingEventIn(
                category_code=category_code, title=title or findings[:200], lon=_float(lon, t("longitude")),
                lat=_float(lat, t("latitude")),
            )  # fmt: skip
        body = PatrolIn(
            road_id=int(road_id), patrolled_on=date_field(patrolled_on, t("date")), route=route, findings=findings,
            event=event,
        )  # fmt: skip
        service.patrol(session, principal, body, appointment_id=appointment_id)
    if tried.refused:
        return _chief_page(request, session, principal, appointment_id, form=form, errors=tried.errors, status=422)
    return RedirectResponse(f"/chiefs/{appointment_id}?done=patrol#patrols", status_code=303)


@router.post("/chiefs/{appointment_id}/end", response_class=HTMLResponse)
def end_chief(appointment_id: Id, request: Request, principal: Manager, session: DbSession, ended_on: str = Form("")):
    with attempt(session) as tried:
        service.end(session, principal, appointment_id, EndIn(ended_on=date_field(ended_on, t("end"))))
    if tried.refused:
        return _chief_page(request, session, principal, appointment_id, errors=tried.errors, status=422)
    return RedirectResponse(f"/chiefs/{appointment_id}?done=ended", status_code=303)
