"""Pages of co-construction pairings (结对共建): the pairings of an area's communities with the form to pair a
unit with a community, and a pairing's page with its activities (log one, end the pairing)."""

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
from linli.organizations.schemas import ActivityIn, PairingEndIn, PairingIn
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
    opt_int,
    req_date,
)
from linli.web import display
from linli.web.forms import attempt
from linli.web.templating import render

router = APIRouter(include_in_schema=False)


def _list_page(request, session, principal, area, *, form=None, errors=(), status=200):
    items, total, counts = reads.pairings(session, principal, area.code, limit=PAGE)
    display.prefetch(request, (p.area_code for p in items))
    can_manage = principal.can(MANAGE, area.code)
    orgs = reads.organizations(session, principal, area.code, status="active", limit=500)[0] if can_manage else []
    communities = sorted(
        (c, n) for c, n in area_repo.child_names(session, area.code).items() if len(c) == 12
    ) if len(area.code) == 9 else ([(area.code, area.name)] if len(area.code) == 12 else [])  # fmt: skip
    return render(
        request,
        "organizations/pairings.html",
        {
            "area": area, "items": items, "total": total, "counts": counts, "orgs": orgs,
            "communities": communities, "can_manage": can_manage and bool(communities),
            "names": repository.org_names(session, [p.organization_id for p in items]),
            "pairing_kinds": kinds.options(kinds.PAIRING_KINDS),
            "kind_of": lambda v: kinds.label(kinds.PAIRING_KINDS, v),
            "state_of": lambda v: kinds.label(kinds.PAIRING_STATES, v),
            "form": form or {}, "errors": list(errors),
            "breadcrumb": crumbs(session, principal, area, "pairings"), **helpers(),
        },
        status_code=status,
    )  # fmt: skip


@router.get("/areas/{code}/pairings", response_class=HTMLResponse)
def pairings_page(code: str, request: Request, principal: Reader, session: DbSession):
    return _list_page(request, session, principal, area_in_reach(session, principal, code, READ))


@router.post("/areas/{code}/pairings", response_class=HTMLResponse)
def create_pairing(
    code: str,
    request: Request,
    principal: Manager,
    session: DbSession,
    organization_id: str = Form(""),
    area_code: str = Form(""),
    kind: str = Form("many_to_one"),
    started_on: str = Form(""),
):
    area = area_in_reach(session, principal, code, MANAGE)
    form = {"organization_id": organization_id, "area_code": area_code, "kind": kind, "started_on": started_on}
    with attempt(session) as tried:
        data = PairingIn(
            organization_id=chosen(organization_id, t("unit")), area_code=area_code or code, kind=kind,
            started_on=opt_date(started_on, t("start")),
        )  # fmt: skip
        p = service.pairings.create(session, principal, data)
    if tried.refused:
        return _list_page(request, session, principal, area, form=form, errors=tried.errors, status=422)
    return RedirectResponse(f"/pairings/{p.id}?done=saved", status_code=303)


def pairing_page(request, session, principal, pairing_id: int, *, form=None, errors=(), status=200):
    p = reads.pairing(session, principal, pairing_id)
    org = repository.get_org(session, p.organization_id, principal.scope(READ))
    display.prefetch(request, [p.area_code])
    area = area_repo.find_area(session, codes.unpad(p.area_code))
    return render(
        request,
        "organizations/pairing.html",
        {
            "p": p, "org": org, "activities": reads.activities(session, principal, p.id),
            "can_manage": principal.can(MANAGE, p.area_code),
            "can_act": org is not None and service.may_act_for(session, principal, org),
            "kind_of": lambda v: kinds.label(kinds.PAIRING_KINDS, v),
            "state_of": lambda v: kinds.label(kinds.PAIRING_STATES, v),
            "form": form or {}, "errors": list(errors),
            "breadcrumb": crumbs(session, principal, area, "pairings"), **helpers(),
        },
        status_code=status,
    )  # fmt: skip


@router.get("/pairings/{pairing_id}", response_class=HTMLResponse)
def pairing_view(pairing_id: Id, request: Request, principal: Reader, session: DbSession):
    return pairing_page(request, session, principal, pairing_id)


@router.post("/pairings/{pairing_id}/activities", response_class=HTMLResponse)
def log_activity(
    pairing_id: Id,
    request: Request,
    principal: Actor,
    session: DbSession,
    held_on: str = Form(""),
    title: str = Form(""),
    participants: str = Form("0"),
    content: str = Form(""),
):
    form = {"held_on": held_on, "title": title, "participants": participants, "content": content}
    with attempt(session) as tried:
        data = ActivityIn(
            held_on=req_date(held_on, t("date")), title=title, content=content,
            participants=opt_int(participants, t("participants")) or 0,
        )  # fmt: skip
        service.pairings.log_activity(session, principal, pairing_id, data)
    if tried.refused:
        return pairing_page(request, session, principal, pairing_id, form=form, errors=tried.errors, status=422)
    return RedirectResponse(f"/pairings/{pairing_id}?done=logged#activities", status_code=303)


@router.post("/pairings/{pairing_id}/end", response_class=HTMLResponse)
def end_pairing(pairing_id: Id, request: Request, principal: Manager, session: DbSession, ended_on: str = Form("")):
    with attempt(session) as tried:
        service.pairings.end(session, principal, pairing_id, PairingEndIn(ended_on=opt_date(ended_on, t("end"))))
    if tried.refused:
        return pairing_page(request, session, principal, pairing_id, errors=tried.errors, status=422)
    return RedirectResponse(f"/pairings/{pairing_id}?done=ended", status_code=303)
