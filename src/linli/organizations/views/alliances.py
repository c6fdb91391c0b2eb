"""Pages of party-building alliances: an area's alliances, founding one, an alliance's page with its
member units and the three lists (needs in its area, its units' resources, its projects) and the
matching suggestions; admitting a member, offering and withdrawing a resource."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linli.areas import repository as area_repo
from linli.areas.pages import area_in_reach, crumbs
from linli.authz.deps import DbSession
from linli.kit import codes
from linli.kit.i18n import t
from linli.kit.types import Id
from linli.organizations import reads, repository, service
from linli.organizations.schemas import AllianceIn, MemberIn, ResourceIn
from linli.organizations.views.common import (
    MANAGE,
    PAGE,
    READ,
    Actor,
    Manager,
    Reader,
    alliance_records,
    chosen,
    helpers,
    opt_date,
    opt_int,
)
from linli.web import display
from linli.web.forms import attempt
from linli.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/areas/{code}/alliances", response_class=HTMLResponse)
def alliances_page(code: str, request: Request, principal: Reader, session: DbSession):
    area = area_in_reach(session, principal, code, READ)
    items, total, members = reads.alliances(session, principal, code, limit=PAGE)
    display.prefetch(request, (a.area_code for a in items))
    leads = repository.org_names(session, [a.lead_org_id for a in items])
    return render(
        request,
        "organizations/alliances.html",
        {
            "area": area, "items": items, "total": total, "members": members, "leads": leads,
            "can_manage": principal.can(MANAGE, code), "breadcrumb": crumbs(session, principal, area, "alliances"),
            **helpers(),
        },
    )  # fmt: skip


def _new_page(request, session, principal, area, *, form=None, errors=(), status=200):
    orgs, _ = reads.organizations(session, principal, area.code, status="active", limit=500)
    return render(
        request,
        "organizations/alliance_form.html",
        {
            "area": area, "orgs": orgs, "form": form or {}, "errors": list(errors),
            "breadcrumb": crumbs(session, principal, area, "alliances"), **helpers(),
        },
        status_code=status,
    )  # fmt: skip


@router.get("/areas/{code}/alliances/new", response_class=HTMLResponse)
def new_alliance(code: str, request: Request, principal: Manager, session: DbSession):
    return _new_page(request, session, principal, area_in_reach(session, principal, code, MANAGE))


@router.post("/areas/{code}/alliances/new", response_class=HTMLResponse)
def create_alliance(
    code: str,
    request: Request,
    principal: Manager,
    session: DbSession,
    name: str = Form(""),
    lead_org_id: str = Form(""),
    signed_on: str = Form(""),
    ends_on: str = Form(""),
):
    area = area_in_reach(session, principal, code, MANAGE)
    form = {"name": name, "lead_org_id": lead_org_id, "signed_on": signed_on, "ends_on": ends_on}
    with attempt(session) as tried:
        data = AllianceIn(
            area_code=code, name=name, lead_org_id=chosen(lead_org_id, t("lead unit")),
            signed_on=opt_date(signed_on, "signed on"), ends_on=opt_date(ends_on, "ends on"),
        )  # fmt: skip
        a = service.alliances.create(session, principal, data)
    if tried.refused:
        return _new_page(request, session, principal, area, form=form, errors=tried.errors, status=422)
    return RedirectResponse(f"/alliances/{a.id}?done=saved", status_code=303)


def _candidates(session, principal, alliance, members) -> list:
    """Organizations a manager may admit: in the alliance's county (or its own area), not members yet."""
    real = codes.unpad(alliance.area_code)
    wider = next((c for c in (real[:6], real) if principal.visible.contains(c)), real)
    orgs, _ = reads.organizations(session, principal, wider, status="active", limit=500)
    taken = {o.id for _m, o in members}
    return [o for o in orgs if o.id not in taken]


def _area_of(session, row):
    return area_repo.find_area(session, codes.unpad(row.area_code))


