"""Pages of the registry: an area's organizations (search by name, filter by kind), the form to register
or edit one, an organization's page with its contacts, alliances and dual reporting."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linli.areas import repository as area_repo
from linli.areas.pages import area_in_reach, crumbs
from linli.authz.deps import DbSession
from linli.authz.permissions import Permission
from linli.kit import codes
from linli.kit.types import Id
from linli.organizations import reads, repository, service
from linli.organizations.kinds import KINDS, PARTY_KINDS
from linli.organizations.schemas import OrganizationIn, OrganizationUpdate, ServiceRecordIn, UnitReportIn
from linli.organizations.views.common import (
    MANAGE,
    PAGE,
    READ,
    Actor,
    Manager,
    Reader,
    helpers,
    opt_float,
    opt_int,
    req_date,
    unit_evaluations,
)
from linli.web import display
from linli.web.forms import attempt
from linli.web.templating import render

router = APIRouter(include_in_schema=False)
FIELDS = (
    "kind", "name", "parent_id", "uscc", "address", "lon", "lat", "contact_name", "contact_phone", "status",
    "registration", "social_type", "service_field", "rating",
)  # fmt: skip


@router.get("/areas/{code}/organizations", response_class=HTMLResponse)
def organizations_page(code: str, request: Request, principal: Reader, session: DbSession, kind: str = "", q: str = ""):
    area = area_in_reach(session, principal, code, READ)
    kind = kind if kind in KINDS else ""
    items, total = reads.organizations(session, principal, code, kind=kind or None, q=q[:100], limit=PAGE)
    display.prefetch(request, (o.area_code for o in items))
    return render(
        request,
        "organizations/orgs.html",
        {
            "area": area, "items": items, "total": total, "kind": kind, "q": q[:100],
            "can_manage": principal.can(MANAGE, code), "breadcrumb": crumbs(session, principal, area, "organizations"),
            **helpers(),
        },
    )  # fmt: skip


def _parents(session, principal, code: str):
    items, _ = reads.organizations(session, principal, code, limit=500)
    return [o for o in items if o.kind in PARTY_KINDS[:2]]


def _form_page(request, session, principal, area, *, org=None, form=None, errors=(), status=200):
    return render(
        request,
        "organizations/org_form.html",
        {
            "area": area, "org": org, "form": form or {}, "errors": list(errors),
            "parents": _parents(session, principal, area.code),
            "breadcrumb": crumbs(session, principal, area, "organizations"), **helpers(),
        },
        status_code=status,
    )  # fmt: skip


@router.get("/areas/{code}/organizations/new", response_class=HTMLResponse)
def new_organization(code: str, request: Request, principal: Manager, session: DbSession):
    area = area_in_reach(session, principal, code, MANAGE)
    return _form_page(request, session, principal, area, form={"kind": "enterprise", "status": "active"})


def _typed(form: dict[str, str]) -> dict:
    """The form's values as the schemas take them (empty means none)."""
    out: dict = {k: (form.get(k) or "").strip() or None for k in FIELDS}
    out["parent_id"] = opt_int(form.get("parent_id", ""), "parent")
    out["lon"] = opt_float(form.get("lon", ""), "longitude")
    out["lat"] = opt_float(form.get("lat", ""), "latitude")
    out["rating"] = opt_int(form.get("rating", ""), "rating")
    for k in ("address", "contact_name", "contact_phone"):
        out[k] = form.get(k, "").strip()
    return out


async def _form(request: Request) -> dict[str, str]:
    got = await request.form()
    return {k: str(got.get(k, "")) for k in FIELDS}


@router.post("/areas/{code}/organizations/new", response_class=HTMLResponse)
async def create_organization(code: str, request: Request, principal: Manager, session: DbSession):
    area = area_in_reach(session, principal, code, MANAGE)
    form = await _form(request)
    with attempt(session) as tried:
        typed = _typed(form)
        org = service.registry.create(session, principal, OrganizationIn(area_code=code, **typed))
    if tried.refused:
        return _form_page(request, session, principal, area, form=form, errors=tried.errors, status=422)
    return RedirectResponse(f"/organizations/{org.id}?done=saved", status_code=303)


def _as_form(org) -> dict[str, str]:
    return {k: "" if getattr(org, k) is None else str(getattr(org, k)) for k in FIELDS}


@router.get("/organizations/{org_id}/edit", response_class=HTMLResponse)
def edit_organization(org_id: Id, request: Request, principal: Manager, session: DbSession):
    org = reads.organization(session, principal, org_id)
    area = area_in_reach(session, principal, codes.unpad(org.area_code), MANAGE)
    return _form_page(request, session, principal, area, org=org, form=_as_form(org))


@router.post("/organizations/{org_id}/edit", response_class=HTMLResponse)
async def save_organization(org_id: Id, request: Request, principal: Manager, session: DbSession):
    org = reads.organization(session, principal, org_id)
    area = area_in_reach(session, principal, codes.unpad(org.area_code), MANAGE)
    form = await _form(request)
    with attempt(session) as tried:
        typed = {k: v for k, v in _typed(form).items() if k != "kind"}
        typed["status"] = typed["status"] or org.status
        typed["name"] = typed["name"] or ""
        service.registry.update(session, principal, org_id, OrganizationUpdate(**typed))
    if tried.refused:
        org = repository.get_org(session, org_id, principal.scope(READ))
        return _form_page(request, session, principal, area, org=org, form=form, errors=tried.errors, status=422)
    return RedirectResponse(f"/organizations/{org_id}?done=saved", status_code=303)


