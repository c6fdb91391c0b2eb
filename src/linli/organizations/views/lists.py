"""Pages of the three lists: an area's needs, recording a need (from a grid event too), a need's page
with its claim, its projects' results and the residents' rating; and the area's figures."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linli.areas import repository as area_repo
from linli.areas.pages import area_in_reach, crumbs
from linli.authz.deps import DbSession
from linli.kit import codes
from linli.kit.i18n import t
from linli.kit.types import Id
from linli.organizations import kinds, reads, repository, service
from linli.organizations.schemas import ClaimIn, NeedIn, RatingIn, ResultIn
from linli.organizations.views.common import (
    MANAGE,
    PAGE,
    READ,
    Actor,
    Manager,
    Reader,
    chosen,
    helpers,
    opt_date,
    opt_float,
    opt_int,
    req_date,
)
from linli.web import display
from linli.web.forms import attempt
from linli.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/areas/{code}/org-needs", response_class=HTMLResponse)
def needs_page(code: str, request: Request, principal: Reader, session: DbSession, status: str = ""):
    area = area_in_reach(session, principal, code, READ)
    status = status if status in kinds.NEED_STATES else ""
    items, total = reads.needs(session, principal, code, status=status or None, limit=PAGE)
    display.prefetch(request, (n.area_code for n in items))
    return render(
        request,
        "organizations/needs.html",
        {
            "area": area, "items": items, "total": total, "status": status,
            "can_manage": principal.can(MANAGE, code) and len(code) >= 9,
            "breadcrumb": crumbs(session, principal, area, "org-needs"), **helpers(),
        },
    )  # fmt: skip


def _need_form(request, session, principal, area, *, form=None, errors=(), status=200):
    return render(
        request,
        "organizations/need_form.html",
        {
            "area": area, "form": form or {}, "errors": list(errors),
            "breadcrumb": crumbs(session, principal, area, "org-needs"), **helpers(),
        },
        status_code=status,
    )  # fmt: skip


@router.get("/areas/{code}/org-needs/new", response_class=HTMLResponse)
def new_need(code: str, request: Request, principal: Manager, session: DbSession, event: str = ""):
    area = area_in_reach(session, principal, code, MANAGE)
    form = {"raised_by": "grid" if event else "community", "category": "other", "event_id": event[:10]}
    return _need_form(request, session, principal, area, form=form)


@router.post("/areas/{code}/org-needs/new", response_class=HTMLResponse)
def create_need(
    code: str,
    request: Request,
    principal: Manager,
    session: DbSession,
    title: str = Form(""),
    description: str = Form(""),
    category: str = Form(""),
    raised_by: str = Form("community"),
    event_id: str = Form(""),
    lon: str = Form(""),
    lat: str = Form(""),
):
    area = area_in_reach(session, principal, code, MANAGE)
    form = {
        "title": title, "description": description, "category": category, "raised_by": raised_by,
        "event_id": event_id, "lon": lon, "lat": lat,
    }  # fmt: skip
    with attempt(session) as tried:
        data = NeedIn(
            area_code=code, title=title, description=description, category=category, raised_by=raised_by,
            event_id=opt_int(event_id, t("event")), lon=opt_float(lon, t("longitude")),
            lat=opt_float(lat, t("latitude")),
        )  # fmt: skip
        need = service.lists.record_need(session, principal, data)
    if tried.refused:
        return _need_form(request, session, principal, area, form=form, errors=tried.errors, status=422)
    return RedirectResponse(f"/org-needs/{need.id}?done=saved", status_code=303)


def _claim_options(session, principal, need) -> list:
    """The resources the principal may claim this need with: offered in an alliance covering it, of a unit
    they act for."""
    rows = repository.resources_covering(session, principal.scope(READ), need.area_code)
    orgs = {}
    out = []
    for r, a in rows:
        if r.organization_id not in orgs:
            org = repository.get_org(session, r.organization_id, principal.scope(READ))
            orgs[r.organization_id] = org if org is not None and service.may_act_for(session, principal, org) else None
        if orgs[r.organization_id] is not None:
            out.append((r, a, orgs[r.organization_id]))
    return out


def _area_of(session, row):
    return area_repo.find_area(session, codes.unpad(row.area_code))


def need_page(request, session, principal, need_id: int, *, errors=(), form=None, status=200):
    need = reads.need(session, principal, need_id)
    projects = repository.projects_of(session, need_id=need.id)
    acting = {p.organization_id for p in projects if service.lists.can_act(session, principal, p.organization_id)}
    display.prefetch(request, [need.area_code])
    return render(
        request,
        "organizations/need.html",
        {
            "n": need, "projects": projects, "acting": acting, "errors": list(errors), "form": form or {},
            "org_names": repository.org_names(session, [p.organization_id for p in projects]),
            "resources": repository.resources_by_id(session, [p.resource_id for p in projects]),
            "options": _claim_options(session, principal, need) if need.status == "open" else [],
            "can_manage": principal.can(MANAGE, need.area_code),
            "breadcrumb": crumbs(session, principal, _area_of(session, need), "org-needs"),
            **helpers(),
        },
        status_code=status,
    )  # fmt: skip


@router.get("/org-needs/{need_id}", response_class=HTMLResponse)
def need_view(need_id: Id, request: Request, principal: Reader, session: DbSession):
    return need_page(request, session, principal, need_id)


@router.post("/org-needs/{need_id}/claim", response_class=HTMLResponse)
def claim_need(
    need_id: Id,
    request: Request,
    principal: Actor,
    session: DbSession,
    resource_id: str = Form(""),
    starts_on: str = Form(""),
    ends_on: str = Form(""),
):
    form = {"resource_id": resource_id, "starts_on": starts_on, "ends_on": ends_on}
    with attempt(session) as tried:
        data = ClaimIn(
            resource_id=chosen(resource_id, t("resource")), starts_on=req_date(starts_on, t("start")),
            ends_on=req_date(ends_on, t("end")),
        )  # fmt: skip
        service.lists.claim(session, principal, need_id, data)
    if tried.refused:
        return need_page(request, session, principal, need_id, errors=tried.errors, form=form, status=422)
    return RedirectResponse(f"/org-needs/{need_id}?done=claimed", status_code=303)


@router.post("/org-needs/{need_id}/close", response_class=HTMLResponse)
def close_need(need_id: Id, request: Request, principal: Manager, session: DbSession):
    with attempt(session) as tried:
        service.lists.close_need(session, principal, need_id)
    if tried.refused:
        return need_page(request, session, principal, need_id, errors=tried.errors, status=tried.error.status)
    return RedirectResponse(f"/org-needs/{need_id}?done=closed", status_code=303)


def _project_step(request, session, principal, project_id: int, step, form: dict):
    p = reads.project(session, principal, project_id)
    with attempt(session) as tried:
        step()
    if tried.refused:
        return need_page(request, session, principal, p.need_id, errors=tried.errors, form=form, status=422)
    return RedirectResponse(f"/org-needs/{p.need_id}?done=saved#projects", status_code=303)


@router.post("/org-projects/{project_id}/result", response_class=HTMLResponse)
def project_result(
    project_id: Id,
    request: Request,
    principal: Actor,
    session: DbSession,
    result: str = Form(""),
    done_on: str = Form(""),
):
    def step():
        data = ResultIn(result=result, done_on=opt_date(done_on, t("done on")))
        service.lists.record_result(session, principal, project_id, data)

    return _project_step(request, session, principal, project_id, step, {"result": result, "done_on": done_on})


@router.post("/org-projects/{project_id}/drop", response_class=HTMLResponse)
def project_drop(project_id: Id, request: Request, principal: Actor, session: DbSession):
    step = lambda: service.lists.drop_project(session, principal, project_id)  # noqa: E731
    return _project_step(request, session, principal, project_id, step, {})


@router.post("/org-projects/{project_id}/rating", response_class=HTMLResponse)
def project_rating(project_id: Id, request: Request, principal: Manager, session: DbSession, rating: str = Form("")):
    def step():
        service.lists.rate(session, principal, project_id, RatingIn(rating=chosen(rating, t("rating"))))

    return _project_step(request, session, principal, project_id, step, {"rating": rating})


@router.get("/areas/{code}/org-counts", response_class=HTMLResponse)
def counts_page(code: str, request: Request, principal: Reader, session: DbSession):
    area = area_in_reach(session, principal, code, READ)
    rows, total = reads.counts(session, principal, code)
    display.prefetch(request, [r.code for r in rows])
    return render(
        request,
        "organizations/counts.html",
        {"area": area, "rows": rows, "total": total, "breadcrumb": crumbs(session, principal, area, "org-counts")},
    )