def alliance_page(request, session, principal, alliance_id: int, *, errors=(), form=None, status=200):
    a = reads.alliance(session, principal, alliance_id)
    members = reads.members(session, principal, a.id)
    resources = reads.resources(session, principal, a.id)
    needs, needs_total = reads.alliance_needs(session, principal, a.id, limit=PAGE)
    projects = reads.projects(session, principal, a.id)
    mine = [o for _m, o in members if service.may_act_for(session, principal, o)]
    names = {o.id: o.name for _m, o in members}
    need_titles = {n.id: n.title for n in repository.needs_by_id(session, [p.need_id for p in projects]).values()}
    display.prefetch(request, [a.area_code, *(o.area_code for _m, o in members), *(n.area_code for n in needs)])
    return render(
        request,
        "organizations/alliance.html",
        {
            "a": a, "members": members, "resources": resources, "needs": needs, "needs_total": needs_total,
            "projects": projects, "mine": mine, "names": names, "need_titles": need_titles,
            "suggestions": reads.suggestions(session, principal, alliance_id=a.id)[:20],
            "can_manage": principal.can(MANAGE, a.area_code),
            "candidates": _candidates(session, principal, a, members) if principal.can(MANAGE, a.area_code) else [],
            "errors": list(errors), "form": form or {}, **alliance_records(session, principal, a),
            # Seen from a community it covers, the alliance's own area may be beyond the reader's pages.
            "breadcrumb": crumbs(session, principal, _area_of(session, a), "alliances")
            if principal.visible.contains(a.area_code)
            else [],
            **helpers(),
        },
        status_code=status,
    )  # fmt: skip


@router.get("/alliances/{alliance_id}", response_class=HTMLResponse)
def alliance_view(alliance_id: Id, request: Request, principal: Reader, session: DbSession):
    return alliance_page(request, session, principal, alliance_id)


@router.post("/alliances/{alliance_id}/members", response_class=HTMLResponse)
def add_member(
    alliance_id: Id,
    request: Request,
    principal: Manager,
    session: DbSession,
    organization_id: str = Form(""),
    role: str = Form("member"),
    cross_area: str = Form(""),
):
    form = {"organization_id": organization_id, "role": role, "cross_area": cross_area}
    with attempt(session) as tried:
        data = MemberIn(
            organization_id=chosen(organization_id, t("member unit")), role=role, cross_area=cross_area == "yes"
        )
        service.alliances.add_member(session, principal, alliance_id, data)
    if tried.refused:
        return alliance_page(request, session, principal, alliance_id, errors=tried.errors, form=form, status=422)
    return RedirectResponse(f"/alliances/{alliance_id}?done=member#members", status_code=303)


@router.post("/alliances/{alliance_id}/resources", response_class=HTMLResponse)
def offer_resource(
    alliance_id: Id,
    request: Request,
    principal: Actor,
    session: DbSession,
    organization_id: str = Form(""),
    resource_type: str = Form(""),
    title: str = Form(""),
    capacity: str = Form("1"),
    availability: str = Form(""),
):
    form = {
        "organization_id": organization_id, "resource_type": resource_type, "title": title, "capacity": capacity,
        "availability": availability,
    }  # fmt: skip
    with attempt(session) as tried:
        data = ResourceIn(
            organization_id=chosen(organization_id, t("unit")), resource_type=resource_type, title=title,
            capacity=opt_int(capacity, "capacity") or 1, availability=availability,
        )  # fmt: skip
        service.lists.offer_resource(session, principal, alliance_id, data)
    if tried.refused:
        return alliance_page(request, session, principal, alliance_id, errors=tried.errors, form=form, status=422)
    return RedirectResponse(f"/alliances/{alliance_id}?done=offered#resources", status_code=303)


@router.post("/org-resources/{resource_id}/withdraw", response_class=HTMLResponse)
def withdraw_resource(resource_id: Id, principal: Actor, session: DbSession):
    r = service.lists.withdraw_resource(session, principal, resource_id)
    return RedirectResponse(f"/alliances/{r.alliance_id}?done=withdrawn#resources", status_code=303)