def org_page(request, session, principal, org_id: int, *, errors=(), form=None, status=200):
    org = reads.organization(session, principal, org_id)
    year = date.today().year
    records = reads.service_records(session, principal, org.id, year)
    reports = repository.unit_reports_of(session, org.id)
    pairings = repository.pairings_of_org(session, org.id, principal.scope(READ))
    community = codes.unpad(org.area_code)[:12] if len(codes.unpad(org.area_code)) >= 12 else None
    places = [org.area_code, *(r.area_code for r in reports), *(r.area_code for r in records)]
    display.prefetch(request, [*places, *(p.area_code for p in pairings)])
    return render(
        request,
        "organizations/org.html",
        {
            "org": org, "errors": list(errors), "form": form or {}, "year": year, "records": records,
            "reports": reports, "community": community,
            "reported_here": any(codes.unpad(r.area_code) == community for r in reports),
            "parent": repository.get_org(session, org.parent_id, principal.scope(READ)) if org.parent_id else None,
            "children": repository.children_of(session, org.id),
            "contacts": repository.contacts_of(session, org.id),
            "alliances": repository.alliances_of_org(session, org.id, principal.scope(READ)),
            "pairings": pairings,
            "can_manage": principal.can(MANAGE, org.area_code),
            "can_act": service.may_act_for(session, principal, org),
            "may_read_register": principal.can(Permission.residents_read, org.area_code),
            **unit_evaluations(session, principal, org, reports),
            "breadcrumb": [*crumbs(session, principal, _area(session, org), "organizations")],
            **helpers(),
        },
        status_code=status,
    )  # fmt: skip


def _area(session, org):
    return area_repo.find_area(session, codes.unpad(org.area_code))


@router.get("/organizations/{org_id}", response_class=HTMLResponse)
def organization_page(org_id: Id, request: Request, principal: Reader, session: DbSession):
    return org_page(request, session, principal, org_id)


@router.post("/organizations/{org_id}/contacts", response_class=HTMLResponse)
def add_contact(org_id: Id, request: Request, principal: Manager, session: DbSession, username: str = Form("")):
    with attempt(session) as tried:
        service.registry.add_contact(session, principal, org_id, username)
    if tried.refused:
        return org_page(
            request, session, principal, org_id, errors=tried.errors, form={"username": username}, status=422
        )
    return RedirectResponse(f"/organizations/{org_id}?done=contact#contacts", status_code=303)


@router.post("/organizations/{org_id}/contacts/{user_id}/remove", response_class=HTMLResponse)
def remove_contact(org_id: Id, user_id: Id, principal: Manager, session: DbSession):
    service.registry.remove_contact(session, principal, org_id, user_id)
    return RedirectResponse(f"/organizations/{org_id}?done=contact_removed#contacts", status_code=303)


@router.post("/organizations/{org_id}/reports", response_class=HTMLResponse)
def report_unit(org_id: Id, request: Request, principal: Actor, session: DbSession, area_code: str = Form("")):
    with attempt(session) as tried:
        service.reporting.report_unit(session, principal, org_id, UnitReportIn(area_code=area_code))
    if tried.refused:
        return org_page(request, session, principal, org_id, errors=tried.errors, status=422)
    return RedirectResponse(f"/organizations/{org_id}?done=reported#reporting", status_code=303)


@router.post("/organizations/{org_id}/service-records", response_class=HTMLResponse)
def log_service(
    org_id: Id,
    request: Request,
    principal: Actor,
    session: DbSession,
    served_on: str = Form(""),
    hours: str = Form(""),
    content: str = Form(""),
    rating: str = Form(""),
):
    form = {"served_on": served_on, "hours": hours, "content": content, "rating": rating}
    with attempt(session) as tried:
        data = ServiceRecordIn(
            organization_id=org_id, served_on=req_date(served_on, "date"), hours=opt_float(hours, "hours") or 0,
            content=content, rating=opt_int(rating, "rating"),
        )  # fmt: skip
        service.reporting.log_service(session, principal, data)
    if tried.refused:
        return org_page(request, session, principal, org_id, errors=tried.errors, form=form, status=422)
    return RedirectResponse(f"/organizations/{org_id}?done=logged#reporting", status_code=303)


@router.get("/areas/{code}/service-summary", response_class=HTMLResponse)
def service_summary_page(code: str, request: Request, principal: Reader, session: DbSession, year: str = ""):
    area = area_in_reach(session, principal, code, READ)
    this_year = date.today().year
    chosen_year = int(year) if year.isdigit() and 2000 <= int(year) <= this_year else this_year
    return render(
        request,
        "organizations/summary.html",
        {
            "area": area, "year": chosen_year, "years": list(range(this_year, this_year - 5, -1)),
            "rows": reads.summary(session, principal, code, chosen_year),
            "breadcrumb": crumbs(session, principal, area, "service-summary"), **helpers(),
        },
    )  # fmt: skip
